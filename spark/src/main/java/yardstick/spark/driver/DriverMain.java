package yardstick.spark.driver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.apache.spark.sql.SparkSession;

/**
 * The Spark driver's child JVM: starts one session for the master it is given, then answers the kernel's requests
 * (one JSON line each on stdin) with events on stdout. Anything else that prints goes to stderr, the driver's log, so
 * the protocol stays clean.
 */
public final class DriverMain {
    private static final ObjectMapper JSON = new ObjectMapper();

    private DriverMain() {}

    /** Arguments: master URL, the executors' extra class path, Yardstick's home folder. */
    public static void main(String[] args) throws Exception {
        PrintStream protocol = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);
        System.setOut(System.err);
        Events events = new Events(protocol);
        SparkSession spark;
        try {
            spark = Sessions.start(args[0], args[1], args[2]);
        } catch (Exception e) {
            events.error("could not start Spark on " + args[0] + ": " + Errors.oneLine(e));
            return;
        }
        ObjectNode ready = JSON.createObjectNode().put("event", "ready").put("spark", spark.version())
                .put("java", System.getProperty("java.version"))
                .put("parallelism", spark.sparkContext().defaultParallelism());
        events.send(ready);
        Jobs jobs = new Jobs(spark, events, java.nio.file.Path.of(args[2]));
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            try {
                JsonNode request = JSON.readTree(line);
                events.send(jobs.run(request).put("event", "result"));
            } catch (Exception e) {
                events.error(Errors.oneLine(e));
            }
        }
        spark.stop();
    }
}
