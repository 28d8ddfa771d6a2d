package yardstick.magics.rag;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.store.FSDirectory;
import tech.tablesaw.api.Table;
import yardstick.magics.rag.embed.Embedder;
import yardstick.magics.rag.embed.Embedders;
import yardstick.magics.rag.eval.Evaluation;
import yardstick.magics.rag.eval.Evaluator;
import yardstick.magics.rag.eval.Qrels;
import yardstick.magics.rag.eval.Queries;
import yardstick.magics.rag.index.BuildProgress;
import yardstick.magics.rag.index.BuildReport;
import yardstick.magics.rag.index.IndexBuilder;
import yardstick.magics.rag.index.IndexOptions;
import yardstick.magics.rag.index.Inputs;
import yardstick.magics.rag.search.ChunkSearcher;
import yardstick.magics.rag.search.Highlighter;
import yardstick.magics.rag.search.Hit;
import yardstick.magics.rag.search.Mode;
import yardstick.magics.rag.search.Results;

/**
 * A named index: build or update it from files, search it three ways, measure its retrieval. Searches see the
 * last committed build; a handle notices a newer commit and reopens.
 */
public final class RagIndex implements AutoCloseable {
    private final String name;
    private final Path dir;
    private ChunkSearcher searcher;
    private Embedder embedder;

    RagIndex(String name, Path dir) {
        this.name = name;
        this.dir = dir;
    }

    public String name() {
        return name;
    }

    public Path directory() {
        return dir;
    }

    /** Builds or updates the index from files, folders and globs relative to {@code base}, with MiniLM. */
    public BuildReport build(Path base, List<String> inputs, IndexOptions options) throws InterruptedException {
        return build(base, inputs, options, Embedders.MINILM, NotebookProgress.forCell("indexing " + name));
    }

    public BuildReport build(Path base, List<String> inputs, IndexOptions options, String embedderSpec,
                             BuildProgress progress) throws InterruptedException {
        Map<String, Path> files = Inputs.resolve(base, inputs);
        Embedder e = embedderFor(embedderSpec, options);
        BuildReport report = new IndexBuilder(name, dir, e, embedderSpec, options).build(files, progress);
        synchronized (this) {
            embedder = e;
        }
        return report;
    }

    /** The embedder a build with these options uses; an error when its chunks would be longer than it reads. */
    public static Embedder embedderFor(String embedderSpec, IndexOptions options) {
        Embedder e = Embedders.get(embedderSpec);
        if (options.chunkTokens() > e.maxTokens()) {
            throw new RagException("--chunk " + options.chunkTokens() + " is more than " + e.name() + " reads ("
                    + e.maxTokens() + " tokens)");
        }
        return e;
    }

    /** After a build elsewhere (on Spark): queries are embedded with {@code e}, what the build used. */
    public synchronized void builtElsewhere(Embedder e) {
        embedder = e;
    }

    /** The top {@code k} chunks for a query. */
    public List<Hit> hits(String query, int k, Mode mode) {
        if (query == null || query.isBlank()) throw new RagException("the query is empty");
        if (k < 1) throw new RagException("k must be at least 1, got " + k);
        ChunkSearcher s = searcher();
        return switch (mode) {
            case BM25 -> s.bm25(query, k);
            case VECTOR -> s.vector(embedder().embed(query), k);
            case HYBRID -> s.hybrid(query, embedder().embed(query), k);
        };
    }

    /** The top {@code k} chunks as a table of rank, score, source and snippet with the query's words marked. */
    public Table search(String query, int k, Mode mode) {
        List<Hit> hits = hits(query, k, mode);
        Highlighter h = new Highlighter(searcher().analyzer(), Results.SNIPPET_CHARS);
        return Results.table(mode.label() + ": " + query, hits, h.terms(query), h);
    }

    public Table search(String query, int k) {
        return search(query, k, Mode.HYBRID);
    }

    public Table search(String query) {
        return search(query, 10, Mode.HYBRID);
    }

    /**
     * Retrieves {@code k} chunks (hybrid), asks {@code model} (a name as {@code Llm.model} takes it; null for the
     * default) to answer from them with numbered citations.
     */
    public Answer ask(String question, String model, int k) {
        List<Hit> sources = hits(question, k, Mode.HYBRID);
        var m = yardstick.magics.llm.Llm.model(model);
        var completion = m.complete(GroundedPrompt.messages(question, sources), null);
        return new Answer(question.strip(), completion.text(), sources, m.endpoint().model());
    }

    /** Distinct document ids in rank order (a document's best chunk counts), at most {@code k}. */
    public List<String> rankDocuments(String query, int k, Mode mode) {
        // Documents split into several chunks take several places: look deeper to fill k distinct documents.
        List<Hit> hits = hits(query, k * 3, mode);
        Set<String> docs = new LinkedHashSet<>();
        for (Hit h : hits) {
            docs.add(h.doc());
            if (docs.size() == k) break;
        }
        return new ArrayList<>(docs);
    }

    /** recall@k, MRR@10 and nDCG@10 for bm25, vector and hybrid, over the queries judged in {@code qrels}. */
    public Evaluation evaluate(Path qrels, Path queries, int recallK) {
        // Relative to the notebook's folder, as %rag eval reads them.
        Path base = Rag.workingDirectory();
        Qrels q = Qrels.read(base.resolve(qrels));
        Map<String, String> texts = Queries.read(base.resolve(queries));
        return Evaluator.run(name, q, texts, List.of("bm25", "vector", "hybrid"), recallK,
                (mode, query, depth) -> rankDocuments(query, depth, Mode.parse(mode)));
    }

    public Evaluation evaluate(Path qrels, Path queries) {
        return evaluate(qrels, queries, 10);
    }

    public int chunkCount() {
        return searcher().chunkCount();
    }

    synchronized ChunkSearcher searcher() {
        if (searcher == null || !searcher.isCurrent()) {
            if (searcher != null) searcher.close();
            searcher = new ChunkSearcher(dir);
        }
        return searcher;
    }

    private synchronized Embedder embedder() {
        if (embedder == null) embedder = Embedders.get(builtWith());
        return embedder;
    }

    /** The embedder spec the last build stored. */
    private String builtWith() {
        try (var d = FSDirectory.open(dir); DirectoryReader r = DirectoryReader.open(d)) {
            return r.getIndexCommit().getUserData().getOrDefault("embedder", Embedders.MINILM);
        } catch (IOException e) {
            throw new RagException("cannot open the index at " + dir + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        if (searcher != null) searcher.close();
        searcher = null;
    }

    @Override
    public String toString() {
        return "RagIndex[" + name + " at " + dir + "]";
    }
}
