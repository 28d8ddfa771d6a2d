package yardstick.magics.finetune.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finding a Python PyTorch (the system's python3-torch where installed) and pairing it with the DJL JNI on the class path. */
class TorchInstallTest {
    private static final String SYSTEM_PYTHON = "/usr/bin/python3";

    @TempDir
    Path tmp;

    /** What the interpreter itself prints for torch.__version__, or null when it cannot import torch. */
    private static String versionAsPythonSaysIt(String python) throws Exception {
        Process p = new ProcessBuilder(python, "-c", "import torch; print(torch.__version__)").redirectErrorStream(false).start();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        return p.exitValue() == 0 ? out : null;
    }

    @Test
    void findsTheSystemPyTorch() throws Exception {
        assumeTrue(Files.isExecutable(Path.of(SYSTEM_PYTHON)), "no " + SYSTEM_PYTHON);
        String expected = versionAsPythonSaysIt(SYSTEM_PYTHON);
        assumeTrue(expected != null, SYSTEM_PYTHON + " has no torch (Debian: apt install python3-torch)");

        TorchInstall t = TorchInstall.probe(SYSTEM_PYTHON, Duration.ofSeconds(120));
        assertTrue(t.found(), t.problem());
        assertEquals(expected, t.version());
        assertTrue(Files.isDirectory(t.libraryDir()), t.libraryDir().toString());
        assertEquals(t.torchDir().resolve("lib"), t.libraryDir());
        assertTrue(t.hasLibtorch(), "libtorch.so in " + t.libraryDir());
        assertEquals(t.cudaVersion() == null ? "cpu" : "cu" + t.cudaVersion().replace(".", ""), t.flavor());
    }

    @Test
    void saysClearlyWhenThePyTorchDoesNotPairWithThisDjl() throws Exception {
        assumeTrue(Files.isExecutable(Path.of(SYSTEM_PYTHON)), "no " + SYSTEM_PYTHON);
        TorchInstall t = TorchInstall.probe(SYSTEM_PYTHON, Duration.ofSeconds(120));
        assumeTrue(t.found(), t.problem());
        DjlJni jni = DjlJni.onClassPath();
        assumeTrue(!jni.pytorchVersion().equals(t.release()), "this machine's PyTorch pairs with DJL");
        String expected = "PyTorch " + t.version() + " at " + t.torchDir() + " is not supported by DJL " + jni.djlVersion()
                + " (needs " + jni.pytorchVersion() + ": " + jni.artifact() + " is built for that release only)";
        assertEquals(Optional.of(expected), jni.mismatch(t));
        GpuException e = assertThrows(GpuException.class, () -> jni.environment(t));
        assertEquals(expected, e.getMessage());
    }

    @Test
    void aMissingPythonIsNoPyTorchFound() {
        TorchInstall t = TorchInstall.find(List.of(tmp.resolve("python3").toString()));
        assertFalse(t.found());
        assertTrue(t.problem().startsWith("no PyTorch found: " + tmp.resolve("python3") + " does not run: "), t.problem());
        assertEquals(Optional.of(t.problem()), DjlJni.onClassPath().mismatch(t));
    }

    @Test
    void theJniOnTheClassPathIsTheOneThePomNames() {
        DjlJni jni = DjlJni.onClassPath();
        // The root pom pins DJL 0.36.0 with pytorch-jni 2.7.1-0.36.0, whose Linux x86-64 builds are cpu and cu128.
        assertEquals("0.36.0", jni.djlVersion());
        assertEquals("2.7.1", jni.pytorchVersion());
        assertEquals("ai.djl.pytorch:pytorch-jni:2.7.1-0.36.0", jni.artifact());
        assertEquals(DjlJni.classifier(System.getProperty("os.name"), System.getProperty("os.arch")), jni.classifier());
        if (jni.classifier().equals("linux-x86_64")) assertEquals(java.util.Set.of("cpu", "cu128"), jni.flavors());
    }

    /** A torch install as the probe would report it, its lib folder holding a libtorch.so. */
    private TorchInstall install(String version, String cuda, boolean cxx11) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("site-packages").resolve("torch"));
        Files.createDirectories(dir.resolve("lib"));
        Files.writeString(dir.resolve("lib").resolve(System.mapLibraryName("torch")), "");
        return new TorchInstall("python3", version, dir, dir.resolve("lib"), cuda, cuda != null, cxx11, null);
    }

    @Test
    void theEnvironmentPointsDjlAtThePythonLibtorch() throws Exception {
        DjlJni jni = new DjlJni("0.36.0", "2.7.1", "linux-x86_64", java.util.Set.of("cpu", "cu128"));
        TorchInstall cpu = install("2.7.1+cpu", null, true);
        assertEquals(Map.of("PYTORCH_LIBRARY_PATH", cpu.libraryDir().toString(), "PYTORCH_VERSION", "2.7.1",
                "PYTORCH_FLAVOR", "cpu"), jni.environment(cpu));
        assertEquals("cu128", jni.environment(install("2.7.1", "12.8", true)).get("PYTORCH_FLAVOR"));
        // PyPI's default 2.7.1 wheel is built for CUDA 12.6; the JNI links only libtorch's CUDA libraries.
        assertEquals("cu128", jni.environment(install("2.7.1", "12.6", true)).get("PYTORCH_FLAVOR"));
    }

    @Test
    void aBuildTheJniDoesNotShipForIsRefusedNamingWhatItShips() throws Exception {
        DjlJni jni = new DjlJni("0.36.0", "2.7.1", "linux-x86_64", java.util.Set.of("cpu", "cu128"));
        TorchInstall old = install("2.7.1", null, false);
        assertEquals(Optional.of("PyTorch 2.7.1 at " + old.torchDir() + " is a cpu pre-C++11-ABI build;"
                + " ai.djl.pytorch:pytorch-jni:2.7.1-0.36.0 ships for linux-x86_64 only cpu, cu128"), jni.mismatch(old));
        TorchInstall patch = install("2.7.0", null, true);
        assertEquals(Optional.of("PyTorch 2.7.0 at " + patch.torchDir() + " is not supported by DJL 0.36.0 (needs 2.7.1:"
                + " ai.djl.pytorch:pytorch-jni:2.7.1-0.36.0 is built for that release only)"), jni.mismatch(patch));
    }

    @Test
    void aTorchFolderWithoutLibtorchIsRefused() throws Exception {
        DjlJni jni = new DjlJni("0.36.0", "2.7.1", "linux-x86_64", java.util.Set.of("cpu"));
        Path dir = Files.createDirectories(tmp.resolve("torch"));
        TorchInstall t = new TorchInstall("python3", "2.7.1", dir, dir.resolve("lib"), null, false, true, null);
        assertEquals(Optional.of("PyTorch 2.7.1 at " + dir + " has no libtorch.so in " + dir.resolve("lib")), jni.mismatch(t));
    }
}
