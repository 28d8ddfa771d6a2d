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
record DriverLaunch(Path java, List<String> driverClassPath, List<String> executorClassPath, List<String> deltaClassPath) {
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
        d.add(self.toString());
        e.add(self.toString());
        Path j = java != null ? java : Path.of(ProcessHandle.current().info().command().orElse("java"));
        if (!Files.isExecutable(j)) throw new SparkException("no Java at " + j);
        return new DriverLaunch(j, d, e, read(delta));
    }

    /**
     * The driver's class path for {@code master}. Spark Connect's client jar bundles its own build of Spark's SQL API
     * (Arrow and gRPC relocated), which must come before the classic one for a Connect client and be absent for a
     * classic driver.
     */
    List<String> driverClassPath(String master) {
        List<String> client = driverClassPath.stream().filter(DriverLaunch::isConnectClient).toList();
        List<String> rest = driverClassPath.stream().filter(e -> !isConnectClient(e)).toList();
        if (!master.startsWith("sc://")) return rest;
        List<String> all = new ArrayList<>(client);
        all.addAll(rest);
        return all;
    }

    static boolean isConnectClient(String entry) {
        return Path.of(entry).getFileName().toString().startsWith("spark-connect-client-jvm");
    }

    /**
     * What executors need beside Spark's own jars. A classic driver adds Delta's jars to them; a Spark Connect server
     * has Delta or not as its operator set it up (its SQL extension is a server setting), so only Yardstick's travel.
     */
    List<String> executorJars(String master) {
        if (master.startsWith("sc://")) return executorClassPath;
        List<String> all = new ArrayList<>(executorClassPath);
        all.addAll(deltaClassPath);
        return all;
    }

    /**
     * The driver JVM's flags beyond the heap: Spark Connect's client moves results as Arrow batches through Netty,
     * which needs {@code java.nio} opened and, from Java 24 on, {@code sun.misc.Unsafe}'s memory access allowed (the
     * flag exists from Java 23; an older Java would refuse it).
     */
    List<String> jvmFlags() {
        List<String> flags = new ArrayList<>(List.of("--add-opens=java.base/java.nio=ALL-UNNAMED",
                "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "-Dio.netty.tryReflectionSetAccessible=true"));
        if (feature(java) >= 23) flags.add("--sun-misc-unsafe-memory-access=allow");
        return flags;
    }

    /** A JDK's feature version from its {@code release} file; the kernel's own when {@code java} is the kernel's. */
    static int feature(Path java) {
        if (java.equals(Path.of(ProcessHandle.current().info().command().orElse("")))) return Runtime.version().feature();
        try {
            for (String line : Files.readAllLines(java.toRealPath().getParent().getParent().resolve("release"))) {
                if (line.startsWith("JAVA_VERSION=")) return Runtime.Version.parse(line.substring(13).replace("\"", "")).feature();
            }
        } catch (IOException | RuntimeException e) {
            // no release file: a Java too unusual to tell, given no flag it may refuse
        }
        return 0;
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
     * and {@code sc://HOST[:PORT][/;params]} (Spark Connect, port 15002 by default) must accept a TCP connection
     * within {@link #CONNECT_TIMEOUT_MS} (Spark itself would retry for a minute before giving up).
     */
    static void checkMaster(String master) {
        if (master.equals("local") || master.matches("local\\[(\\*|\\d+)(,\\d+)?]")) return;
        if (master.startsWith("sc://")) {
            String authority = master.substring("sc://".length()).split("[/;]", 2)[0];
            URI u = authority.isEmpty() ? null : URI.create("sc://" + authority);
            if (u == null || u.getHost() == null) throw new SparkException("'" + master + "' needs a host: sc://HOST:15002");
            reach(master, List.of(new InetSocketAddress(u.getHost(), u.getPort() < 0 ? 15002 : u.getPort())), "Spark Connect server");
            return;
        }
        if (!master.startsWith("spark://")) {
            throw new SparkException("'" + master + "' is not a master URL: use local[*], spark://HOST:PORT or sc://HOST:PORT");
        }
        List<InetSocketAddress> masters = new ArrayList<>();
        for (String hostPort : master.substring("spark://".length()).split(",")) {
            URI u = URI.create("spark://" + hostPort);
            if (u.getHost() == null || u.getPort() < 0) throw new SparkException("'" + master + "' needs HOST:PORT");
            masters.add(new InetSocketAddress(u.getHost(), u.getPort()));
        }
        reach(master, masters, "Spark master");
    }

    /** Returns once one of {@code addresses} accepts a connection; else a clear error naming {@code url}. */
    private static void reach(String url, List<InetSocketAddress> addresses, String what) {
        IOException last = null;
        for (InetSocketAddress a : addresses) {
            try (Socket s = new Socket()) {
                s.connect(a, CONNECT_TIMEOUT_MS);
                return;
            } catch (IOException e) {
                last = e;
            }
        }
        throw new SparkException("the " + what + " " + url + " is unreachable (" + last.getMessage()
                + "): is it running, and is the address right?");
    }
}
