package yardstick.kernel.display;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import yardstick.kernel.RecordingSink;

class ProgressDisplayTest {
    final RecordingSink sink = new RecordingSink();
    final AtomicLong now = new AtomicLong();
    final ProgressDisplay progress = new ProgressDisplay("indexing <docs>", sink, 200, now::get);

    @Test
    void theFirstUpdateDisplaysAndLaterOnesUpdateThatDisplay() {
        progress.update(1, 4, "a.md");
        now.addAndGet(200);
        progress.update(2, 4, "b.md");
        String id = progress.displayId();
        assertEquals(List.of(id, "update:" + id), sink.displayIds);
    }

    @Test
    void updatesWithinTheIntervalAreDroppedButNotTheCompleteOneNorTheFinish() {
        progress.update(0, 3, null);
        now.addAndGet(199);
        progress.update(1, 3, null);    // too soon: dropped
        progress.update(2, 3, null);    // too soon: dropped
        progress.update(3, 3, null);    // complete: shown
        progress.finish("done in 1.0 s");
        progress.update(1, 3, null);    // after the finish: ignored
        assertEquals(3, sink.displays.size());
        assertTrue(sink.displays.get(1).plain().contains("3/3"), sink.displays.get(1).plain());
        assertEquals("indexing <docs> [####################] done in 1.0 s", sink.displays.get(2).plain());
    }

    @Test
    void rendersHtmlEscapedAndPlainText() {
        MimeBundle b = progress.render(0.5, "2/4 · <b>x</b> & y", "line 1\n<error>");
        assertEquals("indexing <docs> [##########..........] 2/4 · <b>x</b> & y\nline 1\n<error>", b.plain());
        String html = (String) b.data().get("text/html");
        assertTrue(html.startsWith("<div><b>indexing &lt;docs&gt;</b> <progress value=\"500\" max=\"1000\""), html);
        assertTrue(html.contains("2/4 · &lt;b&gt;x&lt;/b&gt; &amp; y"), html);
        assertTrue(html.contains("<pre style=\"max-height:20em;overflow:auto\">line 1\n&lt;error&gt;</pre>"), html);
        assertFalse(html.contains("<error>"), html);
    }

    @Test
    void fractionsOutsideZeroToOneAreClampedAndAnUnknownTotalIsFull() {
        assertTrue(progress.render(7, "", null).plain().endsWith("[####################]"));
        assertTrue(progress.render(-1, null, null).plain().endsWith("[....................]"));
        progress.update(0, 0, null);
        assertTrue(sink.displays.get(0).plain().contains("[####################] 0/0"));
    }

    @Test
    void withoutANotebookItShowsNothing() {
        ProgressDisplay silent = new ProgressDisplay("x", null, 0, now::get);
        silent.update(1, 2, null);
        silent.finish("done");
        assertTrue(sink.displays.isEmpty());
    }
}
