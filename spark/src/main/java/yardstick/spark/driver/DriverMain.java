package yardstick.spark.driver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * The Spark driver's child JVM: starts one session for the master it is given, then answers the kernel's requests
 * (one JSON line each on stdin) with events on stdout. Anything else that prints goes to stderr, the driver's log, so
 * the protocol stays clean.
 */
public final class DriverMain {
    private static final ObjectMapper JSON = new ObjectMapper();

    private DriverMain() {}

    /** Arguments: master URL, the class path executors need beside Spark's own, Yardstick's home folder. */
    public static void main(String[] args) throws Exception {
        PrintStream protocol = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);
        System.setOut(System.err);
        Events events = new Events(protocol);
        Cluster cluster;
        try {
            cluster = Cluster.start(args[0], List.of(args[1].split(File.pathSeparator)), Path.of(args[2]));
        } catch (Exception e) {
            events.error("could not start Spark on " + args[0] + ": " + Errors.oneLine(e));
            return;
        }
        ObjectNode ready = JSON.createObjectNode().put("event", "ready").put("spark", cluster.spark.version())
                .put("java", System.getProperty("java.version")).put("parallelism", cluster.parallelism())
                .put("kind", cluster.kind());
        events.send(ready);
        Jobs jobs = new Jobs(cluster, events, Path.of(args[2]));
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            try {
                JsonNode request = JSON.readTree(line);
                events.send(jobs.run(request).put("event", "result"));
            } catch (Exception e) {
                events.error(Errors.oneLine(e));
            }
        }
        cluster.close();
    }
}
