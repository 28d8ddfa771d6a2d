package yardstick.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import yardstick.kernel.Session;
import yardstick.kernel.magic.Args;
import yardstick.kernel.magic.MagicCall;
import yardstick.kernel.magic.MagicContext;
import yardstick.kernel.magic.MagicException;
import yardstick.magics.eval.EvalSet;
import yardstick.magics.eval.Evals;
import yardstick.magics.eval.Scorer;
import yardstick.magics.eval.Scorers;
import yardstick.magics.eval.judge.Judge;
import yardstick.magics.llm.Llm;
import yardstick.magics.llm.Model;
import yardstick.magics.track.TrackedRun;
import yardstick.magics.track.Tracking;

/**
 * {@code %%eval [NAME] --engine spark [--over PATH_OR_TABLE] --output PATH --model M... --scorers LIST}: the kernel's
 * eval on the connected cluster, with the same template, models and scorers. The input is the eval set NAME, or
 * {@code --over} data (NAME then names the set whose judge grades). Scorers and systems registered from cells travel
 * serialized, with the bytecode of the notebook's snippet classes. The cell shows a sample of the scored rows and
 * returns the summary per model, which each model's run records as the kernel's eval does. {@code --outputs COLUMN}
 * scores outputs the input already has, with no model call.
 */
final class SparkEval {
    static final Args.Spec SPEC = Args.Spec.of(Set.of("--model", "--scorers", "--engine", "--over", "--output", "--format",
            "--output-format", "--sample", "--partitions", "--outputs"), Set.of());

    private SparkEval() {}

    static Object run(MagicCall call) throws MagicException {
        if (!call.isCell()) throw new MagicException("--engine spark runs %%eval cells: the cell body is the template");
        Args a = call.args(SPEC);
        if (a.positionals().size() > 1) throw new MagicException("usage: %%eval [NAME] --engine spark [--over PATH_OR_TABLE] --output PATH --model M [--scorers LIST]");
        String scored = a.option("--outputs", null);
        if (call.body().isBlank() && scored == null) throw new MagicException("the cell body is the prompt template, and it is empty");
        String over = a.option("--over", null), output = a.option("--output", null);
        EvalSet set = a.positionals().isEmpty() ? null : Evals.set(a.positionals().get(0));
        if (set == null && over == null) throw new MagicException("--engine spark needs an eval set NAME or --over PATH_OR_TABLE");
        if (output == null) throw new MagicException("--engine spark needs --output PATH_OR_TABLE for the scored rows");
        List<String> models = a.all("--model").stream().flatMap(m -> Arrays.stream(m.split(","))).map(String::strip)
                .filter(m -> !m.isEmpty()).toList();
        if (models.isEmpty() && scored == null) throw new MagicException("name at least one --model, or --outputs COLUMN to score outputs the input has");
        String scorers = a.option("--scorers", "exact");
        MagicContext ctx = call.context();
        SparkDriver driver = Spark.driver();

        ObjectNode q = SparkDriver.JSON.createObjectNode().put("op", "eval")
                .put("output", Locations.resolve(ctx.workingDirectory(), output))
                .put("outputFormat", a.option("--output-format", null)).put("template", call.body().strip())
                .put("scorers", scorers).put("directory", ctx.workingDirectory().toString()).put("sample", a.intOption("--sample", 20));
        if (a.option("--partitions", null) != null) q.put("partitions", a.intOption("--partitions", 1));
        if (over != null) {
            q.put("input", Locations.resolve(ctx.workingDirectory(), over)).put("format", a.option("--format", null));
        } else {
            // The set as saved: the driver reads its file, with the set's fields as text in their order. The file is
            // written only when the set changed, so its lineage digest (path, size, time) stays while the rows do.
            java.nio.file.Path file = Evals.dir(set.name()).resolve("set.jsonl");
            if (!java.nio.file.Files.isRegularFile(file) || !EvalSet.fromJsonl(set.name(), file).digest().equals(set.digest())) Evals.save(set);
            q.put("input", file.toAbsolutePath().toString()).put("inputName", "eval set " + set.name());
            set.fields().forEach(q.putArray("fields")::add);
        }
        boolean cellCode = false;
        for (String m : models) {
            ObjectNode s = q.withArray("systems").addObject().put("name", m);
            BiFunction<Map<String, String>, String, String> fn = Evals.systemFunction(m);
            if (fn != null) {
                s.put("function", serialize(fn, "system '" + m + "'"));
                cellCode = true;
            } else {
                SparkModels.put(s, Llm.model(m));
            }
        }
        if (scored != null) q.withArray("systems").addObject().put("name", scored).put("column", scored);
        ObjectNode cells = q.putObject("cellScorers");
        for (String name : Scorers.names(scorers)) {
            Scorer registered = Scorers.BUILT_IN.contains(name) ? null : Evals.registeredScorer(name);
            if (registered != null) {
                cells.put(name, serialize(registered, "scorer '" + name + "'"));
                cellCode = true;
            }
            if (name.equals("judge")) judge(q, set);
        }
        if (cellCode) classes(driver, q.putObject("classes"));

        JsonNode r = SparkTables.request(driver, q, "scoring on Spark");
        Table sample = SparkTables.sample(r, "eval rows");
        Table summary = summary(r, set == null ? "eval" : set.name());
        log(r, set, call.body().strip(), scored, sample, ctx.cellSource());
        System.out.println(SparkTables.read(r) + "; " + r.path("rows").asLong()
                + " scored rows written to " + r.path("output").path("location").asText() + "; the first " + sample.rowCount() + " below");
        ctx.display(sample);
        return summary;
    }

