package yardstick.magics.eval;

import java.util.List;
import java.util.Map;

/**
 * Something that answers eval prompts: a model (through {@code llm}) or any Java code registered with
 * {@link Evals#system}, such as a retrieval pipeline. Answers a list of prompts, one per row, null where a row failed
 * (with the reason in {@code errors}).
 */
public interface EvalSystem {
    String name();

    /** Params a run records about it (model id, temperature...). */
    Map<String, String> params();

    /** Answers every prompt; {@code outputs} and {@code errors} have one slot per prompt. */
    void answer(List<Map<String, String>> rows, List<String> prompts, String[] outputs, String[] errors) throws InterruptedException;

    /** A model as a system: each prompt goes out in one batch, at the model's concurrency. */
    static EvalSystem of(String name, yardstick.magics.llm.Model model) {
        return new ModelSystem(name, model, yardstick.magics.llm.BatchProgress.NONE);
    }

    /** A system from a Java function of the row and the rendered prompt. */
    static EvalSystem of(String name, java.util.function.BiFunction<Map<String, String>, String, String> fn) {
        return new EvalSystem() {
            public String name() {
                return name;
            }

            public Map<String, String> params() {
                return Map.of("model", name, "provider", "java");
            }

            public void answer(List<Map<String, String>> rows, List<String> prompts, String[] outputs, String[] errors) {
                for (int i = 0; i < prompts.size(); i++) {
                    try {
                        outputs[i] = fn.apply(rows.get(i), prompts.get(i));
                    } catch (RuntimeException e) {
                        errors[i] = e.toString();
                    }
                }
            }
        };
    }
}
