package yardstick.magics.llm;

import java.util.ServiceLoader;
import java.util.function.Consumer;

/** Models that run in this JVM, through whichever {@link LocalEngine} on the class path serves the model's name. */
public final class LocalProvider implements Provider {
    static final String MISSING = "no local model is installed: Yardstick's small local model comes with the fine-tune"
            + " module, which is not on this class path; set OPENAI_BASE_URL (and OPENAI_API_KEY) or name an endpoint"
            + " in ~/.yardstick/models.yaml";

    private final ClassLoader loader;
    private volatile java.util.List<LocalEngine> engines;

    public LocalProvider(ClassLoader loader) {
        this.loader = loader;
    }

    @Override
    public String id() {
        return "local";
    }

    /** True when an engine on the class path serves {@code model}. */
    public boolean available(String model) {
        return engine(model) != null;
    }

    @Override
    public Completion complete(ChatRequest request, Consumer<String> onToken) throws InterruptedException {
        LocalEngine e = engine(request.model());
        if (e == null) throw LlmException.fatal(MISSING);
        return e.generate(request, onToken);
    }

    private LocalEngine engine(String model) {
        java.util.List<LocalEngine> all = engines;
        if (all == null) {
            // Loaded once: an engine holds a model in memory.
            all = ServiceLoader.load(LocalEngine.class, loader).stream().map(ServiceLoader.Provider::get).toList();
            engines = all;
        }
        for (LocalEngine e : all) {
            if (e.serves(model)) return e;
        }
        return null;
    }
}
