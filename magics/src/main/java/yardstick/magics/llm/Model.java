package yardstick.magics.llm;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import tech.tablesaw.api.Table;

/**
 * A model to prompt, with its sampling options: {@code Llm.model("mini").withTemperature(0).complete("Hi")}. Immutable:
 * each {@code with} returns a new one. Answers are cached on disk by provider, model, parameters and messages; each batch is
 * logged as a child run of the current run.
 */
public final class Model {
    private final Endpoint endpoint;
    private final Provider provider;
    private final ResponseCache cache;
    private final Double temperature;
    private final Integer maxTokens;
    private final String system;
    private final int concurrency;
    private final boolean readCache;

    public Model(Endpoint endpoint, Provider provider, ResponseCache cache) {
        this(endpoint, provider, cache, null, null, null, 8, true);
    }

    private Model(Endpoint endpoint, Provider provider, ResponseCache cache, Double temperature, Integer maxTokens,
            String system, int concurrency, boolean readCache) {
        this.endpoint = endpoint;
        this.provider = provider;
        this.cache = cache;
        this.temperature = temperature;
        this.maxTokens = maxTokens;
        this.system = system;
        this.concurrency = concurrency;
        this.readCache = readCache;
    }

    public Model withTemperature(double t) {
        if (!(t >= 0 && t <= 2)) throw new LlmException("temperature must be between 0 and 2, not " + t);
        return new Model(endpoint, provider, cache, t, maxTokens, system, concurrency, readCache);
    }

    public Model withMaxTokens(int n) {
        if (n < 1) throw new LlmException("max tokens must be at least 1, not " + n);
        return new Model(endpoint, provider, cache, temperature, n, system, concurrency, readCache);
    }

    /** A system message sent before every prompt (null: none). */
    public Model withSystem(String text) {
        return new Model(endpoint, provider, cache, temperature, maxTokens, text, concurrency, readCache);
    }

    /** How many requests a batch keeps in flight (default 8). */
    public Model withConcurrency(int n) {
        if (n < 1 || n > 1024) throw new LlmException("concurrency must be between 1 and 1024, not " + n);
        return new Model(endpoint, provider, cache, temperature, maxTokens, system, n, readCache);
    }

    /** Asks the model even when the cache has an answer (the new answer still replaces the cached one). */
    public Model withoutCache() {
        return new Model(endpoint, provider, cache, temperature, maxTokens, system, concurrency, false);
    }

    public Endpoint endpoint() {
        return endpoint;
    }

    public int concurrency() {
        return concurrency;
    }

    /** The sampling options as set (null: the endpoint's default), for engines that rebuild the model elsewhere. */
    public Double temperature() {
        return temperature;
    }

    public Integer maxTokens() {
        return maxTokens;
    }

    public String system() {
        return system;
    }

    /** False after {@link #withoutCache()}. */
    public boolean readsCache() {
        return readCache;
    }

    /** The parameters a run records. */
    public Map<String, String> params() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("model", endpoint.name());
        p.put("model_id", endpoint.model() == null ? "" : endpoint.model());
        p.put("provider", provider.id());
        p.put("temperature", temperature == null ? "default" : String.valueOf(temperature));
        p.put("max_tokens", maxTokens == null ? "default" : String.valueOf(maxTokens));
        if (system != null) p.put("system", system);
        p.put("cache", readCache ? "on" : "refresh");
        return p;
    }

    public Completion complete(String prompt) {
        return complete(prompt, null);
    }

    /** Answers one prompt, passing each piece of text to {@code onToken} as it streams in (null: no streaming). */
    public Completion complete(String prompt, Consumer<String> onToken) {
        return complete(messages(prompt), onToken);
    }

    public Completion complete(List<Message> messages, Consumer<String> onToken) {
        try {
            return call(request(messages), onToken);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw LlmException.interrupted(e);
        }
    }

    /**
     * One call per row of {@code table}, the template's {@code {{column}}} placeholders filled from that row, with
     * {@link #concurrency()} calls in flight. Returns the input columns and output, latency_ms, prompt_tokens,
     * completion_tokens, cost, cached and error (empty unless the row failed). A placeholder with no column fails
     * before any call.
     */
    public Table batch(Table table, String template) {
        Batch.Result r = batch(table, Template.of(template), name -> null, BatchProgress.NONE);
        PromptRuns.batch(this, r, template, table, table.name(), null);
        return r.table();
    }

    /** As {@link #batch(Table, String)}, falling back to {@code variables} for placeholders that name no column. */
    public Batch.Result batch(Table table, Template template, Function<String, Object> variables, BatchProgress progress) {
        try {
            return new Batch(this, table, template, variables).run(progress);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw LlmException.interrupted(e);
        }
    }

    List<Message> messages(String prompt) {
        List<Message> m = new ArrayList<>(2);
        if (system != null) m.add(Message.system(system));
        m.add(Message.user(prompt));
        return m;
    }

    ChatRequest request(List<Message> messages) {
        if (endpoint.model() == null) {
            throw LlmException.fatal("endpoint '" + endpoint.name() + "' names no model: set OPENAI_MODEL or use --model NAME");
        }
        return new ChatRequest(endpoint.model(), messages, temperature, maxTokens);
    }

    /** Cache lookup, the provider call, timing and pricing: everything Yardstick adds around the network. */
    Completion call(ChatRequest request, Consumer<String> onToken) throws InterruptedException {
        long t0 = System.nanoTime();
        String key = cache == null ? null : ResponseCache.key(provider.id(), request);
        if (key != null && readCache) {
            Optional<Completion> hit = cache.get(key);
            if (hit.isPresent()) {
                if (onToken != null) onToken.accept(hit.get().text());
                return hit.get().timed((System.nanoTime() - t0) / 1e6, 0, true);
            }
        }
        Completion c = provider.complete(request, onToken);
        double ms = (System.nanoTime() - t0) / 1e6;
        if (key != null) cache.put(key, c);
        return c.timed(ms, endpoint.cost(c.promptTokens(), c.completionTokens()), false);
    }
}
