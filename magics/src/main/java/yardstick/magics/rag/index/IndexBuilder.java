package yardstick.magics.rag.index;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.LockObtainFailedException;
import yardstick.magics.rag.RagException;
import yardstick.magics.rag.chunk.Chunk;
import yardstick.magics.rag.chunk.Chunker;
import yardstick.magics.rag.embed.Embedder;
import yardstick.magics.rag.read.Readers;
import yardstick.magics.rag.read.SkippedFileException;
import yardstick.magics.rag.read.SourceDocument;

/**
 * Builds or updates one index directory so that it holds exactly the given files. A file whose content digest is
 * unchanged keeps its chunks; a changed file is re-read and re-embedded; a file no longer given loses its chunks.
 * Everything lands in one Lucene commit at the end, so a build that crashes or is interrupted leaves the index as
 * its last commit left it. Lucene's write lock keeps a second writer (another kernel) out.
 */
public final class IndexBuilder {
    /** Commit data keys: what the index was built with. */
    static final String EMBEDDER = "embedder";
    static final String OPTIONS = "options";
    static final String FORMAT = "format";
    static final String FORMAT_VERSION = "1";
    /** Chunks embedded per call: large enough to fill the embedder's batches, small enough for a lively progress bar. */
    private static final int EMBED_SLICE = 128;

    private final String name;
    private final Path dir;
    private final Embedder embedder;
    private final String embedderSpec;
    private final IndexOptions options;

    /** {@code embedderSpec} is stored so that searches later use the same model (see {@code Embedders}). */
    public IndexBuilder(String name, Path dir, Embedder embedder, String embedderSpec, IndexOptions options) {
        this.name = name;
        this.dir = dir;
        this.embedder = embedder;
        this.embedderSpec = embedderSpec;
        this.options = options;
    }

