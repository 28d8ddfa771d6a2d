package yardstick.magics.rag.search;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import yardstick.magics.rag.RagException;
import yardstick.magics.rag.index.ChunkFields;

/**
 * Searches one index's last commit: BM25 over chunk text, KNN over chunk vectors, and hybrid, which fuses the two
 * rankings by reciprocal rank ({@code sum 1/(60 + rank)}, Cormack et al. 2009) over the top {@link #FUSION_DEPTH}
 * of each. Thread-safe; holds the index open until closed.
 */
public final class ChunkSearcher implements AutoCloseable {
    static final int RRF_K = 60;
    static final int FUSION_DEPTH = 100;

    private final Directory directory;
    private final DirectoryReader reader;
    private final IndexSearcher searcher;
    private final Analyzer analyzer = ChunkFields.analyzer();

    public ChunkSearcher(Path dir) {
        try {
            this.directory = FSDirectory.open(dir);
            if (!DirectoryReader.indexExists(directory)) {
                directory.close();
                throw new RagException("no index at " + dir + ": build it first with %rag index");
            }
            this.reader = DirectoryReader.open(directory);
            this.searcher = new IndexSearcher(reader);
        } catch (IOException e) {
            throw new RagException("cannot open the index at " + dir + ": " + e.getMessage(), e);
        }
    }

    /** False once a newer build has been committed. */
    public boolean isCurrent() {
        try {
            return reader.isCurrent();
        } catch (IOException e) {
            return false;
        }
    }

    public Analyzer analyzer() {
        return analyzer;
    }

    public int chunkCount() {
        try {
            return searcher.count(new TermQuery(new Term(ChunkFields.KIND, ChunkFields.KIND_CHUNK)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The analyzed query terms, OR-ed: no query syntax to get wrong. Empty when every word is a stop word. */
    public List<Hit> bm25(String query, int k) {
        Set<String> terms = new Highlighter(analyzer, 0).terms(query);
        if (terms.isEmpty()) return List.of();
        BooleanQuery.Builder b = new BooleanQuery.Builder();
        for (String t : terms) b.add(new TermQuery(new Term(ChunkFields.TEXT, t)), BooleanClause.Occur.SHOULD);
        return hits(search(b.build(), k));
    }

    public List<Hit> vector(float[] queryVector, int k) {
        return hits(search(new KnnFloatVectorQuery(ChunkFields.VECTOR, queryVector, k), k));
    }

    public List<Hit> hybrid(String query, float[] queryVector, int k) {
        int depth = Math.max(k, FUSION_DEPTH);
        Set<String> terms = new Highlighter(analyzer, 0).terms(query);
        ScoreDoc[] lexical = new ScoreDoc[0];
        if (!terms.isEmpty()) {
            BooleanQuery.Builder b = new BooleanQuery.Builder();
            for (String t : terms) b.add(new TermQuery(new Term(ChunkFields.TEXT, t)), BooleanClause.Occur.SHOULD);
            lexical = search(b.build(), depth).scoreDocs;
        }
        ScoreDoc[] semantic = search(new KnnFloatVectorQuery(ChunkFields.VECTOR, queryVector, depth), depth).scoreDocs;
        Map<Integer, Double> fused = new HashMap<>();
        for (ScoreDoc[] ranking : List.of(lexical, semantic)) {
            for (int r = 0; r < ranking.length; r++) fused.merge(ranking[r].doc, 1.0 / (RRF_K + r + 1), Double::sum);
        }
        List<Map.Entry<Integer, Double>> order = new ArrayList<>(fused.entrySet());
        // Ties (equal fused scores) go to the lower doc id, so results are deterministic.
        order.sort((a, b) -> a.getValue().equals(b.getValue()) ? Integer.compare(a.getKey(), b.getKey())
                : Double.compare(b.getValue(), a.getValue()));
        ScoreDoc[] top = order.stream().limit(k).map(e -> new ScoreDoc(e.getKey(), e.getValue().floatValue()))
                .toArray(ScoreDoc[]::new);
        return hits(top);
    }

    private TopDocs search(org.apache.lucene.search.Query q, int k) {
        try {
            return searcher.search(q, Math.max(1, k));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<Hit> hits(TopDocs td) {
        return hits(td.scoreDocs);
    }

    private List<Hit> hits(ScoreDoc[] docs) {
        try {
            StoredFields stored = searcher.storedFields();
            List<Hit> out = new ArrayList<>(docs.length);
            for (int i = 0; i < docs.length; i++) {
                Document d = stored.document(docs[i].doc);
                out.add(new Hit(i + 1, docs[i].score, d.get(ChunkFields.CHUNK_ID), d.get(ChunkFields.SOURCE),
                        d.get(ChunkFields.DOC), intField(d, ChunkFields.PAGE), d.get(ChunkFields.HEADING),
                        intField(d, ChunkFields.START), intField(d, ChunkFields.END), d.get(ChunkFields.BODY)));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int intField(Document d, String name) {
        var f = d.getField(name);
        return f == null ? 0 : f.numericValue().intValue();
    }

    @Override
    public void close() {
        try {
            reader.close();
            directory.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
