package yardstick.magics.eval;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import yardstick.kernel.magic.Environment;
import yardstick.magics.YardstickHome;
import yardstick.magics.llm.ChatRequest;
import yardstick.magics.llm.Completion;
import yardstick.magics.llm.Endpoint;
import yardstick.magics.llm.Model;
import yardstick.magics.llm.Provider;

/** A throwaway Yardstick home with tracking off, and models answered by Java code in place of a server. */
final class EvalFixture {
    private EvalFixture() {}

    static Path home() throws Exception {
        Path home = Files.createTempDirectory("yardstick-eval-test");
        System.setProperty(YardstickHome.PROPERTY, home.toString());
        Environment.shared().set("YARDSTICK_TRACKING", "off");
        return home;
    }

    /** A model whose answers come from {@code answer} applied to the last user message; calls are counted. */
    static Model model(String name, Function<String, String> answer, List<String> seen) {
        Provider p = new Provider() {
            public String id() {
                return "test:" + name;
            }

            public Completion complete(ChatRequest request, java.util.function.Consumer<String> onToken) {
                String user = request.messages().get(request.messages().size() - 1).content();
                seen.add(user);
                return Completion.of(answer.apply(user), 1, 1);
            }
        };
        return new Model(new Endpoint(name, "test", null, name, null, 0, 0, Duration.ofSeconds(5), "test"), p, null);
    }
}
