package yardstick.magics.finetune.gpu;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A PyTorch installed for Python, found by asking the interpreter ({@code import torch}): its version, the
 * {@code torch/lib} folder with libtorch, and its CUDA build. DJL can run on that libtorch instead of the 2.4 GB
 * native jar, when the versions pair ({@link DjlTorch}). When none is found, {@code problem} says why.
 *
 * @param python the interpreter asked
 * @param version {@code torch.__version__}, e.g. "2.7.1+cu126"
 * @param torchDir the torch package folder
 * @param libraryDir {@code torch/lib}, where libtorch lives
 * @param cudaVersion {@code torch.version.cuda} ("12.6"), null for a CPU build
 * @param cudaAvailable whether PyTorch sees a usable GPU here
 * @param cxx11Abi whether libtorch was built with the C++11 ABI (DJL's 2.7.1 JNI is)
 * @param problem why no PyTorch was found; null when one was
 */
public record TorchInstall(String python, String version, Path torchDir, Path libraryDir, String cudaVersion,
        boolean cudaAvailable, boolean cxx11Abi, String problem) {
    static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROBE = String.join("; ",
            "import json, os, torch",
            "print(json.dumps({'version': torch.__version__, 'dir': os.path.dirname(os.path.abspath(torch.__file__)),"
                    + " 'cuda': torch.version.cuda, 'cuda_available': bool(torch.cuda.is_available()),"
                    + " 'cxx11_abi': bool(torch.compiled_with_cxx11_abi())}))");

    public boolean found() {
        return problem == null;
    }

    /** "2.7.1" of "2.7.1+cu126": the release, without the build's local label. */
    public String release() {
        if (version == null) return null;
        int plus = version.indexOf('+');
        return plus < 0 ? version : version.substring(0, plus);
    }

    static TorchInstall missing(String python, String why) {
        return new TorchInstall(python, null, null, null, null, false, false, why);
    }

    /**
     * The first PyTorch among {@code python3} on the notebook's PATH and the system's {@code /usr/bin/python3}
     * (where apt installs python3-torch; a pyenv or conda python3 may hide it); "no PyTorch found" with each
     * interpreter's answer when none has one.
     */
    public static TorchInstall find() {
        Set<String> pythons = new LinkedHashSet<>();
        String onPath = onPath(yardstick.magics.YardstickHome.env("PATH"));
        if (onPath != null) pythons.add(onPath);
        pythons.add("/usr/bin/python3");
        return find(List.copyOf(pythons));
    }

    /** The first of these interpreters that imports torch; "no PyTorch found" with each one's answer otherwise. */
    public static TorchInstall find(List<String> pythons) {
        List<String> answers = new ArrayList<>();
        for (String py : pythons) {
            TorchInstall t = probe(py, TIMEOUT);
            if (t.found()) return t;
            answers.add(t.problem());
        }
        return missing(pythons.isEmpty() ? null : pythons.get(0), "no PyTorch found: " + String.join("; ", answers));
    }

    /** Asks one interpreter for its PyTorch, waiting at most {@code timeout} (importing torch can take seconds). */
    public static TorchInstall probe(String python, Duration timeout) {
        BoundedCommand.Result r;
        try {
            r = BoundedCommand.run(List.of(python, "-c", PROBE), timeout);
        } catch (IOException e) {
            return missing(python, python + " does not run: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return missing(python, "interrupted while asking " + python + " for PyTorch");
        }
        if (r.exitCode() != 0) {
            List<String> err = r.stderr().lines().filter(l -> !l.isBlank()).toList();
            String last = err.isEmpty() ? r.firstErrorLine() : err.get(err.size() - 1).strip();
            return missing(python, python + " cannot import torch (" + last + ")");
        }
        // The JSON is the last line: an import may print warnings before it.
        List<String> out = r.stdout().lines().filter(l -> l.startsWith("{")).toList();
        if (out.isEmpty()) return missing(python, python + " printed no answer about torch");
        try {
            JsonNode n = JSON.readTree(out.get(out.size() - 1));
            Path dir = Path.of(n.path("dir").asText());
            JsonNode cuda = n.path("cuda");
            return new TorchInstall(python, n.path("version").asText(), dir, dir.resolve("lib"),
                    cuda.isNull() || cuda.isMissingNode() ? null : cuda.asText(), n.path("cuda_available").asBoolean(),
                    n.path("cxx11_abi").asBoolean(), null);
        } catch (IOException e) {
            return missing(python, python + " answered unreadably about torch: " + e.getMessage());
        }
    }

    /** DJL's flavor name for this build: "cpu", or "cu" and the CUDA version's digits ("cu126"). */
    public String flavor() {
        return cudaVersion == null ? "cpu" : "cu" + cudaVersion.replace(".", "");
    }

    /** Whether {@code lib} holds the libtorch DJL loads ({@code libtorch.so}). */
    public boolean hasLibtorch() {
        return libraryDir != null && Files.isRegularFile(libraryDir.resolve(System.mapLibraryName("torch")));
    }

    private static String onPath(String path) {
        if (path == null) return null;
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "python3"))) return Path.of(dir, "python3").toString();
        }
        return null;
    }

    @Override
    public String toString() {
        return found() ? "PyTorch " + version + " at " + torchDir + " (" + flavor() + ", " + python + ")" : problem;
    }
}
