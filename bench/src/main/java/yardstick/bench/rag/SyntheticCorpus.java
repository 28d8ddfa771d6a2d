package yardstick.bench.rag;

import java.util.Random;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.VectorSimilarityFunction;
import yardstick.magics.rag.embed.Embedder;
import yardstick.magics.rag.index.ChunkFields;

/**
 * Chunks for search benchmarks at a scale no one embeds on two cores: text drawn from a Zipf vocabulary, and
 * unit vectors clustered around topic centres as sentence embeddings are (i.i.d. random vectors are a worst case
 * HNSW is not built for). Documents have the index's real layout.
 */
final class SyntheticCorpus {
    private final int dim;
    private final float[][] centres;
    private final double[] zipf;
    private final Random random;

    SyntheticCorpus(int dim, int topics, int vocabulary, long seed) {
        this.dim = dim;
        this.random = new Random(seed);
        centres = new float[topics][];
        for (int t = 0; t < topics; t++) centres[t] = Embedder.normalize(gaussian(random, dim, 1));
        zipf = new double[vocabulary];
        double sum = 0;
        for (int i = 0; i < vocabulary; i++) zipf[i] = sum += 1.0 / (i + 1);
        for (int i = 0; i < vocabulary; i++) zipf[i] /= sum;
    }

    Document chunkDocument(int i) {
        StringBuilder text = new StringBuilder();
        for (int w = 0; w < 60; w++) text.append(word(random)).append(' ');
        Document d = new Document();
        d.add(new StringField(ChunkFields.KIND, ChunkFields.KIND_CHUNK, Field.Store.NO));
        d.add(new StringField(ChunkFields.SOURCE, "doc" + i / 4 + ".txt", Field.Store.YES));
        d.add(new StringField(ChunkFields.DOC, "doc" + i / 4 + ".txt", Field.Store.YES));
        d.add(new StringField(ChunkFields.CHUNK_ID, "doc" + i / 4 + ".txt#" + i % 4, Field.Store.YES));
        d.add(new TextField(ChunkFields.TEXT, text.toString(), Field.Store.NO));
        d.add(new StoredField(ChunkFields.BODY, text.toString()));
        d.add(new StoredField(ChunkFields.HEADING, ""));
        d.add(new StoredField(ChunkFields.PAGE, 0));
        d.add(new StoredField(ChunkFields.START, 0));
        d.add(new StoredField(ChunkFields.END, text.length()));
        d.add(new KnnFloatVectorField(ChunkFields.VECTOR, near(random, 0.03f), VectorSimilarityFunction.DOT_PRODUCT));
        return d;
    }

    String queryText(Random r) {
        return word(r) + " " + word(r) + " " + word(r);
    }

    float[] queryVector(Random r) {
        return near(r, 0.03f);
    }

    private float[] near(Random r, float noise) {
        float[] c = centres[r.nextInt(centres.length)];
        float[] v = gaussian(r, dim, noise);
        for (int i = 0; i < dim; i++) v[i] += c[i];
        return Embedder.normalize(v);
    }

    private String word(Random r) {
        double u = r.nextDouble();
        int lo = 0, hi = zipf.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (zipf[mid] < u) lo = mid + 1;
            else hi = mid;
        }
        return "term" + lo;
    }

    private static float[] gaussian(Random r, int dim, float scale) {
        float[] v = new float[dim];
        for (int i = 0; i < dim; i++) v[i] = (float) (r.nextGaussian() * scale);
        return v;
    }
}
