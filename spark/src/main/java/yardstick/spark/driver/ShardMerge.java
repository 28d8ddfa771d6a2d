package yardstick.spark.driver;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.MultiTerms;
import org.apache.lucene.index.NoMergePolicy;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.LockObtainFailedException;
import yardstick.magics.rag.index.ChunkFields;
import yardstick.magics.rag.index.IndexBuilder;
import yardstick.magics.rag.index.IndexLockedException;

/**
 * The index folder's side of a Spark build, on the driver: holds the index's write lock for the whole job (a kernel
 * building the same index is kept out, and waits for none), replaces the index's content with the shards' segments
 * ({@code addIndexes}: a file copy, no re-indexing; segments appended in shard order, so documents keep the order
 * of the kernel's build) and commits once. Until that commit searches see the previous build; a job that fails rolls
 * back and leaves it as it was (or no index at all).
 */
final class ShardMerge implements AutoCloseable {
    /** How many chunks the merged index holds, under how many distinct chunk ids, of how many documents. */
    record Counts(int chunks, int uniqueChunkIds, int docs) {}

    private final Directory directory;
    private final IndexWriter writer;
    private boolean committed;

    private ShardMerge(Directory directory, IndexWriter writer) {
        this.directory = directory;
        this.writer = writer;
    }

    static ShardMerge open(Path index, String name) throws IOException {
        Directory d = FSDirectory.open(index);
        // CREATE: the new commit holds the shards only. No merges: segments stay in shard order, and merging HNSW
        // graphs would rebuild them (slow) for no change in results.
        IndexWriterConfig cfg = IndexBuilder.writerConfig().setOpenMode(IndexWriterConfig.OpenMode.CREATE)
                .setMergePolicy(NoMergePolicy.INSTANCE);
        try {
            return new ShardMerge(d, new IndexWriter(d, cfg));
        } catch (LockObtainFailedException e) {
            d.close();
            throw new IndexLockedException(name, e);
        } catch (IOException | RuntimeException e) {
            d.close();
            throw e;
        }
    }

    /** Adds the shards' segments in the order given. */
    void add(List<Path> shards) throws IOException {
        List<Directory> dirs = new ArrayList<>();
        try {
            for (Path s : shards) dirs.add(FSDirectory.open(s));
            writer.addIndexes(dirs.toArray(Directory[]::new));
        } finally {
            for (Directory d : dirs) d.close();
        }
    }

    /** A dataset of rows is one source of the index, as a file is in the kernel's build. */
    void addSource(String source, String digest, int chunks) throws IOException {
        writer.addDocument(IndexBuilder.fileDocument(source, digest, chunks));
    }

    Counts count() throws IOException {
        try (DirectoryReader r = DirectoryReader.open(writer)) {
            int chunks = new IndexSearcher(r).count(new TermQuery(new Term(ChunkFields.KIND, ChunkFields.KIND_CHUNK)));
            return new Counts(chunks, terms(r, ChunkFields.CHUNK_ID), terms(r, ChunkFields.DOC));
        }
    }

    /** Distinct values of an indexed field (only chunks carry chunk ids and document ids). */
    private static int terms(DirectoryReader r, String field) throws IOException {
        Terms t = MultiTerms.getTerms(r, field);
        if (t == null) return 0;
        int n = 0;
        for (TermsEnum e = t.iterator(); e.next() != null; ) n++;
        return n;
    }

    void commit(Map<String, String> data) throws IOException {
        writer.setLiveCommitData(data.entrySet());
        writer.commit();
        committed = true;
    }

    @Override
    public void close() throws IOException {
        try {
            if (committed) writer.close();
            else writer.rollback();
        } finally {
            directory.close();
        }
    }
}
