package yardstick.magics.llm;

import tech.tablesaw.api.Table;
import yardstick.magics.track.TrackedRun;
import yardstick.magics.track.Tracking;

/** Records prompting as child runs: the model's params, token, cost and latency metrics, the output table. */
final class PromptRuns {
    private PromptRuns() {}

    static void batch(Model model, Batch.Result r, String template, Table input, String inputName, String cell) {
        try {
            logBatch(model, r, template, input, inputName, cell);
        } catch (RuntimeException e) {
            // Tracking must never cost the person their answers.
            System.err.println("Yardstick: the batch was not logged: " + e.getMessage());
        }
    }

    private static void logBatch(Model model, Batch.Result r, String template, Table input, String inputName, String cell) {
        Tracking t = Tracking.global();
        if (!t.enabled()) return;
        try (TrackedRun run = t.child("prompt batch", "prompt", cell)) {
            run.params(model.params());
            run.param("template", template);
            run.param("concurrency", model.concurrency());
            run.metric("rows", r.rows());
            run.metric("failed_rows", r.failed());
            run.metric("cached_rows", r.cached());
            run.metric("prompt_tokens", r.promptTokens());
            run.metric("completion_tokens", r.completionTokens());
            run.metric("cost", r.cost());
            if (r.uncounted() > 0) run.metric("rows_without_token_counts", r.uncounted());
            run.metric("latency_ms_mean", r.meanLatencyMs());
            run.metric("latency_ms_p95", r.p95LatencyMs());
            run.metric("wall_ms", r.wallMs());
            if (input != null) run.input(inputName == null ? "table" : inputName, input, "notebook variable " + inputName);
            run.table("outputs", r.table());
        }
    }

    static void single(Model model, Completion c, String prompt, String cell) {
        try {
            logSingle(model, c, prompt, cell);
        } catch (RuntimeException e) {
            System.err.println("Yardstick: the prompt was not logged: " + e.getMessage());
        }
    }

    private static void logSingle(Model model, Completion c, String prompt, String cell) {
        Tracking t = Tracking.global();
        if (!t.enabled()) return;
        try (TrackedRun run = t.child("prompt", "prompt", cell)) {
            run.params(model.params());
            run.param("prompt", prompt);
            run.metric("latency_ms", c.latencyMs());
            // Counts the server did not report are left out rather than logged as zero.
            if (c.promptTokens() >= 0) run.metric("prompt_tokens", c.promptTokens());
            if (c.completionTokens() >= 0) run.metric("completion_tokens", c.completionTokens());
            if (!Double.isNaN(c.cost())) run.metric("cost", c.cost());
            run.metric("cached", c.cached() ? 1 : 0);
        }
    }
}
