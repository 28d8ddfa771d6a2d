package yardstick.kernel.output;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import yardstick.kernel.display.MimeBundle;

class OutputRouteTest {
    /** A sink whose first send fails as an allocation does when a cell has filled the heap. */
    private static final class FailsOnce implements OutputSink {
        final AtomicInteger calls = new AtomicInteger();
        final StringBuffer sent = new StringBuffer();

        @Override
        public void stream(String name, String text) {
            if (calls.getAndIncrement() == 0) throw new OutOfMemoryError("Java heap space");
            sent.append(text);
        }

        @Override
        public void display(MimeBundle bundle, String displayId, boolean update) {}

        @Override
        public void clearOutput(boolean wait) {}

        @Override
        public String input(String prompt, boolean password) {
            return "";
        }
    }

    @Test
    void theFlusherOutlivesAnOutOfMemoryError() throws Exception {
        FailsOnce sink = new FailsOnce();
        OutputRoute route = new OutputRoute(sink);
        write(route, "lost to the full heap\n");
        for (int i = 0; i < 100 && sink.calls.get() == 0; i++) Thread.sleep(20);
        assertTrue(sink.calls.get() > 0, "the flusher tried");
        // No explicit flush: only the periodic flusher, which must still be running, sends this.
        write(route, "after\n");
        for (int i = 0; i < 100 && !sink.sent.toString().contains("after"); i++) Thread.sleep(20);
        assertTrue(sink.sent.toString().contains("after"), sink.sent.toString());
    }

    private static void write(OutputRoute route, String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        route.buffer("stdout").write(b, 0, b.length);
    }
}
