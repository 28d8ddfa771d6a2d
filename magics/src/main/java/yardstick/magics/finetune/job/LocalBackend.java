package yardstick.magics.finetune.job;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import yardstick.magics.finetune.train.TrainerMain;

/**
 * Runs the trainer as a child JVM: the same {@code java} and class path as this one, output to the job's
 * {@code log.txt}, DJL offline with its native libraries unpacked under {@code djlCache}. The child is found again
 * after a kernel restart by its process id and start time (a reused id is not mistaken for it).
 */
public final class LocalBackend implements Backend {
    private final Path djlCache;
    private final Map<Long, ProcessHandle> handles = new java.util.concurrent.ConcurrentHashMap<>();

    public LocalBackend(Path djlCache) {
        this.djlCache = djlCache;
    }

    @Override
    public String name() {
        return "local";
    }

    /** The command line that runs the trainer on a job folder, as this JVM would start it. */
    public static List<String> command(Path dir) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("-Dai.djl.offline=true");
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-cp");
        cmd.add(absoluteClassPath(System.getProperty("java.class.path")));
        cmd.add(TrainerMain.class.getName());
        cmd.add(dir.toAbsolutePath().toString());
        return cmd;
    }

    /** The child starts in the job's folder: relative class path entries must not change meaning. */
    static String absoluteClassPath(String cp) {
        StringBuilder b = new StringBuilder();
        for (String e : cp.split(java.io.File.pathSeparator)) {
            if (e.isEmpty()) continue;
            if (b.length() > 0) b.append(java.io.File.pathSeparatorChar);
            b.append(Path.of(e).toAbsolutePath().normalize());
        }
        return b.toString();
    }

    @Override
    public JobRecord launch(JobRecord record, Path dir) {
        return launch(record, dir, Map.of());
    }

    @Override
    public JobRecord launch(JobRecord record, Path dir, Map<String, String> env) {
        JobSpec spec;
        try {
            spec = JobSpec.read(dir.resolve(TrainerMain.SPEC));
        } catch (IOException e) {
            throw new JobException("cannot read the job's spec in " + dir + ": " + e.getMessage(), e);
        }
        if (spec.runsCommand()) return launchCommand(record, dir, spec.command(), env);
        try {
            return launchTrainer(record, dir, JobValidator.installedTorchFor(spec));
        } catch (yardstick.magics.finetune.gpu.GpuException e) {
            throw new JobException("--device gpu: " + e.getMessage(), e);
        }
    }

    /**
     * A command in a session of its own ({@code setsid}): it outlives the kernel, and a cancel reaches every process it
     * started (data loaders, {@code torchrun} workers) by signalling the whole process group.
     */
    private JobRecord launchCommand(JobRecord record, Path dir, CommandSpec c, Map<String, String> env) {
        List<String> cmd = new ArrayList<>();
        cmd.add("setsid");
        cmd.addAll(CommandJob.wrapped(c.line(), dir));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(Path.of(c.workdir()).toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(JobRegistry.LOG).toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().putAll(env);
        pb.environment().putAll(c.env());
        return start(pb, record);
    }

    /** @param torch the environment pointing DJL at an installed PyTorch, or none for the native jar on the class path */
    private JobRecord launchTrainer(JobRecord record, Path dir, Map<String, String> torch) {
        ProcessBuilder pb = new ProcessBuilder(command(dir)).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(JobRegistry.LOG).toFile()));
        pb.environment().put("DJL_CACHE_DIR", djlCache.toAbsolutePath().toString());
        pb.environment().put("DJL_OFFLINE", "true");
        pb.environment().putAll(torch);
        return start(pb, record);
    }

    private static JobRecord start(ProcessBuilder pb, JobRecord record) {
        try {
            Process p = pb.start();
            long start = p.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
            return record.withProcess(p.pid(), start);
        } catch (IOException e) {
            throw new JobException("cannot start the trainer: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean alive(JobRecord r) {
        return handle(r).map(ProcessHandle::isAlive).orElse(false);
    }

    /** The job's process, checked once to be the one started for it (a reused id is not), then remembered. */
    private Optional<ProcessHandle> handle(JobRecord r) {
        if (r.pid() <= 0) return Optional.empty();
        ProcessHandle known = handles.get(r.pid());
        if (known != null) return Optional.of(known);
        Optional<ProcessHandle> h = ProcessHandle.of(r.pid()).filter(p -> r.pidStart() == 0 || p.info().startInstant()
                .map(i -> Math.abs(i.toEpochMilli() - r.pidStart()) < 2000).orElse(true));
        h.ifPresent(p -> handles.put(r.pid(), p));
        return h;
    }

    @Override
    public void cancel(JobRecord r) {
        Optional<ProcessHandle> h = handle(r);
        if (h.isEmpty() || !h.get().isAlive()) return;
        ProcessHandle p = h.get();
        boolean group = leadsGroup(p.pid());
        signal(p, group, "TERM");
        try {
            p.onExit().get(3, TimeUnit.SECONDS);
            // What the group's leader left behind (a data loader that ignored SIGTERM) goes too.
            if (group) signal(p, true, "KILL");
        } catch (Exception stillRunning) {
            // A trainer busy in native code may ignore SIGTERM: stop it for sure.
            signal(p, group, "KILL");
            try {
                p.onExit().get(2, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new JobException("the trainer (pid " + r.pid() + ") did not stop within 5 s");
            }
        }
    }

    /** True when the process leads its own process group, as a command job started by {@code setsid} does. */
    static boolean leadsGroup(long pid) {
        try {
            String stat = java.nio.file.Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // pid (comm) state ppid pgrp ...: comm may hold spaces and parentheses, so count from its end.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[2]) == pid;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Signals the process, or its whole process group (a command job leads its own). */
    private static void signal(ProcessHandle p, boolean group, String sig) {
        if (!group) {
            if (sig.equals("KILL")) p.destroyForcibly();
            else p.destroy();
            return;
        }
        try {
            new ProcessBuilder("kill", "-" + sig, "--", "-" + p.pid()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            p.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
