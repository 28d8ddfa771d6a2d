package yardstick.kernel.cli;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import yardstick.kernel.protocol.Json;
import yardstick.kernel.protocol.KernelClient;

/**
 * Makes the AOT cache that the kernelspec's {@code -XX:AOTCache} names: one training run of the real kernel,
 * driven through a real client over what a notebook's first minute does (kernel_info, the first cells, a completion),
 * so the cache holds the classes and method profiles a start needs. The JVM writes the cache when that run exits.
 */
public final class StartupCache {
    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final List<String> CELLS = List.of(
            "1 + 1", "int x = 1;", "", "String s = \"abc\"; s.length()", "System.out.println(\"hello\");",
            "List.of(1, 2, 3).stream().map(i -> i * 2).toList()", "record P(int a) {} new P(x)");

    private StartupCache() {}

    /**
     * Makes the cache of a kernel started by {@link Install#kernelCommand()} when it is missing or older than a jar
     * on the class path; returns a line saying what it did.
     */
    public static String prepare() throws IOException {
        return prepare(Install.homeExitAgent());
    }

    /** As {@link #prepare()}, for a kernel started with the exit agent in {@code exitAgent} (null: none). */
    static String prepare(Path exitAgent) throws IOException {
        Path cache = Jvm.startupCache(exitAgent);
        if (cache == null) return "startup cache: off (the class path has directories; run from the packaged jars)";
        if (!Jvm.aot()) return "startup cache: class-data-sharing archive " + cache + (Files.exists(cache)
                ? ", reused" : ", created when the first kernel exits");
        if (Files.exists(cache) && !olderThanClassPath(cache)) return "startup cache: AOT cache " + cache + ", reused";
        Files.createDirectories(cache.getParent());
        Files.deleteIfExists(cache);
        List<String> argv = Install.kernelCommand(exitAgent).stream()
                .map(a -> a.startsWith("-XX:AOTCache=") ? "-XX:AOTCacheOutput=" + cache : a).toList();
        Path work = Files.createTempDirectory("yardstick-aot");
        long t0 = System.nanoTime();
        try (KernelProcess k = KernelProcess.start("training", argv, Map.of("YARDSTICK_HOME", work.toString()), work)) {
            train(k);
            k.shutdown();
            if (!Files.exists(cache)) throw new IOException("the training run wrote no AOT cache:\n" + k.logTail());
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("the training run for the AOT cache failed: " + e.getMessage(), e);
        }
        return String.format(Locale.ROOT, "startup cache: AOT cache %s, made by a training run in %.1f s", cache,
                (System.nanoTime() - t0) / 1e9);
    }

    private static void train(KernelProcess k) throws Exception {
        k.awaitIOPub(TIMEOUT);
        KernelClient c = k.client();
        for (String cell : CELLS) c.request("execute_request", KernelProcess.execute(cell), TIMEOUT);
        String code = "\"abc\".subs";
        c.request("complete_request", Json.object().put("code", code).put("cursor_pos", code.length()), TIMEOUT);
        c.request("inspect_request", Json.object().put("code", "Math.max").put("cursor_pos", 8).put("detail_level", 0),
                TIMEOUT);
        c.request("is_complete_request", Json.object().put("code", "for (int i = 0;"), TIMEOUT);
    }

    private static boolean olderThanClassPath(Path cache) throws IOException {
        FileTime made = Files.getLastModifiedTime(cache);
        for (String p : Install.absoluteClassPath().split(File.pathSeparator)) {
            Path jar = Path.of(p);
            if (Files.exists(jar) && Files.getLastModifiedTime(jar).compareTo(made) > 0) return true;
        }
        return false;
    }
}
