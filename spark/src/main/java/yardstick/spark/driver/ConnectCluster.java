package yardstick.spark.driver;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;

/**
 * A Spark Connect client ({@code sc://HOST:15002}): the server plans and runs the jobs on its cluster. Everything the
 * executors run of Yardstick's reaches them as the session's artifacts: its jars once, when the session starts, and
 * the notebook's cell classes as they come. The server's own settings (Delta, the warehouse, executors' JVM flags)
 * are its operator's.
 */
final class ConnectCluster extends Cluster {
    private final org.apache.spark.sql.connect.SparkSession connect;
    private final ConnectProgress progress;
    private final CellClasses cells;
    private final int parallelism;
    private final Configuration hadoop = new Configuration();

    private ConnectCluster(org.apache.spark.sql.connect.SparkSession spark, ConnectProgress progress, Path classes) {
        super(spark);
        this.connect = spark;
        this.progress = progress;
        // Class artifacts (the client files them under "classes/"), which the session's executors load on demand.
        this.cells = new CellClasses(classes, (name, bytes) -> spark.addArtifact(bytes, name.replace('.', '/') + ".class"));
        // A range over the default parallelism has every partition non-empty: their count is the task slots.
        Row r = spark.sql("SELECT count(DISTINCT p) FROM (SELECT spark_partition_id() AS p FROM range(0, 100000))").first();
        this.parallelism = (int) Math.max(1, r.getLong(0));
    }

    static ConnectCluster start(String url, List<String> executorJars) throws Exception {
        ConnectProgress progress = new ConnectProgress();
        var s = org.apache.spark.sql.connect.SparkSession.builder().remote(url).interceptor(progress).create();
        Path classes = cellClassFolder();
        List<URI> jars = new ArrayList<>();
        for (String entry : executorJars) jars.add(jar(Path.of(entry), classes.getParent()).toUri());
        s.addArtifacts(jars.toArray(URI[]::new));
        s.conf().set("spark.sql.shuffle.partitions", "8");
        return new ConnectCluster(s, progress, classes);
    }

    /** A jar as it is; a classes folder (a build's) packed into one, as artifacts are jars or single classes. */
    private static Path jar(Path entry, Path tmp) throws IOException {
        if (!Files.isDirectory(entry)) return entry;
        Path jar = Files.createTempFile(tmp, "yardstick-classes-", ".jar");
        jar.toFile().deleteOnExit();
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out);
             Stream<Path> files = Files.walk(entry)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                j.putNextEntry(new JarEntry(entry.relativize(f).toString().replace('\\', '/')));
                Files.copy(f, j);
                j.closeEntry();
            }
        }
        return jar;
    }

    @Override
    int parallelism() {
        return parallelism;
    }

    @Override
    int onnxThreads(int slots) {
        // The server's cores per executor when it says; all slots when its master is local; else one thread per task.
        String master = connect.conf().get("spark.master", "");
        if (master.startsWith("local")) return slots;
        return Integer.parseInt(connect.conf().get("spark.executor.cores", "1"));
    }

    @Override
    Configuration hadoop() {
        return hadoop;
    }

    @Override
    CellClasses cells() {
        return cells;
    }

    @Override
    AutoCloseable job(String group, String op, Events events) {
        connect.addTag(group);
        progress.follow(events);
        return () -> {
            progress.follow(null);
            connect.removeTag(group);
        };
    }

    @Override
    String kind() {
        return "connect";
    }
}
