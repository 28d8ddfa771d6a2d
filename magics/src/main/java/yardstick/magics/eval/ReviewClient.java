package yardstick.magics.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** The tracker's review endpoints ({@code /api/2.0/yardstick/reviews/}) with the notebook's tracker credentials. */
final class ReviewClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static final String PREFIX = "/api/2.0/yardstick/reviews/";

    /** The tracker answered, but not as a Yardstick tracker does: an MLflow or Databricks server has no reviews. */
    static final class NotYardstick extends EvalException {
        NotYardstick(String message) {
            super(message);
        }
    }

    private final URI base;
    private final String authorization;

    ReviewClient(URI base, String authorization) {
        this.base = base;
        this.authorization = authorization;
    }

    URI base() {
        return base;
    }

    JsonNode post(String endpoint, ObjectNode body) {
        return send(request(endpoint).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
    }

    JsonNode get(String endpoint, String name, String value) {
        return send(request(endpoint + "?" + name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8)).GET());
    }

    private HttpRequest.Builder request(String endpointAndQuery) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(PREFIX + endpointAndQuery)).timeout(Duration.ofSeconds(30));
        if (authorization != null) b.header("Authorization", authorization);
        return b;
    }

    private JsonNode send(HttpRequest.Builder b) {
        HttpRequest r = b.build();
        try {
            HttpResponse<String> answer = HTTP.send(r, HttpResponse.BodyHandlers.ofString());
            JsonNode body;
            try {
                body = JSON.readTree(answer.body());
            } catch (IOException notJson) {
                throw new NotYardstick("the tracker at " + base + " answered " + answer.statusCode()
                        + " without JSON: reviews need a Yardstick tracker");
            }
            if (answer.statusCode() == 404 && "ENDPOINT_NOT_FOUND".equals(body.path("error_code").asText())) {
                throw new NotYardstick("the tracker at " + base + " has no review endpoints: reviews need a Yardstick tracker");
            }
            if (answer.statusCode() != 200) {
                throw new EvalException("the tracker refused: " + body.path("message").asText(answer.body()));
            }
            return body;
        } catch (IOException e) {
            throw new EvalException("cannot reach the tracker at " + base + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EvalException("interrupted while talking to the tracker", e);
        }
    }
}
