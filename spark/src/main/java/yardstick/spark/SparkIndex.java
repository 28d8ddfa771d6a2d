package yardstick.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import yardstick.kernel.magic.Args;
import yardstick.kernel.magic.MagicCall;
import yardstick.kernel.magic.MagicException;
import yardstick.magics.rag.Rag;
import yardstick.magics.rag.RagException;
import yardstick.magics.rag.RagIndex;
import yardstick.magics.rag.RagMagic;
import yardstick.magics.rag.RagRuns;
import yardstick.magics.rag.embed.Embedder;
import yardstick.magics.rag.embed.Embedders;
import yardstick.magics.rag.index.BuildReport;
import yardstick.magics.rag.index.IndexOptions;
import yardstick.magics.rag.index.Inputs;

/**
 * {@code %rag index NAME INPUT... --engine spark}: the same options as the kernel's build, run on the connected
 * cluster. Documents (files, folders, globs) are resolved here, as the kernel's build resolves them; one Parquet,
 * Delta, CSV or JSONL path (any Hadoop URI) or Spark table is read by Spark as rows. Executors chunk, embed and write
 * Lucene shards; the driver merges them into the index folder in one commit, which {@code %rag search} and
 * {@code %%ask} then open as any other index.
 */
final class SparkIndex {
    static final Args.Spec SPEC = Args.Spec.of(Set.of("--chunk", "--overlap", "--text-column", "--id-column",
            "--embedder", "--engine", "--format", "--partitions"), Set.of());

    private SparkIndex() {}

    static Object run(MagicCall call) throws MagicException {
        List<String> words = call.words();
        Args a = Args.parse(words.subList(1, words.size()), SPEC);
        IndexOptions options = RagMagic.indexOptions(a);
        String name = a.positionals().get(0);
        List<String> inputs = a.positionals().subList(1, a.positionals().size());
        String spec = a.option("--embedder", Embedders.MINILM);
        if (!spec.equals(Embedders.MINILM) && !spec.startsWith("dir:")) {
            throw new MagicException("on Spark, index with minilm or dir:PATH (a model folder every executor can read)");
        }
        Path base = call.context().workingDirectory();
        try {
            // Loaded here too: it checks --chunk against the model, and search embeds queries with it.
            Embedder embedder = RagIndex.embedderFor(spec, options);
            RagIndex index = Rag.open(name, base);
            ObjectNode q = request(base, index.directory(), inputs, a, options, spec);
            JsonNode r = SparkTables.request(Spark.driver(), q, "indexing " + name + " on Spark", d -> d.path("chunks").asLong() + " chunks");
            index.builtElsewhere(embedder);
            BuildReport report = report(r, embedder.name());
            RagRuns.build(name, inputs, options, spec, report, call.context().cellSource(), run -> {
                run.param("engine", "spark");
                run.param("partitions", r.path("partitions").asInt());
                run.metric("docs", r.path("docs").asDouble());
                run.metric("chunks_per_s", r.path("chunks_per_s").asDouble());
                run.metric("merge_seconds", r.path("merge_ms").asDouble() / 1000);
                run.metric("model_load_seconds", r.path("timings").path("model_load_ms").asDouble() / 1000);
                run.metric("embed_seconds", r.path("timings").path("embed_ms").asDouble() / 1000);
                run.metric("write_seconds", r.path("timings").path("write_ms").asDouble() / 1000);
                SparkTables.input(run, r.path("input"));
            });
            System.out.println(String.format(Locale.ROOT,
                    "On Spark: %d chunks of %d documents in %.1f s (%.0f chunks/s) from %d shards, merged in %.1f s",
                    r.path("chunks").asLong(), r.path("docs").asLong(), r.path("wall_ms").asDouble() / 1000,
                    r.path("chunks_per_s").asDouble(), r.path("partitions").asInt(), r.path("merge_ms").asDouble() / 1000));
            JsonNode t = r.path("timings");
            System.out.println(String.format(Locale.ROOT, "Task time, summed over executors: model load %.1f s (%d loads), "
                    + "chunking %.1f s, embedding %.1f s, reading and writing %.1f s", t.path("model_load_ms").asDouble() / 1000,
                    t.path("model_loads").asInt(), t.path("chunk_ms").asDouble() / 1000, t.path("embed_ms").asDouble() / 1000, t.path("write_ms").asDouble() / 1000));
            return report;
        } catch (RagException | IllegalArgumentException e) {
            throw new MagicException(e.getMessage(), e);
        }
    }

    /**
     * One dataset (a URI, a table, a Delta folder or a .parquet/.csv/.jsonl path, or anything with {@code --format})
     * is read as rows; everything else is documents, resolved here into the files the executors read.
     */
    private static ObjectNode request(Path base, Path dir, List<String> inputs, Args a, IndexOptions options,
                                      String spec) throws MagicException {
        ObjectNode q = SparkDriver.JSON.createObjectNode().put("op", "index").put("index", dir.toString())
                .put("embedder", spec).put("chunk", options.chunkTokens()).put("overlap", options.overlapTokens())
                .put("idColumn", options.idColumn());
        ArrayNode text = q.putArray("textColumns");
        options.textColumns().forEach(text::add);
        if (a.option("--partitions", null) != null) {
            int p = a.intOption("--partitions", 1);
            if (p < 1) throw new MagicException("--partitions must be at least 1, got " + p);
            q.put("partitions", p);
        }
        String format = a.option("--format", null);
        boolean rows = format != null || inputs.stream().anyMatch(i -> isDataset(base, i));
        if (rows) {
            if (inputs.size() > 1) {
                throw new MagicException("on Spark, index either documents (files, folders, globs) or one dataset of rows, "
                        + "not " + inputs.size() + " inputs with " + inputs.stream().filter(i -> isDataset(base, i)).findFirst()
                        .orElse(inputs.get(0)) + " among them");
            }
            return q.put("source", inputs.get(0)).put("input", Locations.resolve(base, inputs.get(0))).put("format", format);
        }
        Map<String, Path> files = Inputs.resolve(base, inputs);
        q.put("source", String.join(" ", inputs));
        ArrayNode list = q.putArray("files");
        for (var f : files.entrySet()) list.addObject().put("id", f.getKey()).put("path", f.getValue().toString());
        return q;
    }

    static boolean isDataset(Path base, String input) {
        if (Locations.isUri(input)) return true;
        if (Locations.isDataFile(input) && !Inputs.isGlob(input)) return true;
        Path p = base.resolve(input);
        if (Files.isDirectory(p.resolve("_delta_log"))) return true;
        return !Files.exists(p) && Locations.isTableName(input);
    }

    /** The kernel's summary of a build, from the driver's totals. */
    private static BuildReport report(JsonNode r, String embedder) {
        Map<String, String> skipped = new LinkedHashMap<>();
        r.path("skipped").properties().forEach(e -> skipped.put(e.getKey(), e.getValue().asText()));
        int chunks = r.path("chunks").asInt();
        return new BuildReport(r.path("files").asInt(), r.path("files").asInt() - skipped.size(), 0, 0, skipped, chunks,
                chunks, Duration.ofMillis(r.path("wall_ms").asLong()), embedder, false);
    }
}
