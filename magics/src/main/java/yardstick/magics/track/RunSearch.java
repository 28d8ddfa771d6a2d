package yardstick.magics.track;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.mlflow.api.proto.Service;
import org.mlflow_project.google.protobuf.InvalidProtocolBufferException;
import org.mlflow_project.google.protobuf.util.JsonFormat;

/**
 * MLflow's {@code runs/search}, sent once. The MLflow Java client sends a request that failed with any status but 429
 * twice more, logging each as a rate limit; a filter the server refuses is the user's mistake, so it must come back
 * as one clear answer at once.
 */
final class RunSearch {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    /** The server refused the request (a 4xx): the message is the server's own. */
    static final class Refused extends RuntimeException {
        final int status;

        Refused(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    private RunSearch() {}

    /**
     * The runs of an experiment that match the filter, by {@code orderBy}, at most {@code max}.
     *
     * @param authorization the Authorization header's value, or null
     * @throws Refused when the server answers 4xx
     * @throws IOException when it cannot be reached or answers 5xx
     */
    static List<Service.Run> search(URI tracker, String authorization, String experimentId, String filter, int max,
            List<String> orderBy) throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode();
        body.putArray("experiment_ids").add(experimentId);
        body.put("filter", filter == null ? "" : filter);
        body.put("run_view_type", "ACTIVE_ONLY");
        body.put("max_results", max);
        orderBy.forEach(body.putArray("order_by")::add);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(tracker + "/api/2.0/mlflow/runs/search"))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
        if (authorization != null) request.header("Authorization", authorization);
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        int status = response.statusCode();
        if (status >= 400 && status < 500) throw new Refused(status, message(response.body(), status));
        if (status != 200) throw new IOException(status + " " + message(response.body(), status));
        Service.SearchRuns.Response.Builder parsed = Service.SearchRuns.Response.newBuilder();
        try {
            JsonFormat.parser().ignoringUnknownFields().merge(response.body(), parsed);
        } catch (InvalidProtocolBufferException e) {
            throw new IOException("the tracker's answer to runs/search is not MLflow's: " + e.getMessage(), e);
        }
        return parsed.getRunsList();
    }

    /** The {@code message} of MLflow's error body, else the body's first line, else the status. */
    static String message(String body, int status) {
        try {
            JsonNode n = JSON.readTree(body);
            if (n != null && n.hasNonNull("message")) return n.get("message").asText();
        } catch (IOException e) {
            // not JSON: the body as it is
        }
        String line = body == null ? "" : body.strip().lines().findFirst().orElse("");
        return line.isEmpty() ? "status " + status : line;
    }
}
