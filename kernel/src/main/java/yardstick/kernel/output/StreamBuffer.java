package yardstick.kernel.output;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Bytes written to stdout or stderr by one cell, held until the next flush so that a cell printing a million lines
 * sends a few large stream messages instead of a million small ones. A write that would grow the buffer past
 * {@link #LIMIT} flushes in the writer's thread, which throttles a runaway printer to the speed of the channel.
 */
final class StreamBuffer {
    static final int LIMIT = 512 * 1024;
    private final String name;
    private final OutputRoute route;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    StreamBuffer(String name, OutputRoute route) {
        this.name = name;
        this.route = route;
    }

    void write(byte[] b, int off, int len) {
        boolean full;
        synchronized (this) {
            if (bytes.size() == 0) route.markDirty();
            bytes.write(b, off, len);
            full = bytes.size() >= LIMIT;
        }
        if (full) flush();
    }

    /** Sends what is buffered, keeping back an incomplete UTF-8 sequence at the end for the next flush. */
    void flush() {
        String text;
        synchronized (this) {
            if (bytes.size() == 0) return;
            byte[] all = bytes.toByteArray();
            int cut = completeLength(all);
            text = new String(all, 0, cut, StandardCharsets.UTF_8);
            bytes.reset();
            bytes.write(all, cut, all.length - cut);
            if (text.isEmpty()) return;
            // Sent while holding the lock so that two flushers cannot reorder chunks of one stream.
            route.sink().stream(name, text);
        }
    }

    /** The length of the longest prefix that does not end inside a multi-byte UTF-8 sequence. */
    static int completeLength(byte[] b) {
        int n = b.length;
        for (int back = 1; back <= Math.min(3, n); back++) {
            int c = b[n - back] & 0xFF;
            if ((c & 0xC0) == 0x80) continue;          // continuation byte: keep looking for the lead
            int need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
            return need > back ? n - back : n;
        }
        return n;
    }
}
