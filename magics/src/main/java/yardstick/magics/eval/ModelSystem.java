package yardstick.magics.eval;

import java.util.List;
import java.util.Map;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import yardstick.magics.llm.Batch;
import yardstick.magics.llm.BatchProgress;
import yardstick.magics.llm.LlmException;
import yardstick.magics.llm.Model;
import yardstick.magics.llm.Template;

/** A model from {@code llm} as an eval system: prompts go out as one batch (bounded concurrency, response cache). */
final class ModelSystem implements EvalSystem {
    private final String name;
    private final Model model;
    private final BatchProgress progress;

    ModelSystem(String name, Model model, BatchProgress progress) {
        this.name = name;
        this.model = model;
        this.progress = progress;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Map<String, String> params() {
        return model.params();
    }

    @Override
    public void answer(List<Map<String, String>> rows, List<String> prompts, String[] outputs, String[] errors) {
        // The prompts are already rendered: send each as the whole template.
        Table t = Table.create("prompts", StringColumn.create("prompt", prompts));
        try {
            Batch.Result r = model.batch(t, Template.of("{{prompt}}"), n -> null, progress);
            StringColumn out = r.table().stringColumn("output"), err = r.table().stringColumn("error");
            for (int i = 0; i < prompts.size(); i++) {
                String e = err.get(i);
                if (e != null && !e.isEmpty()) errors[i] = e;
                else outputs[i] = out.get(i);
            }
        } catch (LlmException e) {
            for (int i = 0; i < prompts.size(); i++) errors[i] = e.getMessage();
        }
    }
}