    /** The set's judge as the driver rebuilds it: its model, rubric and shots. */
    private static void judge(ObjectNode q, EvalSet set) throws MagicException {
        if (set == null) throw new MagicException("the judge scorer grades with a set's judge: name the set (%%eval NAME --engine spark --over ...)");
        if (!(Evals.judge(set.name()) instanceof Judge j)) {
            throw new MagicException("set " + set.name() + " has no judge: define one with %%judge " + set.name() + " --model M");
        }
        SparkModels.put(q.putObject("judge"), j.model()).put("set", j.set()).put("rubric", j.rubric())
                .put("modelName", j.modelName()).put("shots", j.shots());
    }

    /** The snippet classes this driver has not been sent yet: cell objects may need any of them. */
    private static void classes(SparkDriver driver, ObjectNode out) {
        for (var e : Session.active().evaluator().snippetClasses().all().entrySet()) {
            if (driver.classesSent.add(e.getKey())) out.put(e.getKey(), Base64.getEncoder().encodeToString(e.getValue()));
        }
    }

    /** A cell object as Java serialization writes it; what cannot be written is named, with what to do about it. */
    static String serialize(Object o, String what) throws MagicException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(o);
        } catch (NotSerializableException e) {
            throw new MagicException(what + " (" + readable(o.getClass().getName()) + ") cannot go to Spark executors: it holds a "
                    + readable(e.getMessage()) + ", which is not Serializable. Keep only serializable values in its fields "
                    + "(mark the others transient and make them in the method that uses them)");
        } catch (IOException e) {
            throw new MagicException(what + " (" + readable(o.getClass().getName()) + ") cannot go to Spark executors: " + e);
        }
        return Base64.getEncoder().encodeToString(bytes.toByteArray());
    }

    /** A class name as the cell wrote it: JShell's wrapper prefix ({@code REPL.$JShell$12$}) dropped. */
    static String readable(String className) {
        String n = className.replaceAll("REPL\\.\\$JShell\\$\\d+[A-Z]*\\$", "");
        return n.contains("$$Lambda") ? "lambda from a cell" : n;
    }

    /** The summary as the kernel's eval shows it: a row per model, rows, failed calls, and per scorer its mean and failures. */
    static Table summary(JsonNode r, String name) {
        StringColumn sys = StringColumn.create("model");
        IntColumn rows = IntColumn.create("rows"), failed = IntColumn.create("failed_calls");
        Table t = Table.create(name + " summary", sys, rows, failed);
        List<String> scorers = new ArrayList<>();
        r.path("scorers").forEach(s -> scorers.add(s.asText()));
        for (String s : scorers) t.addColumns(DoubleColumn.create(s + "_mean"), IntColumn.create(s + "_failures"));
        for (JsonNode m : r.path("systems")) {
            sys.append(m.path("name").asText());
            rows.append(m.path("rows").asInt());
            failed.append(m.path("failed_calls").asInt());
            for (String s : scorers) {
                if (m.has(s + "_mean")) t.doubleColumn(s + "_mean").append(m.get(s + "_mean").asDouble());
                else t.doubleColumn(s + "_mean").appendMissing();
                t.intColumn(s + "_failures").append(m.path(s + "_failures").asInt());
            }
        }
        return t;
    }

    /** A child run per model, with the kernel eval's params and metrics, and the engine, output and input lineage. */
    private static void log(JsonNode r, EvalSet set, String template, String scored, Table sample, String cell) {
        List<String> scorerNames = new ArrayList<>();
        r.path("scorers").forEach(s -> scorerNames.add(s.asText()));
        try {
            Tracking t = Tracking.global();
            if (!t.enabled()) return;
            String name = set == null ? r.path("input").path("location").asText() : set.name();
            for (JsonNode m : r.path("systems")) {
                String system = m.path("name").asText();
                try (TrackedRun run = t.child("eval " + name + " · " + system + " (spark)", "eval", cell)) {
                    run.params(system.equals(scored) ? Map.of("model", system, "provider", "column")
                            : Evals.systemFunction(system) != null ? Map.of("model", system, "provider", "java") : Llm.model(system).params());
                    if (set != null) {
                        run.param("eval_set", set.name());
                        run.param("eval_set_digest", set.digest());
                    }
                    run.param("template", template);
                    run.param("scorers", String.join(",", scorerNames));
                    run.param("engine", "spark");
                    run.param("output", r.path("output").path("location").asText());
                    m.properties().forEach(e -> {
                        if (!e.getKey().equals("name")) run.metric(e.getKey(), e.getValue().asDouble());
                    });
                    SparkTables.input(run, r.path("input"));
                    run.table("rows_sample", sample);
                }
            }
        } catch (RuntimeException e) {
            System.err.println("Yardstick: the eval was not logged: " + e.getMessage());
        }
    }
}