    /** {@code files} maps ids (as {@link Inputs} makes them) to paths. */
    public BuildReport build(Map<String, Path> files, BuildProgress progress) throws InterruptedException {
        long t0 = System.nanoTime();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new RagException("cannot create index folder " + dir + ": " + e.getMessage(), e);
        }
        Chunker chunker = new Chunker(options.chunkTokens(), options.overlapTokens(), embedder::countTokens);
        Readers readers = new Readers(options.textColumns(), options.idColumn());
        try (Directory directory = FSDirectory.open(dir)) {
            IndexWriter writer = open(directory);
            try {
                Map<String, String> commit = new HashMap<>();
                Map<String, String> known = manifest(writer, commit);
                boolean rebuild = !known.isEmpty() && !(embedderSpec.equals(commit.get(EMBEDDER))
                        && options.fingerprint().equals(commit.get(OPTIONS)) && FORMAT_VERSION.equals(commit.get(FORMAT)));
                if (rebuild) {
                    writer.deleteAll();
                    known = Map.of();
                }
                Counts c = new Counts();
                Map<String, String> skipped = new LinkedHashMap<>();
                int done = 0;
                for (var e : files.entrySet()) {
                    String source = e.getKey();
                    progress.update(done, files.size(), c.chunks, source);
                    if (Thread.interrupted()) throw new InterruptedException();
                    String digest;
                    try {
                        digest = digest(e.getValue());
                    } catch (IOException ex) {
                        skip(writer, source, "unreadable: " + ex.getMessage(), skipped);
                        done++;
                        continue;
                    }
                    if (digest.equals(known.get(source))) {
                        c.unchanged++;
                    } else {
                        try {
                            List<SourceDocument> docs = readers.read(e.getValue(), source);
                            List<Chunk> chunks = new ArrayList<>();
                            for (SourceDocument d : docs) chunks.addAll(chunker.chunk(d));
                            List<float[]> vectors = embed(chunks, progress, done, files.size(), source, c);
                            write(writer, source, digest, chunks, vectors);
                            c.embedded++;
                        } catch (SkippedFileException ex) {
                            skip(writer, source, ex.getMessage(), skipped);
                        }
                    }
                    done++;
                }
                for (String gone : known.keySet()) {
                    if (!files.containsKey(gone)) {
                        writer.deleteDocuments(new Term(ChunkFields.SOURCE, gone));
                        c.removed++;
                    }
                }
                writer.setLiveCommitData(commitData(embedderSpec, options).entrySet());
                writer.commit();
                int total = countChunks(writer);
                writer.close();
                var report = new BuildReport(files.size(), c.embedded, c.unchanged, c.removed, skipped, c.chunks,
                        total, Duration.ofNanos(System.nanoTime() - t0), embedder.name(), rebuild);
                progress.done(report);
                return report;
            } catch (IOException | RuntimeException | InterruptedException | Error e) {
                // Back to the last commit: nothing of this build becomes visible.
                writer.rollback();
                throw e;
            }
        } catch (java.nio.channels.ClosedByInterruptException | org.apache.lucene.util.ThreadInterruptedException e) {
            // An interrupt that landed inside Lucene's I/O: the build was stopped, not broken.
            throw new InterruptedException("index build interrupted");
        } catch (IOException e) {
            throw new RagException("index " + name + " could not be written: " + e.getMessage(), e);
        }
    }

    private static final class Counts {
        int embedded, unchanged, removed, chunks;
    }

    /** What an index records in its commit about how it was built: a build with other values starts over. */
    public static Map<String, String> commitData(String embedderSpec, IndexOptions options) {
        return Map.of(EMBEDDER, embedderSpec, OPTIONS, options.fingerprint(), FORMAT, FORMAT_VERSION);
    }

    /** How every writer of an index (this builder, a shard on a Spark executor) is configured. */
    public static IndexWriterConfig writerConfig() {
        return new IndexWriterConfig(ChunkFields.analyzer()).setRAMBufferSizeMB(64);
    }

    private IndexWriter open(Directory directory) throws IOException {
        IndexWriterConfig cfg = writerConfig().setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND);
        try {
            return new IndexWriter(directory, cfg);
        } catch (LockObtainFailedException e) {
            throw new IndexLockedException(name, e);
        }
    }

    /** Source to digest of every file in the last commit; fills {@code commit} with the commit's data. */
    private static Map<String, String> manifest(IndexWriter writer, Map<String, String> commit) throws IOException {
        Map<String, String> known = new HashMap<>();
        if (!DirectoryReader.indexExists(writer.getDirectory())) return known;
        try (DirectoryReader reader = DirectoryReader.open(writer.getDirectory())) {
            commit.putAll(reader.getIndexCommit().getUserData());
            IndexSearcher s = new IndexSearcher(reader);
            var stored = s.storedFields();
            for (ScoreDoc sd : s.search(new TermQuery(new Term(ChunkFields.KIND, ChunkFields.KIND_FILE)),
                    Math.max(1, reader.maxDoc())).scoreDocs) {
                Document d = stored.document(sd.doc);
                known.put(d.get(ChunkFields.SOURCE), d.get(ChunkFields.DIGEST));
            }
        }
        return known;
    }

    private List<float[]> embed(List<Chunk> chunks, BuildProgress progress, int done, int files, String source,
                                Counts c) throws InterruptedException {
        List<float[]> out = new ArrayList<>(chunks.size());
        for (int from = 0; from < chunks.size(); from += EMBED_SLICE) {
            List<String> texts = chunks.subList(from, Math.min(chunks.size(), from + EMBED_SLICE)).stream()
                    .map(Chunk::indexedText).toList();
            out.addAll(embedder.embed(texts));
            c.chunks += texts.size();
            progress.update(done, files, c.chunks, source);
            if (Thread.interrupted()) throw new InterruptedException();
        }
        return out;
    }

    private static void write(IndexWriter writer, String source, String digest, List<Chunk> chunks,
                              List<float[]> vectors) throws IOException {
        List<Document> docs = new ArrayList<>(chunks.size() + 1);
        for (int i = 0; i < chunks.size(); i++) docs.add(chunkDocument(source, source + "#" + i, chunks.get(i), vectors.get(i)));
        docs.add(fileDocument(source, digest, chunks.size()));
        writer.updateDocuments(new Term(ChunkFields.SOURCE, source), docs);
    }

    /** One chunk as the index stores it: analyzed text for BM25, its vector, and what a citation shows. */
    public static Document chunkDocument(String source, String chunkId, Chunk ch, float[] vector) {
        Document d = new Document();
        d.add(new StringField(ChunkFields.KIND, ChunkFields.KIND_CHUNK, Field.Store.NO));
        d.add(new StringField(ChunkFields.SOURCE, source, Field.Store.YES));
        d.add(new StringField(ChunkFields.DOC, ch.docId(), Field.Store.YES));
        d.add(new StringField(ChunkFields.CHUNK_ID, chunkId, Field.Store.YES));
        d.add(new TextField(ChunkFields.TEXT, ch.indexedText(), Field.Store.NO));
        d.add(new StoredField(ChunkFields.BODY, ch.text()));
        d.add(new StoredField(ChunkFields.HEADING, ch.heading()));
        d.add(new StoredField(ChunkFields.PAGE, ch.page()));
        d.add(new StoredField(ChunkFields.START, ch.start()));
        d.add(new StoredField(ChunkFields.END, ch.end()));
        d.add(new KnnFloatVectorField(ChunkFields.VECTOR, vector, VectorSimilarityFunction.DOT_PRODUCT));
        return d;
    }

    /** The document that says a source is in the index, with the digest that tells whether it changed. */
    public static Document fileDocument(String source, String digest, int chunks) {
        Document file = new Document();
        file.add(new StringField(ChunkFields.KIND, ChunkFields.KIND_FILE, Field.Store.NO));
        file.add(new StringField(ChunkFields.SOURCE, source, Field.Store.YES));
        file.add(new StoredField(ChunkFields.DIGEST, digest));
        file.add(new StoredField(ChunkFields.CHUNKS, chunks));
        return file;
    }

    /** A skipped file keeps no stale chunks from an earlier, readable version. */
    private static void skip(IndexWriter writer, String source, String why, Map<String, String> skipped)
            throws IOException {
        writer.deleteDocuments(new Term(ChunkFields.SOURCE, source));
        skipped.put(source, why);
    }

    private static int countChunks(IndexWriter writer) throws IOException {
        try (DirectoryReader reader = DirectoryReader.open(writer)) {
            return new IndexSearcher(reader).count(new TermQuery(new Term(ChunkFields.KIND, ChunkFields.KIND_CHUNK)));
        }
    }

    static String digest(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
