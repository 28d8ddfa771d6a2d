package yardstick.spark.driver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import yardstick.magics.rag.index.IndexBuilder;
import yardstick.magics.rag.index.IndexOptions;
import static org.apache.spark.sql.functions.*;

/**
 * {@code %rag index --engine spark}: spreads the documents over the cluster's task slots, has each task write one
 * Lucene shard ({@link ShardWriter}), then merges the shards into the index folder in one commit
 * ({@link ShardMerge}) and checks that every chunk is there once. The index folder must be one the executors, the
 * driver and the kernel all see (one machine, or a shared mount): Lucene writes local files.
 */
final class IndexJob {
    private final Cluster cluster;
    private final SparkSession spark;

    IndexJob(Cluster cluster) {
        this.cluster = cluster;
        this.spark = cluster.spark;
    }

    /** What the tasks did, of which input, in how many partitions (one shard each). */
    private record Shards(List<ShardWriter.Stats> stats, Data.Source source, int files, int partitions) {}

    ObjectNode run(JsonNode q) throws Exception {
        long t0 = System.nanoTime();
        Path index = Path.of(q.path("index").asText());
        Files.createDirectories(index);
        Path shards = index.resolve("shards").resolve("job-" + UUID.randomUUID());
        List<String> textColumns = new ArrayList<>();
        q.path("textColumns").forEach(c -> textColumns.add(c.asText()));
        String idColumn = q.hasNonNull("idColumn") ? q.get("idColumn").asText() : null;
        IndexOptions options = new IndexOptions(q.path("chunk").asInt(), q.path("overlap").asInt(), textColumns, idColumn);
        String embedder = q.path("embedder").asText();
        int slots = cluster.parallelism();
        int partitions = q.path("partitions").asInt(slots * 2);
        String source = q.path("source").asText();
        try (ShardMerge merge = ShardMerge.open(index, index.getFileName().toString())) {
            Files.createDirectories(shards);
            ShardWriter.Spec spec = new ShardWriter.Spec(shards.toString(), embedder, cluster.onnxThreads(slots),
                    options.chunkTokens(), options.overlapTokens(), textColumns, idColumn, source);
            Shards job = q.has("files") ? files(q.path("files"), source, spec, partitions) : rows(q, spec, options, partitions);
            long jobMs = (System.nanoTime() - t0) / 1_000_000;

            long m0 = System.nanoTime();
            List<Path> parts = new ArrayList<>();
            for (int p = 0; p < job.partitions(); p++) {
                Path s = shards.resolve(String.format("part-%05d", p));
                if (!Files.isDirectory(s)) throw new IllegalStateException("shard " + s + " is missing after the job");
                parts.add(s);
            }
            merge.add(parts);
            ShardMerge.Counts c = merge.count();
            if (c.uniqueChunkIds() != c.chunks()) {
                throw new IllegalStateException("the shards hold " + c.chunks() + " chunks under " + c.uniqueChunkIds()
                        + " ids: not committed");
            }
            if (!q.has("files")) merge.addSource(source, job.source().digest(), c.chunks());
            Map<String, String> commit = new HashMap<>(IndexBuilder.commitData(embedder, options));
            commit.put("engine", "spark");
            merge.commit(commit);
            long mergeMs = (System.nanoTime() - m0) / 1_000_000;

            double wallMs = (System.nanoTime() - t0) / 1e6;
            ObjectNode r = Results.of(job.source(), index.toString(), "lucene");
            r.put("chunks", c.chunks()).put("docs", c.docs()).put("files", job.files()).put("partitions", job.partitions())
                    .put("onnx_threads", spec.threads()).put("job_ms", jobMs).put("merge_ms", mergeMs)
                    .put("wall_ms", wallMs).put("chunks_per_s", c.chunks() / Math.max(1e-3, wallMs / 1000));
            tasks(r, job.stats());
            return r;
        } finally {
            Folders.delete(shards);
            // The shards folder goes when no other job's shards are in it.
            try (var left = Files.list(index.resolve("shards"))) {
                if (left.findAny().isEmpty()) Files.delete(index.resolve("shards"));
            } catch (java.io.IOException ignored) {
                // another build's shards, or already gone
            }
        }
    }

    /** Documents: runs of files, one per task, each built into a shard by the kernel's own builder. */
    private Shards files(JsonNode list, String source, ShardWriter.Spec spec, int partitions) throws Exception {
        List<List<ShardWriter.FileRef>> groups = groups(list, partitions);
        // One partition per run: partition i holds the number i alone.
        int n = Math.max(1, groups.size());
        List<ShardWriter.Stats> stats = ShardTask.run(spark.range(0, n, 1, n).toDF(), new ShardTask(spec, groups));
        return new Shards(stats, filesSource(source, groups), list.size(), groups.size());
    }

    /** A dataset: its rows, hashed by id into tasks. */
    private Shards rows(JsonNode q, ShardWriter.Spec spec, IndexOptions options, int partitions) throws Exception {
        String input = q.path("input").asText();
        String format = Data.format(cluster, input, q.hasNonNull("format") ? q.get("format").asText() : null);
        Dataset<Row> rows = Data.read(cluster, input, format);
        Data.Source source = Data.source(cluster, rows, input, format);
        Dataset<Row> parts = rowsById(rows, input, format, options, partitions);
        List<ShardWriter.Stats> stats = Data.reading(input, format, () -> ShardTask.run(parts, new ShardTask(spec, null)));
        return new Shards(stats, source, rows.inputFiles().length, partitions);
    }

