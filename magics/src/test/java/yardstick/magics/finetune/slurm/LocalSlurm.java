package yardstick.magics.finetune.slurm;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A one-node Slurm cluster on localhost for tests, from Debian's {@code slurm-wlm} and {@code munge}: its own munge
 * key and socket, its own ports, every file in one temporary folder, so that it disturbs nothing else on the machine
 * (nor another test run beside it). The daemons run as root, as Slurm's do; {@link #close} cancels what is left in
 * the queue and stops them.
 */
final class LocalSlurm implements AutoCloseable {
    private static final String[] BINARIES = {"/usr/sbin/munged", "/usr/sbin/mungekey", "/usr/sbin/slurmctld",
        "/usr/sbin/slurmd", "/usr/bin/sbatch", "/usr/bin/squeue", "/usr/bin/sacct", "/usr/bin/scancel", "/usr/bin/sinfo"};
    private final Path dir;
    private final Path conf;
    private final List<Process> daemons = new ArrayList<>();

    private LocalSlurm(Path dir) {
        this.dir = dir;
        this.conf = dir.resolve("slurm.conf");
    }

    /** Starts munged, slurmctld and slurmd and waits until the node is idle. */
    static LocalSlurm start() throws IOException, InterruptedException {
        for (String b : BINARIES) {
            if (!Files.isExecutable(Path.of(b))) {
                throw new IllegalStateException(b + " is missing: install Debian's slurm-wlm and munge packages");
            }
        }
        Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        if (!Integer.valueOf(0).equals(uid)) {
            throw new IllegalStateException("the test Slurm cluster runs its daemons as root; this JVM runs as uid " + uid);
        }
        // munged insists that everyone may traverse the folders on the way to its socket: not a 0700 @TempDir.
        Path dir = Files.createTempDirectory("yardstick-slurm", PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-xr-x")));
        LocalSlurm s = new LocalSlurm(dir);
        try {
            s.boot();
        } catch (IOException | InterruptedException | RuntimeException e) {
            s.close();
            throw e;
        }
        return s;
    }

    /** The environment Slurm's commands need to talk to this cluster. */
    Map<String, String> env() {
        return Map.of("SLURM_CONF", conf.toString());
    }

    Path conf() {
        return conf;
    }

    /**
     * A copy of this cluster's configuration whose controller port nobody listens on: Slurm's commands given it meet a
     * cluster whose slurmctld is down, while this one goes on serving the other tests. {@code messageTimeout} is how
     * many seconds they keep trying (Slurm's MessageTimeout).
     */
    Path confWithoutController(int messageTimeout) throws IOException {
        String text = Files.readString(conf).replaceFirst("(?m)^SlurmctldPort=\\d+$", "SlurmctldPort=" + freePort())
                + "MessageTimeout=" + messageTimeout + "\n";
        return Files.writeString(dir.resolve("down-" + messageTimeout + ".conf"), text);
    }

    private void boot() throws IOException, InterruptedException {
        Path munge = Files.createDirectories(dir.resolve("munge"));
        Files.createDirectories(dir.resolve("state"));
        Files.createDirectories(dir.resolve("spool"));
        Path socket = munge.resolve("munge.socket");
        check(new ProcessBuilder("/usr/sbin/mungekey", "--create", "--keyfile=" + munge.resolve("munge.key")));
        Files.writeString(conf, slurmConf(socket, freePort(), freePort()));
        daemons.add(daemon("munged", "/usr/sbin/munged", "--foreground", "--socket=" + socket,
                "--key-file=" + munge.resolve("munge.key"), "--pid-file=" + munge.resolve("munged.pid"),
                "--log-file=" + munge.resolve("munged.log"), "--seed-file=" + munge.resolve("munged.seed")));
        await(() -> Files.exists(socket), 10, "munged did not create its socket", "munged");
        daemons.add(daemon("slurmctld", "/usr/sbin/slurmctld", "-D", "-c", "-f", conf.toString()));
        daemons.add(daemon("slurmd", "/usr/sbin/slurmd", "-D", "-N", "localhost", "-f", conf.toString()));
        await(() -> "idle".equals(command("sinfo", "-h", "-o", "%T").strip()), 30, "the node did not become idle",
                "slurmctld", "slurmd");
    }

    private String slurmConf(Path mungeSocket, int ctldPort, int dPort) {
        String t = dir.toString();
        return String.join("\n",
                "ClusterName=yardstick-test",
                "SlurmctldHost=localhost",
                "SlurmctldPort=" + ctldPort,
                "SlurmdPort=" + dPort,
                "SlurmUser=root",
                "SlurmdUser=root",
                "AuthType=auth/munge",
                "CredType=cred/munge",
                "AuthInfo=socket=" + mungeSocket,
                "StateSaveLocation=" + t + "/state",
                "SlurmdSpoolDir=" + t + "/spool",
                "SlurmctldPidFile=" + t + "/slurmctld.pid",
                "SlurmdPidFile=" + t + "/slurmd.pid",
                "SlurmctldLogFile=" + t + "/slurmctld.log",
                "SlurmdLogFile=" + t + "/slurmd.log",
                "ProctrackType=proctrack/linuxproc",
                "TaskPlugin=task/none",
                "SelectType=select/cons_tres",
                "SelectTypeParameters=CR_Core",
                "MpiDefault=none",
                "MailProg=/bin/true",
                "ReturnToService=2",
                "JobAcctGatherType=jobacct_gather/linux",
                "AccountingStorageType=accounting_storage/none",
                "JobCompType=jobcomp/filetxt",
                "JobCompLoc=" + t + "/jobcomp.txt",
                // As many CPUs as the machine has: a node configured with more than it finds is drained.
                "NodeName=localhost CPUs=" + Runtime.getRuntime().availableProcessors() + " State=UNKNOWN",
                "PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP",
                "");
    }

    /** Runs a Slurm command against this cluster and returns its output; a failure is an exception. */
    String command(String... cmd) {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env());
        try {
            return check(pb);
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(cmd[0] + ": " + e, e);
        }
    }

