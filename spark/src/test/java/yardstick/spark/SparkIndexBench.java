package yardstick.spark;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import yardstick.magics.TestNotebook;
import yardstick.magics.llm.FakeOpenAi;
import yardstick.magics.rag.embed.Embedder;
import yardstick.magics.rag.embed.Embedders;
import yardstick.magics.rag.index.BuildReport;

/**
 * Embedding and indexing the same chunks in the kernel and with {@code --engine spark} on a standalone cluster of two
 * one-core workers (ONNX Runtime then runs one thread per executor). The corpus is generated: files of paragraphs
 * of about 45 tokens, one chunk each at {@code --chunk 64 --overlap 0}. Prints where the time goes and what more
 * workers would do. Arguments: chunks (20000), workers (2), cores per worker (1); README.md's Benchmarks has the
 * command line.
 */
public final class SparkIndexBench {
    private static final String[] WORDS = ("tea coffee bicycle volcano database violin glacier bread river mountain "
            + "engine harbor forest library garden market winter summer castle bridge signal planet ocean desert "
            + "camera letter window garden kitchen theater museum island valley meadow thunder lantern compass "
            + "harvest orchard canyon tunnel ferry station journal recipe melody pattern").split(" ");
    private static final Pattern SPARK_LINE = Pattern.compile("On Spark: (\\d+) chunks .* in ([\\d.]+) s .* merged in ([\\d.]+) s");
    private static final Pattern TIMES = Pattern.compile(
            "model load ([\\d.]+) s \\(\\d+ loads\\), chunking ([\\d.]+) s, embedding ([\\d.]+) s, reading and writing ([\\d.]+) s");