    /** The tasks' totals: files skipped, and where their time went. */
    private static void tasks(ObjectNode r, List<ShardWriter.Stats> stats) {
        Map<String, String> skipped = new TreeMap<>();
        long load = 0, chunk = 0, embed = 0, write = 0, task = 0;
        int notLanded = 0, loads = 0;
        for (ShardWriter.Stats s : stats) {
            skipped.putAll(s.skipped());
            load += s.modelLoadMs();
            chunk += s.chunkMs();
            embed += s.embedMs();
            write += s.writeMs();
            task += s.taskMs();
            if (!s.landed()) notLanded++;
            if (s.modelLoadMs() > 0) loads++;
        }
        r.put("attempts_not_landed", notLanded);
        r.putObject("timings").put("model_loads", loads).put("model_load_ms", load).put("chunk_ms", chunk)
                .put("embed_ms", embed).put("write_ms", write).put("task_ms", task);
        ObjectNode sk = r.putObject("skipped");
        skipped.forEach(sk::put);
    }

    /**
     * The files in the kernel's order, cut into at most {@code n} runs of about equal bytes; each run is one task's,
     * and the same one in every attempt.
     */
    private static List<List<ShardWriter.FileRef>> groups(JsonNode files, int n) throws Exception {
        long[] sizes = new long[files.size()];
        long total = 0;
        for (int i = 0; i < sizes.length; i++) total += sizes[i] = Math.max(1, Files.size(Path.of(files.get(i).path("path").asText())));
        List<List<ShardWriter.FileRef>> groups = new ArrayList<>();
        long before = 0;
        int current = -1;
        for (int i = 0; i < sizes.length; i++) {
            int g = (int) Math.min(n - 1, before * n / total);
            if (g != current) {
                groups.add(new ArrayList<>());
                current = g;
            }
            groups.getLast().add(new ShardWriter.FileRef(files.get(i).path("id").asText(), files.get(i).path("path").asText()));
            before += sizes[i];
        }
        return groups;
    }

    /** Documents' lineage as a dataset's: a digest of each file's id, size and modification time. */
    private static Data.Source filesSource(String location, List<List<ShardWriter.FileRef>> groups) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        for (List<ShardWriter.FileRef> g : groups) {
            for (ShardWriter.FileRef f : g) {
                Path p = Path.of(f.path());
                sha.update((f.id() + "\t" + Files.size(p) + "\t" + Files.getLastModifiedTime(p).toMillis() + "\n")
                        .getBytes(StandardCharsets.UTF_8));
            }
        }
        return new Data.Source(location, "files", HexFormat.of().formatHex(sha.digest()), null);
    }

    /**
     * The rows as (id, text columns...) strings, hashed by id into {@code partitions} and sorted by id within each:
     * a row lands in the same task in every attempt. Ids must be present and unique, as chunk ids are made of them.
     */
    private Dataset<Row> rowsById(Dataset<Row> rows, String input, String format, IndexOptions options, int partitions)
            throws Exception {
        List<String> columns = Arrays.asList(rows.columns());
        String id = options.idColumn();
        if (id == null) id = columns.contains("_id") ? "_id" : columns.contains("id") ? "id" : null;
        if (id == null || !columns.contains(id)) {
            throw new IllegalArgumentException((id == null ? "no id column (_id or id)" : "no id column " + id) + " in "
                    + input + " (columns: " + String.join(", ", columns) + "); choose one with --id-column");
        }
        List<String> text = options.textColumns().stream().filter(columns::contains).toList();
        if (text.isEmpty()) {
            throw new IllegalArgumentException("no text column " + String.join(",", options.textColumns()) + " in "
                    + input + " (columns: " + String.join(", ", columns) + "); choose one with --text-column");
        }
        List<Column> select = new ArrayList<>();
        select.add(col(id).cast("string").as("_yardstick_id"));
        // Absent text columns stay absent (null), as the kernel reads a row without them.
        for (String t : options.textColumns()) select.add((columns.contains(t) ? col(t).cast("string") : lit(null).cast("string")).as(t));
        Dataset<Row> byId = rows.select(select.toArray(Column[]::new));
        Row check = Data.reading(input, format, () -> byId.agg(count(lit(1)), countDistinct(col("_yardstick_id")),
                sum(when(col("_yardstick_id").isNull(), 1).otherwise(0))).first());
        long n = check.getLong(0), distinct = check.getLong(1), missing = check.isNullAt(2) ? 0 : check.getLong(2);
        if (missing > 0) throw new IllegalArgumentException(missing + " rows of " + input + " have no " + id + ": every row needs an id");
        if (distinct != n) {
            Row dup = byId.groupBy("_yardstick_id").count().where(col("count").gt(1)).first();
            throw new IllegalArgumentException("'" + dup.getString(0) + "' is the id of " + dup.getLong(1) + " rows of "
                    + input + ": ids must be unique (column " + id + "; choose another with --id-column)");
        }
        return byId.repartition(partitions, col("_yardstick_id")).sortWithinPartitions("_yardstick_id");
    }
}
