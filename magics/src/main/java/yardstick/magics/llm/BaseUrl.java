package yardstick.magics.llm;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;

/**
 * An OpenAI-compatible server's base URL ({@code https://api.openai.com/v1}) without trailing slashes, checked to be
 * http(s): what prompting and hosted fine-tuning both talk to.
 */
public record BaseUrl(String value, URI uri) {

    /** Parses a configured base URL; the message of the error says what is wrong with it. */
    public static BaseUrl parse(String raw) {
        String base = raw.strip();
        while (base.endsWith("/")) base = base.substring(0, base.length() - 1);
        URI uri;
        try {
            uri = URI.create(base + "/");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + raw + "' is not a URL");
        }
        if (uri.getScheme() == null || !uri.getScheme().startsWith("http") || uri.getHost() == null) {
            throw new IllegalArgumentException("'" + raw + "' is not an http(s) URL");
        }
        return new BaseUrl(base, uri);
    }

    /** The URI of a path under the base ({@code "/chat/completions"}). */
    public URI resolve(String path) {
        return URI.create(value + path);
    }

    /**
     * A client for this server: plain-http servers (vLLM, Ollama, llama.cpp) get HTTP/1.1, since an h2c upgrade
     * offer confuses some of them.
     */
    public HttpClient newClient() {
        return HttpClient.newBuilder()
                .version(uri.getScheme().equals("https") ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }
}
