package yardstick.tracker.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import yardstick.tracker.Http;
import yardstick.tracker.RunningTracker;
import yardstick.tracker.model.Metric;
import yardstick.tracker.model.Param;
import yardstick.tracker.model.Tag;
import yardstick.tracker.store.TrackerStore;

/** Untrusted names and values (experiment, run, param, tag, cell, artifact, filter, column) reach every page as text only. */
class UiEscapingTest {
    /** Breaks out of element content, of double- and single-quoted attributes, and of a script block. */
    private static final String HOSTILE = "x\"'><img src=x onerror=alert(1)></script><script>alert(2)</script>";

    private static RunningTracker tracker;
    private static String experimentId;
    private static String runId;
    private static String otherRunId;

    @BeforeAll
    static void start() throws Exception {
        tracker = new RunningTracker();
        TrackerStore store = tracker.server.store();
        experimentId = store.createExperiment("exp " + HOSTILE, null, List.of()).experimentId();
        runId = store.createRun(experimentId, "ui", 1000, "run " + HOSTILE, List.of(new Tag("note", HOSTILE),
                new Tag(Pages.CELL_SOURCE_TAG, "%%prompt " + HOSTILE))).info().runId();
        otherRunId = store.createRun(experimentId, "ui", 1001, "other", List.of(new Tag(RunsTable.PARENT_TAG, runId))).info().runId();
        store.logBatch(runId, List.of(new Metric("m", 1.5, 1, 0)), List.of(new Param("p", HOSTILE)), List.of());
        store.logBatch(otherRunId, List.of(new Metric("m", 2.5, 1, 0)), List.of(new Param("p", "v")), List.of());
        Path artifacts = tracker.server.artifacts().root().resolve(experimentId + "/" + runId + "/artifacts");
        Files.createDirectories(artifacts);
        Files.writeString(artifacts.resolve("t.csv"), "a,b\n\"" + HOSTILE.replace("\"", "\"\"") + "\",1\n");
        Files.writeString(artifacts.resolve("t.txt"), HOSTILE);
    }

    @AfterAll
    static void stop() {
        tracker.close();
    }

    private static String page(String path) {
        Http.Answer a = Http.get(tracker.uri() + path);
        assertEquals(200, a.status(), a.body());
        return a.body();
    }

    private static void assertInert(String html) {
        assertFalse(html.contains("<img src=x"), html);
        assertFalse(html.contains("<script>alert"), html);
        assertFalse(html.contains("\"'>"), "no value closes an attribute: " + html);
        assertTrue(html.contains("&lt;img src=x onerror=alert(1)&gt;"), "the value is shown as text: " + html);
    }

    @Test
    void everyPageShowsHostileValuesAsText() {
        assertInert(page("/"));
        assertInert(page("/experiments/" + experimentId));
        assertInert(page("/experiments/" + experimentId + "?pin=" + Format.url("params." + HOSTILE) + "&col=" + Format.url("tags." + HOSTILE)));
        assertInert(page("/runs/" + runId));
        assertInert(page("/runs/" + otherRunId));
        assertInert(page("/runs/" + runId + "/artifact?path=t.csv"));
        assertInert(page("/runs/" + runId + "/artifact?path=t.txt"));
        assertInert(page("/compare?run=" + runId + "&run=" + otherRunId));
        assertInert(page("/runs/" + runId + "?artifact=t.csv"));
        assertInert(page("/search?q=" + Format.url("run")));
        assertFalse(page("/search?q=" + Format.url(HOSTILE)).contains("<img src=x"));
    }

    @Test
    void aHostileFilterIsEchoedAsText() {
        String html = page("/experiments/" + experimentId + "?filter=" + Format.url("params.a = '" + HOSTILE + "'"));
        assertFalse(html.contains("<img src=x"), html);
        assertFalse(html.contains("<script>alert"), html);
    }

    @Test
    void anErrorMessageQuotingTheRequestIsText() {
        Http.Answer a = Http.get(tracker.uri() + "/experiments/" + experimentId + "?filter=" + Format.url(HOSTILE));
        assertFalse(a.body().contains("<img src=x"), a.body());
        Http.Answer missing = Http.get(tracker.uri() + "/runs/" + Format.url(HOSTILE));
        assertFalse(missing.body().contains("<img src=x"), missing.body());
    }
}
