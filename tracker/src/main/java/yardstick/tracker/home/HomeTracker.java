package yardstick.tracker.home;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import yardstick.common.JvmFlags;
import yardstick.common.YardstickNames;

/**
 * The one tracker of a Yardstick home, shared by every kernel, {@code yardstick run} and {@code yardstick tracker
 * start} of that home: found through {@link TrackerFile} when its {@code /health} answers with the instance the file
 * names, else started as a process of its own that outlives whoever started it. A file lock on {@code tracker.lock}
 * makes the check-and-start one step, so two kernels starting at once end up with one tracker.
 */
public final class HomeTracker {
    /** The header {@code /health} names its tracker's instance with. */
    public static final String INSTANCE_HEADER = "X-Yardstick-Instance";
    /** {@code TrackerMain}'s option for serving a home as its shared tracker: see {@link HomeServing}. */
    public static final String SERVE_HOME_OPTION = "--serve-home";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    /** Threads of one JVM: a file lock is held per JVM, so they queue here first. */
    private static final ReentrantLock IN_PROCESS = new ReentrantLock();

    private HomeTracker() {}

    /** The URL of the tracker serving {@code home}, started when none answers. */
    public static URI ensure(Path home) {
        Path abs = home.toAbsolutePath().normalize();
        return locked(abs, () -> {
            Optional<TrackerFile> running = running(abs);
            if (running.isPresent()) return URI.create(running.get().url());
            return start(abs);
        });
    }

    /** The tracker serving {@code home} now, if one answers as the home's file says. */
    public static Optional<TrackerFile> running(Path home) {
        return TrackerFile.read(home.toAbsolutePath().normalize()).filter(HomeTracker::answers);
    }

    /**
     * Stops the tracker serving {@code home}; false when none was running. Its file stays, so the next one comes back
     * on the same port. Only a process that answered as the file's instance is signalled, never a pid reused since.
     */
    public static boolean stop(Path home) {
        Path abs = home.toAbsolutePath().normalize();
        if (!Files.isDirectory(abs)) return false;
        return locked(abs, () -> {
            Optional<TrackerFile> file = TrackerFile.read(abs).filter(HomeTracker::answers);
            if (file.isEmpty()) return false;
            Optional<ProcessHandle> process = ProcessHandle.of(file.get().pid());
            if (process.isPresent()) {
                process.get().destroy();
                try {
                    process.get().onExit().get(15, TimeUnit.SECONDS);
                } catch (java.util.concurrent.TimeoutException stuck) {
                    process.get().destroyForcibly();
                } catch (java.util.concurrent.ExecutionException e) {
                    // it ended
                }
            }
            return true;
        });
    }

    /** True when {@code file}'s URL answers {@code /health} as the instance it names. */
    static boolean answers(TrackerFile file) {
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
            HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(file.url() + "/health"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200 && file.instance().equals(r.headers().firstValue(INSTANCE_HEADER).orElse(null));
        } catch (IOException | IllegalArgumentException notThere) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private interface Locked<T> {
        T run() throws IOException, InterruptedException;
    }

    private static <T> T locked(Path home, Locked<T> work) {
        IN_PROCESS.lock();
        try {
            Files.createDirectories(home);
            try (FileChannel channel = FileChannel.open(home.resolve(YardstickNames.TRACKER_LOCK_FILE),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE); FileLock lock = channel.lock()) {
                return work.run();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("The tracker of " + home + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the tracker of " + home, e);
        } finally {
            IN_PROCESS.unlock();
        }
    }

    /** Starts {@code TrackerMain --serve-home} detached and waits until it has written its file and answers. */
    private static URI start(Path home) throws IOException, InterruptedException {
        Path log = home.resolve(YardstickNames.TRACKER_LOG_FILE);
        long logStart = Files.exists(log) ? Files.size(log) : 0;
        // In the home, not the notebook's folder, which may be deleted while the tracker serves.
        Process p = new ProcessBuilder(command(home)).directory(home.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<TrackerFile> file = TrackerFile.read(home);
            if (file.isPresent() && file.get().pid() == p.pid() && answers(file.get())) {
                return URI.create(file.get().url());
            }
            if (!p.isAlive()) {
                throw new IllegalStateException("The tracker of " + home + " did not start (exit " + p.exitValue() + "): "
                        + tail(log, logStart));
            }
            Thread.sleep(50);
        }
        p.destroyForcibly();
        throw new IllegalStateException("The tracker of " + home + " did not answer within " + START_TIMEOUT.toSeconds()
                + " s; see " + log);
    }

    /**
     * This JVM's java and class path with the flags the launcher gives {@code yardstick tracker}, the launcher's AOT
     * cache when there is one for this class path and JDK, in a session of its own ({@code setsid}), so that a
     * front end that signals the kernel's process group on shutdown does not stop it.
     */
    static List<String> command(Path home) {
        String cp = System.getProperty("java.class.path");
        List<String> cmd = new ArrayList<>();
        if (Files.isExecutable(Path.of("/usr/bin/setsid"))) cmd.add("/usr/bin/setsid");
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(JvmFlags.libraries());
        Path cache = launcherCache(home, cp);
        if (Files.isRegularFile(cache)) cmd.add("-XX:AOTCache=" + cache);
        cmd.add("-D" + YardstickNames.HOME_PROPERTY + "=" + home);
        cmd.addAll(List.of("-cp", cp, "yardstick.tracker.TrackerMain", SERVE_HOME_OPTION));
        return cmd;
    }

    /** Where the launcher keeps the tracker's AOT cache: {@code cds/tracker-KEY.aot}, KEY the POSIX cksum of the class path and the JDK's release file. */
    static Path launcherCache(Path home, String classPath) {
        String release = "";
        try {
            release = Files.readString(Path.of(System.getProperty("java.home"), "release")).replaceFirst("\n+$", "");
        } catch (IOException none) {
            // the key then matches no cache the launcher made
        }
        byte[] key = (classPath + "\n" + release).getBytes(StandardCharsets.UTF_8);
        return home.resolve("cds").resolve("tracker-" + Cksum.of(key) + ".aot");
    }

    private static String tail(Path log, long from) {
        try {
            byte[] all = Files.readAllBytes(log);
            int start = (int) Math.max(from, all.length - 2000L);
            return new String(all, start, all.length - start, StandardCharsets.UTF_8).strip();
        } catch (IOException | IndexOutOfBoundsException e) {
            return "(no log at " + log + ")";
        }
    }
}
