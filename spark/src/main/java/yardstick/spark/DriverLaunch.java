package yardstick.spark;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How the Spark driver's child JVM starts: which Java, which class path, and whether the master answers at all.
 *
 * <p>The driver runs beside the kernel, never in it: Spark's ~170 jars stay off the kernel's class path (kernels start
 * fast), the driver may use another JDK than the kernel, and a driver that dies takes no notebook state with it. The
 * class paths are the ones Maven wrote next to this module's classes ({@code target/driver-classpath.txt}: Spark and
 * ours; {@code target/executor-classpath.txt}: ours, which executors add to Spark's own jars, with Delta's from
 * {@code target/delta-classpath.txt}).
 */
record DriverLaunch(Path java, List<String> driverClassPath, List<String> executorClassPath) {
    /** A master that does not answer a TCP connect in this time is reported as unreachable. */
    static final int CONNECT_TIMEOUT_MS = 3000;

    /** The launch for this installation: {@code java} null means the kernel's own Java. */
    static DriverLaunch find(Path java) {
        Path self = codeSource();
        Path target = self.getParent();
        Path driver = target.resolve("driver-classpath.txt"), executor = target.resolve("executor-classpath.txt"),
                delta = target.resolve("delta-classpath.txt");
        if (!Files.isRegularFile(driver) || !Files.isRegularFile(executor) || !Files.isRegularFile(delta)) {
            throw new SparkException("the spark module's class paths are missing next to " + self
                    + " (build it: ./mvnw -B -q -pl spark -am package -Dmaven.test.skip=true)");
        }
        List<String> d = new ArrayList<>(read(driver)), e = new ArrayList<>(read(executor));
        e.addAll(read(delta));
        d.add(self.toString());
        e.add(self.toString());
        Path j = java != null ? java : Path.of(ProcessHandle.current().info().command().orElse("java"));
        if (!Files.isExecutable(j)) throw new SparkException("no Java at " + j);
        return new DriverLaunch(j, d, e);
    }

    /** This module's jar, or its classes folder when run from the build. */
    private static Path codeSource() {
        try {
            return Path.of(DriverLaunch.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (Exception e) {
            throw new SparkException("cannot tell where the spark module is loaded from: " + e.getMessage(), e);
        }
    }

    private static List<String> read(Path file) {
        try {
            String s = Files.readString(file).strip();
            return s.isEmpty() ? List.of() : Arrays.asList(s.split(File.pathSeparator));
        } catch (IOException e) {
            throw new SparkException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Checks a master URL before a JVM is started for it: {@code local[...]} needs nothing; {@code spark://HOST:PORT}
     * must accept a TCP connection within {@link #CONNECT_TIMEOUT_MS} (Spark itself would retry registration for a
     * minute before giving up); {@code sc://} (Spark Connect) is refused with a clear line.
     */
    static void checkMaster(String master) {
        if (master.equals("local") || master.matches("local\\[(\\*|\\d+)(,\\d+)?]")) return;
        if (master.startsWith("sc://")) {
            throw new SparkException("Spark Connect (" + master + ") is not supported yet: the engine runs Yardstick's "
                    + "code on executors through a classic driver; connect to the standalone master (spark://HOST:7077)");
        }
        if (!master.startsWith("spark://")) {
            throw new SparkException("'" + master + "' is not a master URL: use local[*] or spark://HOST:PORT");
        }
        IOException last = null;
        for (String hostPort : master.substring("spark://".length()).split(",")) {
            URI u = URI.create("spark://" + hostPort);
            if (u.getHost() == null || u.getPort() < 0) throw new SparkException("'" + master + "' needs HOST:PORT");
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(u.getHost(), u.getPort()), CONNECT_TIMEOUT_MS);
                return;
            } catch (IOException e) {
                last = e;
            }
        }
        throw new SparkException("the Spark master " + master + " is unreachable (" + last.getMessage()
                + "): is it running, and is the address right?");
    }
}
