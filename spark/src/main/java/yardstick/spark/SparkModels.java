package yardstick.spark;

import com.fasterxml.jackson.databind.node.ObjectNode;
import yardstick.magics.YardstickHome;
import yardstick.magics.llm.Endpoint;
import yardstick.magics.llm.Model;

/** A model as the driver reads it ({@code driver.ModelSpec}): its endpoint, key, options and total concurrency. */
final class SparkModels {
    private SparkModels() {}

    static ObjectNode put(ObjectNode q, Model model) {
        Endpoint e = model.endpoint();
        q.putObject("endpoint").put("name", e.name()).put("provider", e.provider()).put("baseUrl", e.baseUrl())
                .put("model", e.model()).put("keyEnv", e.keyEnv()).put("priceIn", e.pricePer1kInput())
                .put("priceOut", e.pricePer1kOutput()).put("timeoutMs", e.timeout().toMillis());
        q.put("apiKey", YardstickHome.env(e.keyEnv() == null ? "OPENAI_API_KEY" : e.keyEnv()));
        q.put("concurrency", model.concurrency()).put("noCache", !model.readsCache()).put("system", model.system());
        if (model.temperature() != null) q.put("temperature", model.temperature());
        if (model.maxTokens() != null) q.put("maxTokens", model.maxTokens());
        return q;
    }
}
