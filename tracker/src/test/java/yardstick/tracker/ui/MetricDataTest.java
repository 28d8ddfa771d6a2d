package yardstick.tracker.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import yardstick.tracker.Http;
import yardstick.tracker.RunningTracker;
import yardstick.tracker.model.Metric;
import yardstick.tracker.server.JsonCodec;
import yardstick.tracker.store.TrackerStore;

/** The charts' data endpoint: each series LTTB-reduced to at most 2,000 points, ends and peaks kept. */
class MetricDataTest {
    private static RunningTracker tracker;
    private static String longRun;
    private static String shortRun;

    @BeforeAll
    static void start() {
        tracker = new RunningTracker();
        TrackerStore store = tracker.server.store();
        longRun = store.createRun("0", "ui", 1, "long", List.of()).info().runId();
        HistoryUiBrowserTest.logLongHistory(store, longRun, 20_000);
        // A spike the reduction must keep.
        store.logBatch(longRun, List.of(new Metric("loss", 50.0, 1, 12_345)), List.of(), List.of());
        shortRun = store.createRun("0", "ui", 2, "short", List.of()).info().runId();
        store.logBatch(shortRun, List.of(new Metric("loss", 1, 1, 0), new Metric("loss", Double.NaN, 2, 1),
                new Metric("loss", 0.5, 3, 2)), List.of(), List.of());
    }

    @AfterAll
    static void stop() {
        tracker.close();
    }

    private static JsonNode get(String query) throws Exception {
        Http.Answer a = Http.get(tracker.uri() + MetricData.PATH + "?" + query);
        assertEquals(200, a.status(), a.body());
        return JsonCodec.MAPPER.readTree(a.body());
    }

    @Test
    void longSeriesAreReducedKeepingTheEndsAndThePeak() throws Exception {
        JsonNode data = get("key=loss&run=" + longRun + "&run=" + shortRun);
        assertEquals("loss", data.get("key").asText());
        JsonNode s = data.get("series").get(0);
        assertEquals(20_001, s.get("total").asInt());
        assertEquals(MetricData.MAX_POINTS, s.get("values").size());
        assertEquals(s.get("values").size(), s.get("steps").size());
        assertEquals(s.get("values").size(), s.get("timestamps").size());
        assertEquals(0, s.get("steps").get(0).asLong());
        assertEquals(19_999, s.get("steps").get(s.get("steps").size() - 1).asLong());
        boolean spike = false;
        for (JsonNode v : s.get("values")) {
            spike |= v.asDouble() == 50.0;
        }
        assertTrue(spike, "the largest value survives the reduction");

        JsonNode small = data.get("series").get(1);
        assertEquals("short", small.get("run_name").asText());
        assertEquals("[0,2]", small.get("steps").toString(), "a NaN is left out, the rest kept as logged");
        assertEquals(100, get("key=loss&max_points=100&run=" + longRun).get("series").get(0).get("values").size());
    }

    @Test
    void badRequestsAreRefused() {
        assertEquals(400, Http.get(tracker.uri() + MetricData.PATH + "?key=loss").status());
        assertEquals(400, Http.get(tracker.uri() + MetricData.PATH + "?run=" + longRun).status());
        assertEquals(404, Http.get(tracker.uri() + MetricData.PATH + "?key=loss&run=nope").status());
        assertEquals(400, Http.get(tracker.uri() + MetricData.PATH + "?key=loss&max_points=x&run=" + longRun).status());
    }
}
