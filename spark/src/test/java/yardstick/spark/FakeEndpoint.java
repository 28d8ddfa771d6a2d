package yardstick.spark;

import java.nio.file.Path;
import java.util.List;
import yardstick.kernel.magic.Environment;
import yardstick.magics.YardstickHome;
import yardstick.magics.llm.FakeOpenAi;

/** The notebook environment the Spark tests share: a temporary home, the fake endpoint as the default model, no tracking. */
final class FakeEndpoint {
    private static final List<String> VARIABLES = List.of("YARDSTICK_TRACKING", "OPENAI_BASE_URL", "OPENAI_API_KEY",
            "OPENAI_MODEL", "SPARK_LOCAL_IP");

    private FakeEndpoint() {}

    static FakeOpenAi start(Path home) throws Exception {
        System.setProperty(YardstickHome.PROPERTY, home.toString());
        FakeOpenAi llm = new FakeOpenAi();
        Environment env = Environment.shared();
        env.set("YARDSTICK_TRACKING", "off");
        env.set("OPENAI_BASE_URL", llm.baseUrl());
        env.set("OPENAI_API_KEY", "sk-test");
        env.set("OPENAI_MODEL", "fake-model");
        // The driver on loopback too, like the test cluster (by default it takes the first other interface).
        env.set("SPARK_LOCAL_IP", "127.0.0.1");
        return llm;
    }

    static void stop(FakeOpenAi llm) {
        Spark.stop();
        for (String k : VARIABLES) Environment.shared().set(k, null);
        System.clearProperty(YardstickHome.PROPERTY);
        llm.close();
    }
}
