package yardstick.spark.driver;

import org.apache.spark.sql.SparkSession;

/** The one Spark session of a driver: no web UIs, Yardstick's classes on the executors, its home folder there too. */
final class Sessions {
    private Sessions() {}

    static SparkSession start(String master, String executorClassPath, String home) throws java.io.IOException {
        // Spark serves this folder to executors as the REPL's class folder: cell classes the kernel sends land here.
        java.nio.file.Path classes = java.nio.file.Files.createTempDirectory("yardstick-cell-classes-");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteAll(classes)));
        SparkSession.Builder b = SparkSession.builder().appName("yardstick").master(master)
                .config("spark.ui.enabled", "false")
                // Executors run Yardstick's code (prompting, embedding, scoring) from the jars it was built with; the
                // workers must see the same paths (one machine, or a shared installation).
                .config("spark.executor.extraClassPath", executorClassPath)
                .config("spark.executorEnv.YARDSTICK_HOME", home)
                .config("spark.repl.class.outputDir", classes.toString())
                // Tasks then load cell classes from that folder (spark.repl.class.uri) rather than from the session's
                // own artifact folder, which would reach it only through the executor's class loader chain.
                .config("spark.sql.artifact.isolation.enabled", "false")
                // Lucene's vectorized code (HNSW while shards are written) and ONNX Runtime's native access, as the
                // kernel's JVM has them; flags every Java from 21 on accepts.
                .config("spark.executor.extraJavaOptions", "--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Djava.awt.headless=true")
                // Tables a cell names (--output answers) live under Yardstick's home, not where the kernel started.
                .config("spark.sql.warehouse.dir", java.nio.file.Path.of(home, "spark", "warehouse").toUri().toString())
                .config("spark.sql.shuffle.partitions", "8")
                .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
                .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog");
        SparkSession s = b.getOrCreate();
        s.sparkContext().setLogLevel(System.getenv().getOrDefault("YARDSTICK_SPARK_LOG", "WARN"));
        return s;
    }

    private static void deleteAll(java.nio.file.Path dir) {
        try (var files = java.nio.file.Files.walk(dir)) {
            for (var f : files.sorted(java.util.Comparator.reverseOrder()).toList()) java.nio.file.Files.deleteIfExists(f);
        } catch (java.io.IOException | RuntimeException e) {
            // a temporary folder: what is left, the system's cleaner takes
        }
    }
}
