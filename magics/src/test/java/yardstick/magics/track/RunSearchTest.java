package yardstick.magics.track;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class RunSearchTest {
    /** A server that answers every request with this status and body, counting the requests. */
    private static HttpServer answering(int status, String body, AtomicInteger requests, AtomicReference<String> auth)
            throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            requests.incrementAndGet();
            auth.set(ex.getRequestHeaders().getFirst("Authorization"));
            ex.getRequestBody().readAllBytes();
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(status, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        server.start();
        return server;
    }

    private static URI uri(HttpServer s) {
        return URI.create("http://127.0.0.1:" + s.getAddress().getPort());
    }

    @Test
    void aRefusedFilterIsOneRequestAndTheServersMessage() throws Exception {
        AtomicInteger requests = new AtomicInteger();
        AtomicReference<String> auth = new AtomicReference<>();
        HttpServer server = answering(400,
                "{\"error_code\": \"INVALID_PARAMETER_VALUE\", \"message\": \"unknown column 'metricz.loss'\"}", requests, auth);
        try {
            RunSearch.Refused e = assertThrows(RunSearch.Refused.class, () -> RunSearch.search(uri(server), "Bearer t",
                    "1", "metricz.loss < 1", 10, List.of()));
            assertEquals(400, e.status);
            assertEquals("unknown column 'metricz.loss'", e.getMessage());
            assertEquals(1, requests.get(), "a 4xx is not retried");
            assertEquals("Bearer t", auth.get());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void runsComeBackAsMlflowsMessages() throws Exception {
        AtomicInteger requests = new AtomicInteger();
        HttpServer server = answering(200, "{\"runs\": [{\"info\": {\"run_id\": \"abc\", \"status\": \"FINISHED\"},"
                + " \"data\": {\"metrics\": [{\"key\": \"loss\", \"value\": 0.5}]}}], \"unknown_field\": 1}", requests,
                new AtomicReference<>());
        try {
            var runs = RunSearch.search(uri(server), null, "1", "", 10, List.of("attributes.start_time DESC"));
            assertEquals(1, runs.size());
            assertEquals("abc", runs.get(0).getInfo().getRunId());
            assertEquals(0.5, runs.get(0).getData().getMetrics(0).getValue());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aBodyThatIsNotJsonIsNamedByItsFirstLine() {
        assertEquals("Bad Request", RunSearch.message("Bad Request\nmore", 400));
        assertEquals("status 404", RunSearch.message("", 404));
    }
}