    public static void main(String[] args) throws Exception {
        int chunks = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int workers = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int cores = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        Path home = Files.createTempDirectory("yardstick-index-bench-");
        List<String> paragraphs = corpus(home.resolve("corpus"), chunks);
        String options = " --chunk 64 --overlap 0";
        StringBuilder out = new StringBuilder();
        FakeOpenAi llm = FakeEndpoint.start(home);
        try (TestNotebook nb = new TestNotebook(home); StandaloneCluster cluster = StandaloneCluster.start(home, workers, cores)) {
            // Where the embedder's time goes, on a sample: tokenizing alone, then tokenizing and running the model.
            Embedder e = Embedders.get(Embedders.MINILM);
            List<String> sample = paragraphs.subList(0, Math.min(2000, paragraphs.size()));
            e.embed(sample.subList(0, 64));
            long t0 = System.nanoTime();
            for (String p : sample) e.countTokens(p);
            double tokenizeShare = (System.nanoTime() - t0) / 1e9;
            t0 = System.nanoTime();
            e.embed(sample);
            tokenizeShare /= (System.nanoTime() - t0) / 1e9;

            t0 = System.nanoTime();
            BuildReport kernel = (BuildReport) nb.ok("%rag index kernel corpus" + options);
            double kernelS = (System.nanoTime() - t0) / 1e9;

            t0 = System.nanoTime();
            nb.ok("%spark connect " + cluster.url());
            double connectS = (System.nanoTime() - t0) / 1e9;
            t0 = System.nanoTime();
            BuildReport spark = (BuildReport) nb.ok("%rag index spark corpus --engine spark" + options);
            double sparkS = (System.nanoTime() - t0) / 1e9;
            String said = nb.stdout();
            Matcher m = SPARK_LINE.matcher(said), t = TIMES.matcher(said);
            if (!m.find() || !t.find()) throw new IllegalStateException("unexpected output: " + said);
            if (kernel.totalChunks() != spark.totalChunks()) {
                throw new IllegalStateException("kernel " + kernel.totalChunks() + " chunks, spark " + spark.totalChunks());
            }
            double merge = Double.parseDouble(m.group(3)), load = Double.parseDouble(t.group(1)),
                    chunking = Double.parseDouble(t.group(2)), embed = Double.parseDouble(t.group(3)),
                    write = Double.parseDouble(t.group(4));
            int slots = workers * cores, n = kernel.totalChunks();
            double busy = load + chunking + embed + write;
            double scheduling = Math.max(0, sparkS - merge - busy / slots);
            double perSlot = n / ((chunking + embed + write) / slots) / slots;

            out.append(String.format(Locale.ROOT, "%d chunks (%d files), MiniLM, --chunk 64; Spark: %d workers x %d core(s)%n",
                    n, kernel.files(), workers, cores));
            out.append(String.format(Locale.ROOT, "%-44s %10s %10s%n", "path", "seconds", "chunks/s"));
            out.append(String.format(Locale.ROOT, "%-44s %10.1f %10.0f%n", "kernel (one JVM, ONNX Runtime default threads)", kernelS, n / kernelS));
            out.append(String.format(Locale.ROOT, "%-44s %10.1f %10.0f%n", "spark (cell: shards + merge)", sparkS, n / sparkS));
            out.append(String.format(Locale.ROOT, "%-44s %10.2f%n", "ratio spark / kernel (chunks/s)", kernelS / sparkS));
            out.append(String.format(Locale.ROOT, "%-44s %10.1f%n", "(not in the cell's time) %spark connect", connectS));
            out.append(String.format(Locale.ROOT, "%nwhere the Spark cell's time goes (task time summed over %d slots)%n", slots));
            out.append(String.format(Locale.ROOT, "%-44s %10.1f%n", "model load, all executors", load));
            out.append(String.format(Locale.ROOT, "%-44s %10.1f%n", "chunking (token counting)", chunking));
            out.append(String.format(Locale.ROOT, "%-44s %10.1f%n", "tokenize (est. " + Math.round(tokenizeShare * 100) + "% of embedding)", embed * tokenizeShare));
            out.append(String.format(Locale.ROOT, "%-44s %10.1f%n", "ONNX run (embedding less tokenize)", embed * (1 - tokenizeShare)));
            out.append(String.format(Locale.ROOT, "%-44s %10.1f%n", "reading files + Lucene write (HNSW, commit)", write));
            out.append(String.format(Locale.ROOT, "%-44s %10.1f%n", "merge into the index (driver, wall)", merge));
            out.append(String.format(Locale.ROOT, "%-44s %10.1f%n", "scheduling, executors idle (wall)", scheduling));
            out.append(String.format(Locale.ROOT, "%nprojection: %.0f chunks/s per task slot; merge %.2f ms per chunk; one model load per executor%n",
                    perSlot, merge * 1000 / n));
            out.append(String.format(Locale.ROOT, "%-28s %14s %14s%n", "workers x cores", "20k chunks s", "1M chunks s"));
            for (int[] c : new int[][] {{2, 1}, {4, 4}, {8, 8}, {16, 8}, {32, 16}}) {
                out.append(String.format(Locale.ROOT, "%-28s %14.0f %14.0f%n", c[0] + " x " + c[1],
                        project(20_000, c[0] * c[1], perSlot, merge / n, load / workers, scheduling),
                        project(1_000_000, c[0] * c[1], perSlot, merge / n, load / workers, scheduling)));
            }
        } finally {
            FakeEndpoint.stop(llm);
        }
        System.out.print(out);
    }

    /** Seconds for {@code n} chunks on {@code slots} task slots, if each slot keeps today's rate. */
    private static double project(int n, int slots, double perSlot, double mergePerChunk, double loadPerExecutor, double fixed) {
        return loadPerExecutor + n / (perSlot * slots) + n * mergePerChunk + fixed;
    }

    /** Files of 100 paragraphs each, every paragraph a chunk of its own; returns the paragraphs. */
    private static List<String> corpus(Path dir, int chunks) throws Exception {
        Files.createDirectories(dir);
        Random rnd = new Random(42);
        List<String> all = new ArrayList<>(chunks);
        for (int f = 0; all.size() < chunks; f++) {
            StringBuilder file = new StringBuilder("# File " + f + "\n\n");
            for (int p = 0; p < 100 && all.size() < chunks; p++) {
                StringBuilder para = new StringBuilder();
                for (int s = 0; s < 3; s++) {
                    para.append("The ");
                    for (int w = 0; w < 10; w++) para.append(WORDS[rnd.nextInt(WORDS.length)]).append(w == 9 ? ". " : " ");
                }
                all.add(para.toString().strip());
                file.append(para.toString().strip()).append("\n\n");
            }
            Files.writeString(dir.resolve("file-" + f + ".md"), file.toString());
        }
        return all;
    }
}
