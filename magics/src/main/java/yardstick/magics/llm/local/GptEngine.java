package yardstick.magics.llm.local;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import yardstick.magics.llm.ChatRequest;
import yardstick.magics.llm.Completion;
import yardstick.magics.llm.LlmException;
import yardstick.magics.llm.LocalEngine;
import yardstick.magics.llm.Message;

/**
 * Serves byte-level language models in this JVM: {@code local} is the bundled model, {@code local:PATH} a weights
 * file (a fine-tune's {@code model.ysw}). The prompt is the messages' text, one after another; the answer is the
 * model's continuation, sampled at the request's temperature (default 0.8, top 40) up to its max tokens (default
 * 200 bytes), ending early at a blank line.
 */
public final class GptEngine implements LocalEngine {
    static final double DEFAULT_TEMPERATURE = 0.8;
    static final int DEFAULT_MAX_TOKENS = 200, TOP_K = 40;
    private final Map<String, GptModel> models = new ConcurrentHashMap<>();

    @Override
    public boolean serves(String model) {
        return model != null && (model.equals(BundledModel.NAME) || model.startsWith(BundledModel.NAME + ":"));
    }

    /** The model behind a name, loaded once. */
    public GptModel model(String name) {
        return models.computeIfAbsent(name, GptEngine::load);
    }

    private static GptModel load(String name) {
        try {
            if (name.equals(BundledModel.NAME)) {
                try (InputStream in = BundledModel.open()) {
                    return new GptModel(Weights.read(in, BundledModel.RESOURCE));
                }
            }
            Path p = Path.of(name.substring(BundledModel.NAME.length() + 1));
            if (!Files.isRegularFile(p)) throw LlmException.fatal("local model " + name + ": no weights file at " + p);
            return new GptModel(Weights.read(p));
        } catch (IOException | IllegalArgumentException e) {
            throw LlmException.fatal("cannot load local model " + name + ": " + e.getMessage());
        }
    }

    @Override
    public Completion generate(ChatRequest request, Consumer<String> onToken) throws InterruptedException {
        GptModel m = model(request.model());
        StringBuilder prompt = new StringBuilder();
        for (Message msg : request.messages()) {
            if (prompt.length() > 0) prompt.append("\n\n");
            prompt.append(msg.content());
        }
        double t = request.temperature() == null ? DEFAULT_TEMPERATURE : request.temperature();
        int max = request.maxTokens() == null ? DEFAULT_MAX_TOKENS : request.maxTokens();
        Sampler.Result r = new Sampler(m).generate(prompt.toString(), max, t, TOP_K, new Random(), onToken);
        return Completion.of(r.text(), r.promptTokens(), r.completionTokens());
    }
}