    private static String check(ProcessBuilder pb) throws IOException, InterruptedException {
        Process p = pb.redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", pb.command()) + " failed: " + out.strip());
        }
        return out;
    }

    private Process daemon(String name, String... cmd) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".out").toFile());
        pb.environment().putAll(env());
        return pb.start();
    }

    private interface Condition {
        boolean holds() throws Exception;
    }

    private void await(Condition c, int seconds, String what, String... logs) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        Exception last = null;
        while (System.nanoTime() < deadline) {
            for (Process p : daemons) {
                if (!p.isAlive()) throw new IllegalStateException(p.info().command().orElse("a daemon") + " exited with "
                        + p.exitValue() + "\n" + logs(logs));
            }
            try {
                if (c.holds()) return;
            } catch (Exception e) {
                last = e;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException(what + " within " + seconds + " s" + (last == null ? "" : " (" + last.getMessage()
                + ")") + "\n" + logs(logs));
    }

    /** The daemons' own words, for a failure message. */
    String logs(String... names) {
        StringBuilder b = new StringBuilder();
        for (String n : names) {
            for (Path f : List.of(dir.resolve(n + ".out"), dir.resolve(n + ".log"))) {
                try {
                    if (Files.isRegularFile(f)) b.append("--- ").append(f).append('\n').append(Files.readString(f));
                } catch (IOException e) {
                    b.append("(cannot read ").append(f).append(")\n");
                }
            }
        }
        return b.toString();
    }

    @Override
    public void close() {
        if (daemons.size() == 3 && daemons.stream().allMatch(Process::isAlive)) {
            // Jobs' processes are not the daemons' children: cancel them so that no trainer outlives the cluster.
            try {
                command("scancel", "--full", "--signal=KILL", "--partition=debug");
                await(() -> command("squeue", "-h").isBlank(), 10, "jobs still in the queue");
            } catch (RuntimeException | InterruptedException e) {
                System.err.println("LocalSlurm: " + e.getMessage());
            }
        }
        for (int i = daemons.size() - 1; i >= 0; i--) stop(daemons.get(i));
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            System.err.println("LocalSlurm: cannot remove " + dir + ": " + e.getMessage());
        }
    }

    private static void stop(Process p) {
        p.destroy();
        try {
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
