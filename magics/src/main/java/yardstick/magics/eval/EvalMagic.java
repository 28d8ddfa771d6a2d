package yardstick.magics.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import javax.lang.model.SourceVersion;
import tech.tablesaw.api.Table;
import yardstick.kernel.eval.Outcome;
import yardstick.kernel.magic.Args;
import yardstick.kernel.magic.Magic;
import yardstick.kernel.magic.MagicCall;
import yardstick.kernel.magic.MagicContext;
import yardstick.kernel.magic.MagicException;
import yardstick.magics.engine.Engines;
import yardstick.magics.llm.LlmException;

/**
 * {@code %eval new|add|load|from|show NAME ...} builds eval sets; {@code %%eval NAME --model M ... --scorers LIST}
 * runs one: the cell body is the prompt template.
 */
public final class EvalMagic implements Magic {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Args.Spec RUN = Args.Spec.of(Set.of("--model", "--scorers", "--engine"), Set.of());

    @Override
    public String name() {
        return "eval";
    }

    @Override
    public String usage() {
        return "%eval new NAME | %eval add NAME {JSON row} | %eval load NAME FILE | %eval from NAME TABLE_VAR | %eval show NAME"
                + " | %%eval NAME [--model M]... [--scorers exact,contains,regex:P,json,json:SCHEMA,rouge,embedding,judge,REGISTERED]"
                + " [--engine spark [--over PATH_OR_TABLE] --output PATH_OR_TABLE]";
    }

    @Override
    public String help() {
        return "Eval sets: new makes an empty set (and a notebook variable NAME of type EvalSet when NAME is a Java name), "
                + "add appends a row given as a JSON object, load reads JSONL or CSV, from copies a Tablesaw table. "
                + "%%eval NAME runs the cell body as a template ({{field}} from each row) on every --model (a model "
                + "of %models, or Java code registered with Evals.system), scores each output, shows the rows and a "
                + "summary per model, and logs a child run per model with the set's digest. A row missing a field the "
                + "template needs is named before any model is called. Evals.scorer registers Java scorers (a Scorer class or a "
                + "lambda) by name for --scorers. --engine spark runs the same eval on the connected Spark cluster, over the "
                + "set or --over data, writing every row's output and scores to --output.";
    }

    @Override
    public Object run(MagicCall call) throws Exception {
        try {
            return call.isCell() ? runEval(call) : line(call);
        } catch (EvalException | LlmException e) {
            throw new MagicException(e.getMessage());
        }
    }

    private Object line(MagicCall call) throws MagicException {
        String raw = call.rawArgs().strip();
        String[] head = raw.split("\\s+", 3);
        if (head.length < 2 || head[0].isEmpty()) throw new MagicException("usage: " + usage());
        String verb = head[0], name = head[1], rest = head.length > 2 ? head[2].strip() : "";
        MagicContext ctx = call.context();
        switch (verb) {
            case "new" -> {
                if (!rest.isEmpty()) throw new MagicException("%eval new takes only a name");
                EvalSet s = Evals.register(new EvalSet(name));
                bind(ctx, name);
                return s.toString();
            }
            case "add" -> {
                if (rest.isEmpty()) throw new MagicException("%eval add " + name + " needs a row: a JSON object such as {\"question\": \"...\"}");
                EvalSet s = Evals.set(name);
                try {
                    s.add(JSON.readTree(rest));
                } catch (IOException e) {
                    throw new MagicException("the row is not a JSON object: " + EvalSet.firstLine(e.getMessage()));
                }
                Evals.save(s);
                return s.toString();
            }
            case "load" -> {
                if (rest.isEmpty()) throw new MagicException("%eval load " + name + " needs a file (.jsonl or .csv)");
                Path file = ctx.workingDirectory().resolve(unquote(rest));
                EvalSet s = Evals.register(EvalSet.fromFile(name, file));
                bind(ctx, name);
                return s.toString();
            }
            case "from" -> {
                if (!SourceVersion.isIdentifier(rest)) throw new MagicException("%eval from " + name + " needs a table variable, not '" + rest + "'");
                Object v = ctx.value(rest);
                if (!(v instanceof Table t)) throw new MagicException(rest + " is not a Tablesaw Table");
                EvalSet s = Evals.register(EvalSet.fromTable(name, t));
                bind(ctx, name);
                return s.toString();
            }
            case "show" -> {
                return Evals.set(name).toTable();
            }
            default -> throw new MagicException("unknown %eval command '" + verb + "': use new, add, load, from or show (%%eval NAME runs one)");
        }
    }

    private Object runEval(MagicCall call) throws Exception {
        String engine = Engines.named(call);
        if (Engines.elsewhere(engine)) return Engines.run(engine, "eval", call);
        Args a = call.args(RUN);
        if (a.positionals().size() != 1) throw new MagicException("usage: %%eval NAME [--model M]... [--scorers LIST]");
        if (call.body().isBlank()) throw new MagicException("the cell body is the prompt template, and it is empty");
        List<String> models = a.all("--model").stream().flatMap(m -> java.util.Arrays.stream(m.split(","))).map(String::strip)
                .filter(m -> !m.isEmpty()).toList();
        if (models.isEmpty()) throw new MagicException("name at least one --model");
        EvalSet set = Evals.set(a.positionals().get(0));
        EvalResult r = Evals.run(set, call.body().strip(), models, a.option("--scorers", "exact"), call.context().cellSource(),
                (done, failed, total) -> {});
        call.context().display(r.rows());
        return r.summary();
    }

    /** Declares {@code EvalSet NAME} in the notebook when the name is a Java identifier. */
    private static void bind(MagicContext ctx, String name) {
        if (!SourceVersion.isIdentifier(name) || SourceVersion.isKeyword(name)) return;
        Outcome o = ctx.eval("yardstick.magics.eval.EvalSet " + name + " = yardstick.magics.eval.Evals.set(\"" + name + "\");");
        if (!o.ok()) System.err.println("could not declare the variable " + name + ": " + o.error().evalue());
    }

    static String unquote(String s) {
        String t = s.strip();
        if (t.length() >= 2 && (t.startsWith("\"") && t.endsWith("\"") || t.startsWith("'") && t.endsWith("'"))) return t.substring(1, t.length() - 1);
        return t;
    }
}
