package yardstick.magics.llm;

import java.util.Set;
import javax.lang.model.SourceVersion;
import tech.tablesaw.api.Table;
import yardstick.kernel.Notebook;
import yardstick.kernel.display.ProgressDisplay;
import yardstick.kernel.eval.Outcome;
import yardstick.kernel.magic.Args;
import yardstick.kernel.magic.MagicCall;
import yardstick.kernel.magic.MagicContext;
import yardstick.kernel.magic.MagicException;
import yardstick.kernel.magic.Magic;
import yardstick.magics.engine.Engines;

/**
 * {@code %%prompt}: the cell body is a prompt template. One prompt streams its answer into the output; with
 * {@code --over TABLE} there is one call per row, a progress bar, and a result table. Each is logged as a child run.
 */
public final class PromptMagic implements Magic {
    private static final Args.Spec SPEC = Args.Spec.of(
            Set.of("--model", "--temperature", "--max-tokens", "--system", "--over", "--into", "--concurrency", "--engine"),
            Set.of("--no-cache"));

    @Override
    public String name() {
        return "prompt";
    }

    @Override
    public String usage() {
        return "%%prompt [--model NAME] [--temperature T] [--max-tokens N] [--system TEXT] [--over TABLE_VAR] "
                + "[--into VAR] [--concurrency N] [--no-cache] [--engine spark --over PATH_OR_TABLE --output PATH]";
    }

    @Override
    public String help() {
        return "Sends the cell body to a model. {{name}} placeholders are filled from notebook variables, or with "
                + "--over from the columns of a Tablesaw table (one call per row, --concurrency at a time, default 8), "
                + "which returns a table with output, latency_ms, prompt_tokens, completion_tokens, cost, cached and "
                + "error columns. --into stores the answer (a String) or the table in a variable. Answers are cached "
                + "on disk; --no-cache asks the model again. %models lists the models. --engine spark prompts over a "
                + "Parquet, Delta, CSV or JSONL path or a Spark table on the %spark cluster and writes --output.";
    }

    @Override
    public Object run(MagicCall call) throws Exception {
        if (!call.isCell()) throw new MagicException("prompt is a cell magic: write %%prompt and the prompt below it");
        String engine = Engines.named(call);
        if (Engines.elsewhere(engine)) return Engines.run(engine, "prompt", call);
        Args a = call.args(SPEC);
        if (!a.positionals().isEmpty()) {
            throw new MagicException("unexpected '" + a.positionals().get(0) + "': the prompt goes in the cell body");
        }
        if (call.body().isBlank()) throw new MagicException("the cell body is the prompt, and it is empty");
        String into = a.option("--into", null);
        if (into != null && !SourceVersion.isIdentifier(into)) throw new MagicException("--into needs a variable name, not '" + into + "'");
        try {
            Model model = model(a);
            Template template = Template.of(call.body().strip());
            String over = a.option("--over", null);
            if (over != null) return batch(call, model, template, over, into);
            return single(call, model, template, into);
        } catch (LlmException e) {
            if (e.interrupted()) throw new InterruptedException();
            throw new MagicException(e.getMessage());
        }
    }

    /** The model a cell's options name and set up (the Spark engine reads the same options the same way). */
    public static Model model(Args a) throws MagicException {
        String name = a.option("--model", null);
        ModelCatalog catalog = Llm.catalog();
        Endpoint endpoint = catalog.resolve(name);
        if (name == null && endpoint.provider().equals("local")) {
            System.out.println("No endpoint is configured (OPENAI_BASE_URL, or ~/.yardstick/models.yaml): using the local model.");
        }
        Model m = new Model(endpoint, Llm.provider(endpoint), Llm.cache());
        if (a.option("--temperature", null) != null) m = m.withTemperature(a.doubleOption("--temperature", 0));
        if (a.option("--max-tokens", null) != null) m = m.withMaxTokens(a.intOption("--max-tokens", 0));
        if (a.option("--system", null) != null) m = m.withSystem(a.option("--system", null));
        if (a.option("--concurrency", null) != null) m = m.withConcurrency(a.intOption("--concurrency", 8));
        if (a.flag("--no-cache")) m = m.withoutCache();
        return m;
    }

    private static Object batch(MagicCall call, Model model, Template template, String over, String into)
            throws MagicException {
        MagicContext ctx = call.context();
        if (!SourceVersion.isIdentifier(over)) throw new MagicException("--over needs a variable name, not '" + over + "'");
        Object value = ctx.value(over);
        if (!(value instanceof Table table)) {
            throw new MagicException("--over " + over + " is " + (value == null ? "null" : "a " + value.getClass().getSimpleName())
                    + ", not a Tablesaw Table");
        }
        ProgressDisplay bar = Notebook.progress("prompting");
        Batch.Result r = model.batch(table, template, name -> variable(ctx, name),
                (done, failed, total) -> bar.update(done, total, failed > 0 ? failed + " failed" : null));
        PromptRuns.batch(model, r, template.text(), table, over, ctx.cellSource());
        if (r.failed() > 0) System.out.println(r.failed() + " of " + r.rows() + " rows failed: see the error column");
        if (into != null) store(ctx, into, "tech.tablesaw.api.Table", r.table());
        return r.table();
    }

    private static Object single(MagicCall call, Model model, Template template, String into) throws MagicException {
        MagicContext ctx = call.context();
        template.requireAll(n -> variable(ctx, n) != null, "the notebook has no variable");
        String prompt = template.render(n -> variable(ctx, n));
        Completion c = model.complete(prompt, piece -> {
            System.out.print(piece);
            System.out.flush();
        });
        System.out.println();
        PromptRuns.single(model, c, prompt, ctx.cellSource());
        if (into != null) store(ctx, into, "String", c.text());
        return null;
    }

    /** A notebook variable's value, or null when there is none; only plain names are looked up, never evaluated. */
    public static Object variable(MagicContext ctx, String name) {
        if (!SourceVersion.isIdentifier(name)) return null;
        try {
            return ctx.value(name);
        } catch (MagicException e) {
            return null;
        }
    }

    private static void store(MagicContext ctx, String var, String type, Object value) throws MagicException {
        long id = Handoff.park(value);
        Outcome o = ctx.eval(type + " " + var + " = (" + type + ") " + Handoff.class.getName() + ".take(" + id + "L);");
        if (!o.ok()) {
            Handoff.take(id);
            throw new MagicException("could not store the result in '" + var + "': " + o.error().evalue());
        }
    }
}
