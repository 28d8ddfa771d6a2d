package yardstick.spark.driver;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.store.FSDirectory;
import org.apache.spark.TaskContext;
import org.apache.spark.sql.Row;
import yardstick.magics.rag.chunk.Chunk;
import yardstick.magics.rag.chunk.Chunker;
import yardstick.magics.rag.index.BuildProgress;
import yardstick.magics.rag.index.BuildReport;
import yardstick.magics.rag.index.IndexBuilder;
import yardstick.magics.rag.index.IndexOptions;
import yardstick.magics.rag.read.RowsReader;

/**
 * One Spark task's share of an index build: its documents chunked, embedded and written as one Lucene shard,
 * {@code SHARDS/part-NNNNN} for partition N. The shard is built in a folder of the task attempt's own and renamed into
 * place only when complete; the rename fails when the name is taken, so of a retried or speculative task's attempts
 * exactly one shard lands. A partition holds the same documents in every attempt (a fixed slice of files, or the
 * rows whose id hashes to it), so whichever attempt lands, each chunk is in the index once.
 */
final class ShardWriter {
    /** Chunks embedded per call, as the kernel's build embeds them. */
    private static final int EMBED_SLICE = 128;

    /** What every task needs: where shards go, the model, the chunking; {@code source} names a dataset of rows. */
    record Spec(String shards, String embedder, int threads, int chunk, int overlap, List<String> textColumns,
                String idColumn, String source) implements Serializable {
        IndexOptions options() {
            return new IndexOptions(chunk, overlap, textColumns, idColumn);
        }
    }

    /** A file to index: its id as the kernel's build names it, and where it is. */
    record FileRef(String id, String path) implements Serializable {}

    /** What a task did; {@code landed} false when an earlier attempt's shard was already in place. */
    record Stats(int partition, boolean landed, int chunks, Map<String, String> skipped, long modelLoadMs,
                 long chunkMs, long embedMs, long writeMs, long taskMs) implements Serializable {}

    private ShardWriter() {}

    /** Files: the kernel's own {@link IndexBuilder} builds the shard, so chunks, ids and order are the kernel's. */
    static Iterator<Stats> files(Spec spec, Iterator<List<FileRef>> groups) throws Exception {
        Map<String, Path> files = new TreeMap<>();
        groups.forEachRemaining(g -> g.forEach(f -> files.put(f.id(), Path.of(f.path()))));
        return shard(spec, (dir, e) -> {
            BuildReport r = new IndexBuilder("shard", dir, e, spec.embedder(), spec.options()).build(files, BuildProgress.NONE);
            return new Built(r.embeddedChunks(), r.skipped());
        });
    }

    /** Rows of (id, text columns...): each row a document, as the kernel reads a JSONL or CSV row. */
    static Iterator<Stats> rows(Spec spec, Iterator<Row> rows) throws Exception {
        return shard(spec, (dir, e) -> {
            Chunker chunker = new Chunker(spec.chunk(), spec.overlap(), e::countTokens);
            int chunks = 0;
            try (FSDirectory d = FSDirectory.open(dir); IndexWriter w = new IndexWriter(d, IndexBuilder.writerConfig())) {
                List<Chunk> pending = new ArrayList<>();
                while (rows.hasNext()) {
                    Row r = rows.next();
                    Map<String, String> row = new HashMap<>();
                    for (int c = 0; c < spec.textColumns().size(); c++) row.put(spec.textColumns().get(c), r.getString(c + 1));
                    pending.addAll(chunker.chunk(RowsReader.document(r.getString(0), row, spec.textColumns())));
                    if (pending.size() >= EMBED_SLICE || !rows.hasNext()) {
                        List<float[]> vectors = e.embed(pending.stream().map(Chunk::indexedText).toList());
                        for (int i = 0; i < pending.size(); i++) {
                            Chunk ch = pending.get(i);
                            w.addDocument(IndexBuilder.chunkDocument(spec.source(),
                                    spec.source() + "#" + ch.docId() + "#" + ch.ordinal(), ch, vectors.get(i)));
                        }
                        chunks += pending.size();
                        pending.clear();
                    }
                }
                w.setLiveCommitData(IndexBuilder.commitData(spec.embedder(), spec.options()).entrySet());
                w.commit();
            }
            return new Built(chunks, Map.of());
        });
    }

    private record Built(int chunks, Map<String, String> skipped) {}

    private interface Build {
        Built into(Path dir, TimedEmbedder embedder) throws Exception;
    }

    private static Iterator<Stats> shard(Spec spec, Build build) throws Exception {
        long t0 = System.nanoTime();
        TaskContext task = TaskContext.get();
        int partition = task.partitionId();
        Path shards = Path.of(spec.shards());
        Path target = shards.resolve(String.format("part-%05d", partition));
        // An earlier attempt of this task landed its shard and then its executor was lost before Spark heard.
        if (Files.exists(target)) return List.of(new Stats(partition, false, 0, Map.of(), 0, 0, 0, 0, 0)).iterator();
        Path attempt = shards.resolve("_attempt-" + partition + "-" + task.attemptNumber() + "-" + task.taskAttemptId());
        Folders.delete(attempt);
        Files.createDirectories(attempt);
        ExecutorModel.Loaded model = ExecutorModel.get(spec.embedder(), spec.threads());
        TimedEmbedder e = new TimedEmbedder(model.embedder());
        Built b;
        try {
            b = build.into(attempt, e);
        } catch (Exception | Error ex) {
            Folders.delete(attempt);
            throw ex;
        }
        boolean landed = land(attempt, target);
        long taskNs = System.nanoTime() - t0;
        long chunkMs = e.countNanos / 1_000_000, embedMs = e.embedNanos / 1_000_000;
        long writeMs = Math.max(0, taskNs / 1_000_000 - model.loadMs() - chunkMs - embedMs);
        return List.of(new Stats(partition, landed, b.chunks(), b.skipped(), model.loadMs(), chunkMs, embedMs, writeMs,
                taskNs / 1_000_000)).iterator();
    }

    /** Renames the finished shard into place; false (and the attempt's copy gone) when another attempt was first. */
    private static boolean land(Path attempt, Path target) throws IOException {
        try {
            Files.move(attempt, target, StandardCopyOption.ATOMIC_MOVE);
            return true;
        } catch (FileAlreadyExistsException | DirectoryNotEmptyException taken) {
            Folders.delete(attempt);
            return false;
        }
    }
}
