package yardstick.magics.finetune.gpu;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * DJL's PyTorch JNI bridge as found on the class path ({@code ai.djl.pytorch:pytorch-jni}): the one PyTorch release
 * it was compiled against and the flavors (cpu, cu128, …) it ships for this platform. DJL loads a libtorch named by
 * {@code PYTORCH_LIBRARY_PATH} only with a JNI built for that exact release; any other it would download, which
 * Yardstick never lets it do. So this class says whether a Python PyTorch pairs with it, and if so gives the
 * environment that makes the trainer's DJL use it.
 *
 * @param djlVersion "0.36.0"
 * @param pytorchVersion the PyTorch release the JNI is built for, "2.7.1"
 * @param classifier DJL's platform name, "linux-x86_64"
 * @param flavors the JNI builds shipped for that platform, e.g. [cpu, cu128]
 */
public record DjlJni(String djlVersion, String pytorchVersion, String classifier, Set<String> flavors) {
    static final String PROPERTIES = "jnilib/pytorch.properties";
    private static final String JNI = System.mapLibraryName("djl_torch");

    public DjlJni {
        flavors = Collections.unmodifiableSortedSet(new TreeSet<>(flavors));
    }

    /** The JNI jar this JVM would load, read from its {@code jnilib/pytorch.properties} ("jni_version=2.7.1-0.36.0"). */
    public static DjlJni onClassPath() {
        ClassLoader loader = DjlJni.class.getClassLoader();
        URL url = loader.getResource(PROPERTIES);
        if (url == null) throw new GpuException("DJL's PyTorch JNI (ai.djl.pytorch:pytorch-jni) is not on the class path");
        Properties p = new Properties();
        try (InputStream in = url.openStream()) {
            p.load(in);
        } catch (IOException e) {
            throw new GpuException("cannot read " + url + ": " + e.getMessage(), e);
        }
        String jni = p.getProperty("jni_version", "");
        int dash = jni.indexOf('-');
        if (dash <= 0) throw new GpuException(url + " names no jni_version of the form PYTORCH-DJL, found '" + jni + "'");
        String classifier = classifier(System.getProperty("os.name"), System.getProperty("os.arch"));
        return new DjlJni(jni.substring(dash + 1), jni.substring(0, dash), classifier, flavors(url, classifier));
    }

    /** DJL's platform classifier: "linux-x86_64", "osx-aarch64", "win-x86_64". */
    static String classifier(String osName, String osArch) {
        String os = osName.startsWith("Win") ? "win" : osName.startsWith("Mac") ? "osx" : "linux";
        String arch = switch (osArch) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch64";
            default -> osArch;
        };
        return os + "-" + arch;
    }

    private static Set<String> flavors(URL properties, String classifier) {
        String prefix = "jnilib/" + classifier + "/";
        Set<String> out = new TreeSet<>();
        try {
            if (properties.getProtocol().equals("jar")) {
                JarURLConnection c = (JarURLConnection) properties.openConnection();
                c.setUseCaches(false);
                try (JarFile jar = c.getJarFile()) {
                    for (JarEntry e : jar.stream().toList()) {
                        String n = e.getName();
                        if (n.startsWith(prefix) && n.endsWith("/" + JNI)) out.add(n.substring(prefix.length(), n.lastIndexOf('/')));
                    }
                }
            } else if (properties.getProtocol().equals("file")) {
                Path dir = Path.of(URI.create(properties.toString())).getParent().resolve(classifier);
                if (Files.isDirectory(dir)) {
                    try (Stream<Path> s = Files.list(dir)) {
                        s.filter(d -> Files.isRegularFile(d.resolve(JNI))).forEach(d -> out.add(d.getFileName().toString()));
                    }
                }
            }
        } catch (IOException e) {
            throw new GpuException("cannot list the JNI builds beside " + properties + ": " + e.getMessage(), e);
        }
        return out;
    }

    /** The Maven coordinates of this JNI, for messages. */
    public String artifact() {
        return "ai.djl.pytorch:pytorch-jni:" + pytorchVersion + "-" + djlVersion;
    }

    /**
     * The JNI flavor DJL should load for this PyTorch: its own ("cpu", "cu128") when shipped; for a CUDA build whose
     * CUDA version has no JNI of its own, the JNI's CUDA flavor, since that JNI links only libtorch's CUDA
     * libraries (libtorch_cuda, libc10_cuda), which every CUDA build of the release provides under the same names.
     */
    public Optional<String> flavorFor(TorchInstall t) {
        String abi = t.cxx11Abi() ? "" : "-precxx11";
        String own = t.flavor() + abi;
        if (flavors.contains(own)) return Optional.of(own);
        if (t.cudaVersion() == null) return Optional.empty();
        return flavors.stream().filter(f -> f.startsWith("cu") && (abi.isEmpty() ? !f.endsWith("-precxx11") : f.endsWith(abi)))
                .max(String::compareTo);
    }

    /** Why DJL cannot run on this PyTorch, in a sentence a person can act on; empty when it can. */
    public Optional<String> mismatch(TorchInstall t) {
        if (!t.found()) return Optional.of(t.problem());
        String where = "PyTorch " + t.version() + " at " + t.torchDir();
        if (!pytorchVersion.equals(t.release())) {
            return Optional.of(where + " is not supported by DJL " + djlVersion + " (needs " + pytorchVersion + ": "
                    + artifact() + " is built for that release only)");
        }
        if (!t.hasLibtorch()) return Optional.of(where + " has no " + System.mapLibraryName("torch") + " in " + t.libraryDir());
        if (flavorFor(t).isEmpty()) {
            String kind = t.cxx11Abi() ? t.flavor() : t.flavor() + " pre-C++11-ABI";
            return Optional.of(where + " is a " + kind + " build; " + artifact() + " ships for " + classifier + " only "
                    + String.join(", ", flavors));
        }
        return Optional.empty();
    }

    /**
     * The environment that makes DJL load this PyTorch's libtorch: {@code PYTORCH_LIBRARY_PATH} (the {@code torch/lib}
     * folder), {@code PYTORCH_VERSION} (the release, as DJL spells it) and {@code PYTORCH_FLAVOR} (the JNI build).
     *
     * @throws GpuException saying why, when the two do not pair
     */
    public Map<String, String> environment(TorchInstall t) {
        Optional<String> why = mismatch(t);
        if (why.isPresent()) throw new GpuException(why.get());
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PYTORCH_LIBRARY_PATH", t.libraryDir().toString());
        env.put("PYTORCH_VERSION", t.release());
        env.put("PYTORCH_FLAVOR", flavorFor(t).orElseThrow());
        return env;
    }
}
