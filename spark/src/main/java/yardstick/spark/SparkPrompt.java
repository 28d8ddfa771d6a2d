package yardstick.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Set;
import tech.tablesaw.api.Table;
import yardstick.kernel.magic.Args;
import yardstick.kernel.magic.MagicCall;
import yardstick.kernel.magic.MagicContext;
import yardstick.kernel.magic.MagicException;
import yardstick.magics.llm.Model;
import yardstick.magics.llm.PromptMagic;
import yardstick.magics.llm.Template;
import yardstick.magics.track.TrackedRun;
import yardstick.magics.track.Tracking;

/**
 * {@code %%prompt --over PATH_OR_TABLE --engine spark --output PATH}: the same template and options as the in-kernel
 * batch, run on the connected cluster. The cell shows a sample of the output; the run records the totals, the
 * input's lineage (digest, Delta version) and the sample.
 */
final class SparkPrompt {
    static final Args.Spec SPEC = Args.Spec.of(
            Set.of("--model", "--temperature", "--max-tokens", "--system", "--over", "--into", "--concurrency",
                    "--engine", "--output", "--format", "--output-format", "--sample", "--partitions"),
            Set.of("--no-cache"));

    private SparkPrompt() {}

    static Object run(MagicCall call) throws MagicException {
        Args a = call.args(SPEC);
        if (!a.positionals().isEmpty()) throw new MagicException("unexpected '" + a.positionals().get(0) + "': the prompt goes in the cell body");
        if (call.body().isBlank()) throw new MagicException("the cell body is the prompt, and it is empty");
        String over = a.option("--over", null), output = a.option("--output", null);
        if (over == null) throw new MagicException("--engine spark needs --over PATH_OR_TABLE (Parquet, Delta, CSV, JSONL or a table)");
        if (output == null) throw new MagicException("--engine spark needs --output PATH_OR_TABLE for the results");
        if (a.option("--into", null) != null) throw new MagicException("--into is not for --engine spark: the results are in --output, the cell shows a sample");
        MagicContext ctx = call.context();
        Model model = PromptMagic.model(a);
        Template template = Template.of(call.body().strip());

        ObjectNode q = SparkDriver.JSON.createObjectNode().put("op", "prompt")
                .put("input", Locations.resolve(ctx.workingDirectory(), over))
                .put("output", Locations.resolve(ctx.workingDirectory(), output))
                .put("format", a.option("--format", null)).put("outputFormat", a.option("--output-format", null))
                .put("template", template.text()).put("sample", a.intOption("--sample", 20));
        SparkModels.put(q, model);
        if (a.option("--partitions", null) != null) q.put("partitions", a.intOption("--partitions", 1));
        ObjectNode vars = q.putObject("variables");
        for (String n : template.placeholders()) {
            Object v = PromptMagic.variable(ctx, n);
            if (v != null) vars.put(n, String.valueOf(v));
        }

        SparkDriver driver = Spark.driver();
        JsonNode r = SparkTables.request(driver, q, "prompting on Spark");
        Table sample = SparkTables.sample(r, "prompts");
        log(model, template, r, sample, ctx.cellSource());
        long failed = r.path("failed").asLong();
        System.out.println(SparkTables.read(r) + "; " + r.path("rows").asLong()
                + " rows written to " + r.path("output").path("location").asText()
                + (failed > 0 ? " (" + failed + " failed: see the error column)" : "") + "; the first " + sample.rowCount() + " below");
        return sample;
    }

    private static void log(Model model, Template template, JsonNode r, Table sample, String cell) {
        try {
            Tracking t = Tracking.global();
            if (!t.enabled()) return;
            try (TrackedRun run = t.child("prompt batch (spark)", "prompt", cell)) {
                run.params(model.params());
                run.param("template", template.text());
                run.param("concurrency", model.concurrency());
                run.param("engine", "spark");
                run.param("output", r.path("output").path("location").asText());
                for (String m : List.of("rows", "failed", "cached", "prompt_tokens", "completion_tokens", "cost",
                        "latency_ms_mean", "latency_ms_p95", "wall_ms")) {
                    String name = switch (m) {
                        case "failed" -> "failed_rows";
                        case "cached" -> "cached_rows";
                        default -> m;
                    };
                    run.metric(name, r.path(m).asDouble());
                }
                SparkTables.input(run, r.path("input"));
                run.table("outputs_sample", sample);
            }
        } catch (RuntimeException e) {
            System.err.println("Yardstick: the batch was not logged: " + e.getMessage());
        }
    }
}
