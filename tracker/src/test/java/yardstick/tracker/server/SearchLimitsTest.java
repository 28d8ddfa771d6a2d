package yardstick.tracker.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import yardstick.tracker.Http;
import yardstick.tracker.Http.Answer;
import yardstick.tracker.RunningTracker;
import yardstick.tracker.search.SearchGrammar;

/** Searches the grammar parses but a database could not run are refused with the limit, never a 500. */
class SearchLimitsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static RunningTracker tracker;
    private static String runId;

    @BeforeAll
    static void start() {
        tracker = new RunningTracker();
        Answer created = Http.post(tracker.uri(), "runs/create", "{\"experiment_id\": \"0\"}");
        runId = created.json().path("run").path("info").path("run_id").asText();
        Answer tagged = Http.post(tracker.uri(), "runs/set-tag", body(Map.of("run_id", runId, "key", "path", "value", "C:\\data\\x")));
        assertEquals(200, tagged.status(), tagged.body());
        Http.post(tracker.uri(), "runs/set-tag", body(Map.of("run_id", runId, "key", "quote", "value", "it\\'s")));
    }

    @AfterAll
    static void stop() {
        tracker.close();
    }

    private static String body(java.util.Map<String, ?> fields) {
        try {
            return JSON.writeValueAsString(fields);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static final class Map {
        static java.util.Map<String, Object> of(Object... kv) {
            java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
            for (int i = 0; i < kv.length; i += 2) {
                m.put((String) kv[i], kv[i + 1]);
            }
            return m;
        }
    }

    private static Answer searchRuns(String filter, List<String> orderBy) {
        return Http.post(tracker.uri(), "runs/search", body(Map.of("experiment_ids", List.of("0"), "filter", filter,
                "order_by", orderBy)));
    }

    private static void refusedWithLimit(Answer a, String limit) {
        assertEquals(400, a.status(), a.body());
        assertEquals("INVALID_PARAMETER_VALUE", a.errorCode(), a.body());
        String message = a.json().path("message").asText();
        assertTrue(message.contains("limit is " + limit), message);
        assertFalse(message.toLowerCase().contains("sqlite"), message);
    }

    private static String ands(int n) {
        return IntStream.range(0, n).mapToObj(i -> "metrics.m" + i + " > " + i).collect(Collectors.joining(" AND "));
    }

    @Test
    void thousandsOfAndsAreRefusedWithTheLimit() {
        refusedWithLimit(searchRuns(ands(3000), List.of()), Integer.toString(SearchGrammar.MAX_CLAUSES));
        refusedWithLimit(Http.post(tracker.uri(), "experiments/search", body(Map.of("filter",
                IntStream.range(0, 3000).mapToObj(i -> "name != 'x" + i + "'").collect(Collectors.joining(" AND "))))),
                Integer.toString(SearchGrammar.MAX_CLAUSES));
    }

    @Test
    void theMostClausesAllowedRun() {
        Answer a = searchRuns(ands(SearchGrammar.MAX_CLAUSES), List.of());
        assertEquals(200, a.status(), a.body());
        String tags = IntStream.range(0, SearchGrammar.MAX_CLAUSES).mapToObj(i -> "tags.t" + i + " IS NULL")
                .collect(Collectors.joining(" AND "));
        Answer b = searchRuns(tags, List.of());
        assertEquals(200, b.status(), b.body());
        assertEquals(1, b.json().path("runs").size(), b.body());
    }

    @Test
    void seventyOrderByTermsAreRefusedWithTheLimit() {
        List<String> order = new ArrayList<>();
        for (int i = 0; i < 70; i++) {
            order.add("metrics.m" + i + " DESC");
        }
        refusedWithLimit(searchRuns("", order), Integer.toString(SearchGrammar.MAX_ORDER_BY_TERMS));
        refusedWithLimit(Http.post(tracker.uri(), "experiments/search", body(Map.of("order_by", order.stream()
                .map(o -> "name").toList()))), Integer.toString(SearchGrammar.MAX_ORDER_BY_TERMS));
        Answer most = searchRuns("", order.subList(0, SearchGrammar.MAX_ORDER_BY_TERMS));
        assertEquals(200, most.status(), most.body());
        assertEquals(1, most.json().path("runs").size(), most.body());
    }

    @Test
    void hugeInListsAreRefusedWithTheLimit() {
        String many = IntStream.range(0, 40_000).mapToObj(i -> "'v" + i + "'").collect(Collectors.joining(","));
        refusedWithLimit(searchRuns("attributes.run_id IN (" + many + ")", List.of()), Integer.toString(SearchGrammar.MAX_VALUES));
        String most = IntStream.range(0, SearchGrammar.MAX_VALUES).mapToObj(i -> "'v" + i + "'").collect(Collectors.joining(","));
        Answer a = searchRuns("attributes.run_name IN (" + most + ")", List.of());
        assertEquals(200, a.status(), a.body());
    }

    @Test
    void aBackslashInAQuotedValueIsKeptAsMlflowKeepsIt() {
        // MLflow takes the text between the quotes as written: a backslash stays and only stops \' from ending it.
        Answer path = searchRuns("tags.path = 'C:\\data\\x'", List.of());
        assertEquals(200, path.status(), path.body());
        assertEquals(1, path.json().path("runs").size(), path.body());
        Answer quote = searchRuns("tags.quote = 'it\\'s'", List.of());
        assertEquals(1, quote.json().path("runs").size(), quote.body());
        Answer like = searchRuns("tags.path LIKE 'C:\\data%'", List.of());
        assertEquals(1, like.json().path("runs").size(), like.body());
        // In an IN list MLflow reads a Python tuple, where \\ is one backslash and \' a quote.
        Answer in = searchRuns("attributes.run_id IN ('" + runId + "', 'a\\\\b\\'c')", List.of());
        assertEquals(1, in.json().path("runs").size(), in.body());
    }
}
