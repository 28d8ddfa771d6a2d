package yardstick.magics.finetune.gpu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * A stand-in for {@code nvidia-smi}, since no GPU runs where the tests do: a shell script that answers exactly the
 * two queries Yardstick makes with the CSV nvidia-smi prints for them ({@code --format=csv,noheader,nounits}: one line
 * per GPU, fields joined by ", "), from files the test rewrites between calls, and refuses any other query as
 * nvidia-smi does (the wording and exit status 2 of the real one on an H200). Rows are kept in index order.
 */
final class FakeNvidiaSmi {
    private final Path dir;
    private final List<String[]> gpus = new ArrayList<>();
    private final List<String> apps = new ArrayList<>();

    private FakeNvidiaSmi(Path dir) {
        this.dir = dir;
    }

    /** Writes {@code dir/bin/nvidia-smi}, with no GPUs until {@link #gpu} adds some. */
    static FakeNvidiaSmi in(Path dir) throws IOException {
        Files.createDirectories(dir.resolve("bin"));
        FakeNvidiaSmi f = new FakeNvidiaSmi(dir);
        f.write();
        Path script = f.path();
        Files.writeString(script, """
                #!/bin/sh
                d="$(dirname "$0")/.."
                [ -f "$d/fail" ] && { cat "$d/fail"; exit 9; }
                [ -f "$d/hang" ] && exec sleep 60
                [ "$2" = "--format=csv,noheader,nounits" ] || { echo "Unsupported format: $2"; exit 2; }
                case "$1" in
                  --query-gpu=index,uuid,name,memory.used,memory.total,utilization.gpu) cat "$d/gpus.csv" ;;
                  --query-compute-apps=gpu_uuid,pid,used_memory) cat "$d/apps.csv" ;;
                  *) printf 'Field "%s" is not a valid field to query.\\n\\n' "${1#*=}"; exit 2 ;;
                esac
                """);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return f;
    }

    Path path() {
        return dir.resolve("bin").resolve("nvidia-smi");
    }

    /** The folder to put on a PATH. */
    Path bin() {
        return dir.resolve("bin");
    }

    static String uuid(int index) {
        return "GPU-5a1c9e2f-0b3d-4e6f-8a7b-00000000000" + index;
    }

    /** Adds a GPU: index, name, memory used and total (MiB), utilization (%). */
    FakeNvidiaSmi gpu(int index, String name, long usedMib, long totalMib, int utilization) throws IOException {
        gpus.add(new String[] {String.valueOf(index), uuid(index), name, String.valueOf(usedMib), String.valueOf(totalMib),
            String.valueOf(utilization)});
        return write();
    }

    /** Changes a GPU's memory used and utilization, as a running job would. */
    FakeNvidiaSmi load(int index, long usedMib, int utilization) throws IOException {
        for (String[] g : gpus) {
            if (g[0].equals(String.valueOf(index))) {
                g[3] = String.valueOf(usedMib);
                g[5] = String.valueOf(utilization);
            }
        }
        return write();
    }

    /** A process using a GPU, as --query-compute-apps lists it. */
    FakeNvidiaSmi app(int gpuIndex, long pid, long usedMib) throws IOException {
        apps.add(uuid(gpuIndex) + ", " + pid + ", " + usedMib);
        return write();
    }

    /** From now on nvidia-smi fails with this message, as it does when the driver is not loaded. */
    FakeNvidiaSmi fail(String message) throws IOException {
        Files.writeString(dir.resolve("fail"), message + "\n");
        return this;
    }

    /** From now on nvidia-smi hangs (a wedged driver). */
    FakeNvidiaSmi hang() throws IOException {
        Files.writeString(dir.resolve("hang"), "");
        return this;
    }

    /** Writes raw lines as its --query-gpu answer. */
    FakeNvidiaSmi raw(String text) throws IOException {
        Files.writeString(dir.resolve("gpus.csv"), text);
        return this;
    }

    private FakeNvidiaSmi write() throws IOException {
        StringBuilder b = new StringBuilder();
        for (String[] g : gpus) b.append(String.join(", ", g)).append('\n');
        Files.writeString(dir.resolve("gpus.csv"), b);
        Files.writeString(dir.resolve("apps.csv"), apps.isEmpty() ? "" : String.join("\n", apps) + "\n");
        return this;
    }
}
