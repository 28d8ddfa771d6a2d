package yardstick.tracker.server;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import yardstick.tracker.model.ErrorCode;
import yardstick.tracker.model.MlflowException;

/** The JSON body reader's limits, measured where they matter: on the heap. */
class JsonBodyTest {
    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    @Test
    void aBodyOfTinyStringsIsRefusedBeforeItBuildsAHugeTree() {
        // Within the byte limit: about four million one-letter strings, some 300 MB as a JsonNode tree.
        StringBuilder b = new StringBuilder(16 * 1024 * 1024).append("{\"tags\": [");
        while (b.length() < 16 * 1024 * 1024 - 16) {
            b.append("\"a\",");
        }
        byte[] body = b.append("\"a\"]}").toString().getBytes(StandardCharsets.UTF_8);
        long before = allocatedBytes();
        MlflowException e = assertThrows(MlflowException.class, () -> JsonBody.parse(body));
        long allocated = allocatedBytes() - before;
        assertEquals(413, e.httpStatus());
        assertEquals(ErrorCode.INVALID_PARAMETER_VALUE, e.code());
        assertTrue(e.getMessage().contains("200000 tokens"), e.getMessage());
        assertTrue(allocated < 64L * 1024 * 1024, "allocated " + allocated / (1024 * 1024) + " MiB");
    }

    @Test
    void aFullLogBatchFitsEasily() {
        StringBuilder b = new StringBuilder("{\"run_id\": \"r\", \"metrics\": [");
        for (int i = 0; i < 1000; i++) {
            b.append(i == 0 ? "" : ",").append("{\"key\": \"loss\", \"value\": 0.5, \"timestamp\": 1700000000000, \"step\": ")
                    .append(i).append('}');
        }
        b.append("], \"params\": [");
        for (int i = 0; i < 100; i++) {
            b.append(i == 0 ? "" : ",").append("{\"key\": \"p").append(i).append("\", \"value\": \"v\"}");
        }
        b.append("], \"tags\": [");
        for (int i = 0; i < 100; i++) {
            b.append(i == 0 ? "" : ",").append("{\"key\": \"t").append(i).append("\", \"value\": \"v\"}");
        }
        byte[] body = b.append("]}").toString().getBytes(StandardCharsets.UTF_8);
        assertEquals(1000, assertDoesNotThrow(() -> JsonBody.parse(body)).path("metrics").size());
    }

    @Test
    void deepNestingAndTrailingTokensAreRefused() {
        byte[] deep = ("{\"a\":" + "[".repeat(100) + "]".repeat(100) + "}").getBytes(StandardCharsets.UTF_8);
        assertEquals(413, assertThrows(MlflowException.class, () -> JsonBody.parse(deep)).httpStatus());
        MlflowException trailing = assertThrows(MlflowException.class,
                () -> JsonBody.parse("{\"a\": 1} x".getBytes(StandardCharsets.UTF_8)));
        assertEquals(ErrorCode.MALFORMED_REQUEST, trailing.code());
        assertEquals(1, JsonBody.parse("{\"a\": NaN}".getBytes(StandardCharsets.UTF_8)).size(), "Python's NaN still reads");
    }

    @Test
    void contentTypesAreCheckedAsMlflowDoes() {
        assertDoesNotThrow(() -> JsonBody.requireJsonContentType("application/json"));
        assertDoesNotThrow(() -> JsonBody.requireJsonContentType("Application/JSON; charset=utf-8"));
        for (String type : new String[] {null, "", "text/plain", "application/jsonx", "application/x-www-form-urlencoded"}) {
            MlflowException e = assertThrows(MlflowException.class, () -> JsonBody.requireJsonContentType(type));
            assertEquals(400, e.httpStatus(), type);
            assertEquals(ErrorCode.INVALID_PARAMETER_VALUE, e.code());
        }
    }
}
