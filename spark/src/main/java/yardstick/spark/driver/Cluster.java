package yardstick.spark.driver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;

/**
 * The driver's Spark session and what depends on how it was reached. A classic driver ({@code local[*]},
 * {@code spark://}) runs the jobs in this JVM's SparkContext; a Spark Connect client ({@code sc://}) has a server plan
 * and run them. Jobs use only the Dataset API the two share; everything else is here.
 */
abstract class Cluster implements AutoCloseable {
    final SparkSession spark;

    Cluster(SparkSession spark) {
        this.spark = spark;
    }

    /** {@code executorJars}: Yardstick's classes and libraries, which executors need beside Spark's own. */
    static Cluster start(String master, List<String> executorJars, Path home) throws Exception {
        return master.startsWith("sc://") ? ConnectCluster.start(master, executorJars) : ClassicCluster.start(master, executorJars, home);
    }

    /** A folder for the notebook's cell classes, gone when this JVM ends. */
    static Path cellClassFolder() throws IOException {
        Path classes = Files.createTempDirectory("yardstick-cell-classes-");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                Folders.delete(classes);
            } catch (IOException | RuntimeException e) {
                // a temporary folder: what is left, the system's cleaner takes
            }
        }));
        return classes;
    }

    /** How many tasks run at once. */
    abstract int parallelism();

    /** ONNX Runtime threads for an executor's one model: its share of the cores, so executors do not oversubscribe. */
    abstract int onnxThreads(int slots);

    /** What paths are looked up with here (an input's format by its folder, its lineage digest). */
    abstract Configuration hadoop();

    /** Where the notebook's cell classes go: read here to check cell objects, and loaded by executors. */
    abstract CellClasses cells();

    /** Runs one request's jobs as one group, whose progress goes to {@code events} until closed. */
    abstract AutoCloseable job(String group, String op, Events events);

    /** One line for the kernel: what this driver is connected to. */
    abstract String kind();

    @Override
    public void close() {
        spark.stop();
    }
}
