package yardstick.spark.driver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;

/** Runs the kernel's requests, one at a time, each as a Spark job group that the progress follows. */
final class Jobs {
    private final SparkSession spark;
    private final Events events;
    private final Path home;
    private int next;

    Jobs(SparkSession spark, Events events, Path home) {
        this.spark = spark;
        this.events = events;
        this.home = home;
    }

    ObjectNode run(JsonNode request) throws Exception {
        String op = request.path("op").asText();
        String group = "yardstick-" + (++next);
        spark.sparkContext().setJobGroup(group, op, true);
        try (JobProgress p = new JobProgress(spark.sparkContext().statusTracker(), group, events)) {
            return switch (op) {
                case "prompt" -> new PromptJob(spark, home).run(request);
                case "eval" -> new EvalJob(spark, home).run(request);
                case "index" -> new IndexJob(spark).run(request);
                default -> throw new IllegalArgumentException("unknown request '" + op + "'");
            };
        } finally {
            spark.sparkContext().clearJobGroup();
        }
    }
}
