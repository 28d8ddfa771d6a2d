package yardstick.spark.driver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;

/** Runs the kernel's requests, one at a time, each as a group of Spark jobs that the progress follows. */
final class Jobs {
    private final Cluster cluster;
    private final Events events;
    private final Path home;
    private int next;

    Jobs(Cluster cluster, Events events, Path home) {
        this.cluster = cluster;
        this.events = events;
        this.home = home;
    }

    ObjectNode run(JsonNode request) throws Exception {
        String op = request.path("op").asText();
        try (AutoCloseable job = cluster.job("yardstick-" + (++next), op, events)) {
            return switch (op) {
                case "prompt" -> new PromptJob(cluster, home).run(request);
                case "eval" -> new EvalJob(cluster, home).run(request);
                case "index" -> new IndexJob(cluster).run(request);
                default -> throw new IllegalArgumentException("unknown request '" + op + "'");
            };
        }
    }
}
