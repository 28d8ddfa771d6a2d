package yardstick.spark;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A real Spark Connect server on loopback, in front of a given master, started from the jars Maven resolved: the
 * cluster's (Spark's, Delta's, their libraries) and the server's own, and none of Yardstick's, which a client must
 * send as artifacts. Configured as an operator would for Java 25 executors and Delta.
 */
final class ConnectServer implements AutoCloseable {
    /** What Spark's JVMs need on a recent Java: Arrow over Netty wants these opened, and Unsafe's memory access. */
    static final List<String> JVM_FLAGS = flags();
    private final Process process;
    private final int port;

    private ConnectServer(Path dir, String master) throws Exception {
        List<String> cp = new ArrayList<>(StandaloneCluster.sparkJars());
        // The server's own jars, which its executors need too (a Spark distribution has them in jars/).
        String server = Files.readString(Path.of("target/connect-server-classpath.txt")).strip();
        cp.addAll(List.of(server.split(File.pathSeparator)));
        port = StandaloneCluster.freePort();
        List<String> cmd = new ArrayList<>(List.of(StandaloneCluster.javaBin(), "-Xmx1g"));
        cmd.addAll(JVM_FLAGS);
        cmd.addAll(List.of("-cp", String.join(File.pathSeparator, cp),
                "-Dspark.master=" + master, "-Dspark.app.name=connect-server", "-Dspark.ui.enabled=false",
                "-Dspark.connect.grpc.binding.address=127.0.0.1", "-Dspark.connect.grpc.binding.port=" + port,
                // Often enough that a test's short jobs report progress.
                "-Dspark.connect.progress.reportInterval=200ms",
                "-Dspark.executor.extraJavaOptions=" + String.join(" ", JVM_FLAGS)
                        + " --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED",
                "-Dspark.executor.extraClassPath=" + server,
                "-Dspark.sql.warehouse.dir=" + dir.resolve("connect-warehouse").toUri(),
                "-Dspark.sql.extensions=io.delta.sql.DeltaSparkSessionExtension",
                "-Dspark.sql.catalog.spark_catalog=org.apache.spark.sql.delta.catalog.DeltaCatalog",
                "org.apache.spark.sql.connect.service.SparkConnectServer"));
        Path log = dir.resolve("connect-server.log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        process = pb.start();
        long deadline = System.currentTimeMillis() + 120_000;
        while (!(Files.exists(log) && Files.readString(log).contains("Spark Connect server started"))) {
            if (!process.isAlive() || System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("the Spark Connect server did not start:\n" + Files.readString(log));
            }
            Thread.sleep(200);
        }
    }

    private static List<String> flags() {
        List<String> f = new ArrayList<>(List.of("--add-opens=java.base/java.nio=ALL-UNNAMED",
                "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens=java.base/java.lang=ALL-UNNAMED",
                "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED", "--add-opens=java.base/java.util=ALL-UNNAMED",
                "-Dio.netty.tryReflectionSetAccessible=true"));
        // The flag exists from Java 23 (older ones refuse it); from 24 on Netty needs it.
        if (Runtime.version().feature() >= 23) f.add("--sun-misc-unsafe-memory-access=allow");
        return List.copyOf(f);
    }

    static ConnectServer start(Path dir, String master) throws Exception {
        return new ConnectServer(dir, master);
    }

    String url() {
        return "sc://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(15, java.util.concurrent.TimeUnit.SECONDS)) process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
