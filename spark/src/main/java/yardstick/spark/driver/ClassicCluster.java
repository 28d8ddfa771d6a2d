package yardstick.spark.driver;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkContext;
import org.apache.spark.sql.SparkSession;

/** A driver of its own: no web UIs, Yardstick's jars on the executors' class path, its home folder there too. */
final class ClassicCluster extends Cluster {
    private final CellClasses cells;

    private ClassicCluster(SparkSession spark, Path classes) {
        super(spark);
        this.cells = new CellClasses(classes, (name, bytes) -> {});
    }

    static ClassicCluster start(String master, List<String> executorJars, Path home) throws Exception {
        // Spark serves this folder to executors as the REPL's class folder: cell classes the kernel sends land here.
        Path classes = cellClassFolder();
        SparkSession s = org.apache.spark.sql.classic.SparkSession.builder().appName("yardstick").master(master)
                .config("spark.ui.enabled", "false")
                // Executors run Yardstick's code (prompting, embedding, scoring) from the jars it was built with; the
                // workers must see the same paths (one machine, or a shared installation).
                .config("spark.executor.extraClassPath", String.join(File.pathSeparator, executorJars))
                .config("spark.executorEnv.YARDSTICK_HOME", home.toString())
                .config("spark.repl.class.outputDir", classes.toString())
                // Tasks then load cell classes from that folder (spark.repl.class.uri) rather than from the session's
                // own artifact folder, which would reach it only through the executor's class loader chain.
                .config("spark.sql.artifact.isolation.enabled", "false")
                // Lucene's vectorized code (HNSW while shards are written) and ONNX Runtime's native access, as the
                // kernel's JVM has them; flags every Java from 21 on accepts.
                .config("spark.executor.extraJavaOptions", "--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Djava.awt.headless=true")
                // Tables a cell names (--output answers) live under Yardstick's home, not where the kernel started.
                .config("spark.sql.warehouse.dir", home.resolve("spark").resolve("warehouse").toUri().toString())
                .config("spark.sql.shuffle.partitions", "8")
                .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
                .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
                .getOrCreate();
        s.sparkContext().setLogLevel(System.getenv().getOrDefault("YARDSTICK_SPARK_LOG", "WARN"));
        return new ClassicCluster(s, classes);
    }

    private SparkContext context() {
        return spark.sparkContext();
    }

    @Override
    int parallelism() {
        return Math.max(1, context().defaultParallelism());
    }

    @Override
    int onnxThreads(int slots) {
        if (context().isLocal()) return slots;
        int executors = context().statusTracker().getExecutorInfos().length - 1;
        return Math.max(1, slots / Math.max(1, executors));
    }

    @Override
    Configuration hadoop() {
        return context().hadoopConfiguration();
    }

    @Override
    CellClasses cells() {
        return cells;
    }

    @Override
    AutoCloseable job(String group, String op, Events events) {
        context().setJobGroup(group, op, true);
        JobProgress progress = new JobProgress(context().statusTracker(), group, events);
        return () -> {
            progress.close();
            context().clearJobGroup();
        };
    }

    @Override
    String kind() {
        return "classic";
    }
}
