package yardstick.magics.rag.embed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import yardstick.magics.rag.RagException;

/**
 * An OpenAI-compatible embeddings endpoint ({@code POST BASE/embeddings}), as OpenAI, vLLM, Ollama and llama.cpp
 * serve it. Vectors are normalized here, since not every server does.
 */
public final class HttpEmbedder implements Embedder {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final URI endpoint;
    private final String model;
    private final String apiKey;
    private final int maxTokens;
    private final int batchSize;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private int dimension = -1;

    /** {@code baseUrl} such as {@code http://localhost:11434/v1}; {@code apiKey} may be null. */
    public HttpEmbedder(String baseUrl, String model, String apiKey, int maxTokens, int batchSize) {
        String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.endpoint = URI.create(base + "/embeddings");
        this.model = model;
        this.apiKey = apiKey;
        this.maxTokens = maxTokens;
        this.batchSize = batchSize;
    }

    @Override
    public String name() {
        return model + "@" + endpoint.getHost();
    }

    @Override
    public synchronized int dimension() {
        if (dimension < 0) dimension = embed("dimension probe").length;
        return dimension;
    }

    @Override
    public int maxTokens() {
        return maxTokens;
    }

    /** The server's tokenizer is not at hand: about four tokens for every three words, as for English BPE. */
    @Override
    public int countTokens(String text) {
        int words = 0;
        boolean in = false;
        for (int i = 0; i < text.length(); i++) {
            boolean letter = !Character.isWhitespace(text.charAt(i));
            if (letter && !in) words++;
            in = letter;
        }
        return (words * 4 + 2) / 3;
    }

    @Override
    public List<float[]> embed(List<String> texts) {
        List<float[]> out = new ArrayList<>(texts.size());
        for (int from = 0; from < texts.size(); from += batchSize) {
            out.addAll(post(texts.subList(from, Math.min(texts.size(), from + batchSize))));
        }
        return out;
    }

    private List<float[]> post(List<String> texts) {
        ObjectNode body = JSON.createObjectNode().put("model", model);
        texts.forEach(body.putArray("input")::add);
        HttpRequest.Builder req = HttpRequest.newBuilder(endpoint).timeout(Duration.ofMinutes(2))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        if (apiKey != null && !apiKey.isBlank()) req.header("Authorization", "Bearer " + apiKey);
        try {
            HttpResponse<String> resp = http.send(req.build(), HttpResponse.BodyHandlers.ofString());
            if (resp.statusCode() != 200) {
                throw new RagException("embeddings endpoint " + endpoint + " answered " + resp.statusCode() + ": "
                        + abbreviate(resp.body()));
            }
            JsonNode data = JSON.readTree(resp.body()).path("data");
            if (!data.isArray() || data.size() != texts.size()) {
                throw new RagException("embeddings endpoint " + endpoint + " returned " + data.size()
                        + " vectors for " + texts.size() + " texts");
            }
            float[][] vectors = new float[texts.size()][];
            for (int i = 0; i < data.size(); i++) {
                JsonNode item = data.get(i);
                JsonNode e = item.path("embedding");
                float[] v = new float[e.size()];
                for (int j = 0; j < v.length; j++) v[j] = (float) e.get(j).asDouble();
                // Servers may answer out of order; "index" says which input a vector belongs to.
                vectors[item.path("index").asInt(i)] = Embedder.normalize(v);
            }
            return List.of(vectors);
        } catch (IOException e) {
            throw new RagException("embeddings endpoint " + endpoint + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RagException("interrupted while embedding", e);
        }
    }

    private static String abbreviate(String s) {
        String one = s.replaceAll("\\s+", " ").strip();
        return one.length() > 200 ? one.substring(0, 200) + "…" : one;
    }

    @Override
    public void close() {
        http.close();
    }
}
