package yardstick.tracker;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import yardstick.tracker.server.JsonCodec;

/** Raw HTTP for tests that send what no well-behaved client would. */
public final class Http {
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    public record Answer(int status, String body) {
        public JsonNode json() {
            try {
                return JsonCodec.MAPPER.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + body, e);
            }
        }

        public String errorCode() {
            return json().path("error_code").asText();
        }
    }

    private Http() {}

    public static Answer post(String base, String endpoint, String body) {
        return send(HttpRequest.newBuilder(URI.create(base + "/api/2.0/mlflow/" + endpoint))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    public static Answer get(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).GET());
    }

    public static Answer send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> r = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Sends a request line byte for byte over a socket, because HTTP client libraries normalize or
     * refuse paths such as {@code /a/../b}.
     */
    public static Answer rawRequest(URI base, String method, String rawPath, byte[] body) {
        return rawRequest(base, method, rawPath, "Host: " + base.getHost() + "\r\n", body);
    }

    /**
     * Sends a request with the given header lines (each ending in CRLF) byte for byte, for headers HTTP client
     * libraries will not send as given, such as a foreign {@code Host}.
     */
    public static Answer rawRequest(URI base, String method, String rawPath, String headerLines, byte[] body) {
        try (Socket s = new Socket(base.getHost(), base.getPort())) {
            String head = method + " " + rawPath + " HTTP/1.1\r\n" + headerLines + "Connection: close\r\n"
                    + "Content-Length: " + body.length + "\r\n\r\n";
            s.getOutputStream().write(head.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().write(body);
            s.getOutputStream().flush();
            String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int status = Integer.parseInt(response.substring(9, 12));
            int split = response.indexOf("\r\n\r\n");
            String payload = split < 0 ? "" : response.substring(split + 4);
            // The server may answer with chunked encoding; tests only look at the JSON inside.
            int brace = payload.indexOf('{');
            int end = payload.lastIndexOf('}');
            return new Answer(status, brace < 0 ? payload : payload.substring(brace, end + 1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
