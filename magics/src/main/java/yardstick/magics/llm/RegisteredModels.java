package yardstick.magics.llm;

import java.io.IOException;
import java.nio.file.Path;
import yardstick.magics.YardstickHome;
import yardstick.magics.track.ModelRegistry;
import yardstick.magics.track.Tracking;
import yardstick.tracker.client.ArtifactClient;

/**
 * Prompting a registered model: {@code models:/NAME/VERSION} or {@code models:/NAME@ALIAS} resolves, through the
 * notebook's tracker, to the version's weights (downloaded once under {@code YARDSTICK_HOME/models}, then served by
 * the local engine) or to the endpoint recorded with it (a hosted fine-tune's model).
 */
final class RegisteredModels {
    private RegisteredModels() {}

    static Endpoint resolve(String uri) {
        Tracking t = Tracking.global();
        if (!t.enabled()) throw LlmException.fatal(uri + ": the model registry is the tracker's, and tracking is off");
        ModelRegistry registry = new ModelRegistry(t.client(), new ArtifactClient(t.uri()));
        ModelRegistry.Version v;
        try {
            v = registry.resolve(uri);
        } catch (IllegalArgumentException e) {
            throw LlmException.fatal(e.getMessage());
        } catch (RuntimeException e) {
            throw LlmException.fatal(uri + ": the tracker at " + t.uri() + " did not answer: " + e.getMessage());
        }
        if (v.kind().equals("endpoint")) {
            String base = v.tags().get(ModelRegistry.BASE_URL), model = v.tags().get(ModelRegistry.MODEL);
            if (base == null || model == null) throw LlmException.fatal(uri + " is an endpoint without a base_url or model name");
            return new Endpoint(uri, "openai", base, model, v.tags().get(ModelRegistry.KEY_ENV), 0, 0,
                    Endpoint.DEFAULT_TIMEOUT, "model registry");
        }
        try {
            Path file = registry.download(v, YardstickHome.resolve().resolve("models"));
            return new Endpoint(uri, "local", null, "local:" + file.toAbsolutePath(), null, 0, 0, Endpoint.DEFAULT_TIMEOUT,
                    "model registry");
        } catch (IOException e) {
            throw LlmException.fatal(uri + ": cannot download its weights: " + e.getMessage());
        }
    }
}
