package yardstick.spark.driver;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import yardstick.magics.eval.EvalSet;
import yardstick.magics.eval.EvalSystem;
import yardstick.magics.eval.Score;
import yardstick.magics.eval.Scorer;
import yardstick.magics.eval.Scorers;
import yardstick.magics.eval.judge.Judge;
import yardstick.magics.llm.Template;
import yardstick.magics.rag.embed.Embedder;
import yardstick.magics.rag.embed.OnnxEmbedder;

/**
 * Scoring on an executor: a partition's rows become eval rows (text fields, as an eval set holds them), each system
 * answers the rendered template and each scorer scores the answers, with the kernel's own classes ({@link EvalSystem},
 * {@link Scorers}, {@link Judge}). Scorers and systems from cells arrive serialized and are read with the task's class
 * loader, which fetches cell classes from the driver. Each input row comes out once per system, with its key, the
 * system, the output, the error, and a value and note per scorer.
 */
final class EvalPartitions implements MapPartitionsFunction<Row, Row>, Serializable {
    private static final long serialVersionUID = 1L;
    /** One MiniLM per executor JVM, loaded when an embedding scorer first needs it. */
    private static Embedder embedder;

    /** A system: a model, a cell's function (serialized), or a column of the input holding outputs already made. */
    record SystemSpec(String name, ModelSpec model, byte[] function, String column) implements Serializable {
        @SuppressWarnings("unchecked")
        EvalSystem build(ClassLoader loader) {
            if (model != null) return EvalSystem.of(name, model.build());
            if (column != null) return EvalSystem.of(name, (row, prompt) -> {
                String v = row.get(column);
                if (v == null) throw new IllegalArgumentException("no " + column);
                return v;
            });
            return EvalSystem.of(name, (BiFunction<Map<String, String>, String, String>) CellClasses.read(function, loader, "system '" + name + "'"));
        }
    }

    /**
     * The set's judge: its model, rubric, how many rated examples it shows, and what it draws them from (read by the
     * driver, which shares the kernel's home; executors may not).
     */
    record JudgeSpec(String set, String rubric, String modelName, int shots, ModelSpec model, Judge.Examples examples)
            implements Serializable {}

    /**
     * What every task needs: the input's columns, the template, the {@code --scorers} list with the cell scorers it
     * names (serialized), the folder schema files are relative to, the systems, and the judge (null: none).
     */
    record Spec(List<String> columns, String template, String scorerList, Map<String, byte[]> cellScorers, String directory,
            List<SystemSpec> systems, JudgeSpec judge) implements Serializable {
        List<Scorer> scorers(ClassLoader loader, Supplier<Embedder> embedder) {
            Map<String, Scorer> cells = new HashMap<>();
            cellScorers.forEach((n, b) -> cells.put(n, (Scorer) CellClasses.read(b, loader, "scorer '" + n + "'")));
            Function<String, Scorer> j = judge == null ? null
                    : arg -> new Judge(judge.set(), judge.rubric(), judge.model().build(), judge.modelName(), judge.shots())
                            .withExamples(judge.examples()).scorer();
            return Scorers.parse(scorerList, new Scorers.Context(Path.of(directory), columns, j, embedder, cells::get));
        }
    }

    private final Spec spec;

    EvalPartitions(Spec spec) {
        this.spec = spec;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> input) throws InterruptedException {
        List<Row> in = new ArrayList<>();
        input.forEachRemaining(in::add);
        if (in.isEmpty()) return in.iterator();
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        List<Scorer> scorers = spec.scorers(loader, EvalPartitions::embedder);
        Template template = Template.of(spec.template());
        List<Map<String, String>> rows = new ArrayList<>(in.size());
        List<String> prompts = new ArrayList<>(in.size());
        for (Row r : in) {
            // As an eval set holds a row: its fields as text, in the input's order; a null is a missing field.
            Map<String, String> m = new LinkedHashMap<>();
            for (int c = 0; c < spec.columns().size(); c++) if (!r.isNullAt(c)) m.put(spec.columns().get(c), String.valueOf(r.get(c)));
            rows.add(m);
            prompts.add(template.render(m::get));
        }
        List<Row> out = new ArrayList<>(in.size() * spec.systems().size());
        for (SystemSpec s : spec.systems()) {
            String[] outputs = new String[rows.size()], errors = new String[rows.size()];
            s.build(loader).answer(rows, prompts, outputs, errors);
            List<List<Score>> scores = new ArrayList<>();
            for (Scorer sc : scorers) scores.add(sc.scoreAll(rows, Arrays.asList(outputs)));
            for (int i = 0; i < in.size(); i++) {
                Row r = in.get(i);
                Object[] v = new Object[r.length() + 4 + 2 * scorers.size()];
                int k = 0;
                for (int c = 0; c < r.length(); c++) v[k++] = r.get(c);
                v[k++] = EvalSet.key(rows.get(i));
                v[k++] = s.name();
                v[k++] = outputs[i] == null ? "" : outputs[i];
                v[k++] = errors[i] == null ? "" : errors[i];
                for (List<Score> sc : scores) {
                    Score one = sc.get(i);
                    v[k++] = one.failed() ? null : one.value();
                    v[k++] = one.note();
                }
                out.add(RowFactory.create(v));
            }
        }
        return out.iterator();
    }

    private static synchronized Embedder embedder() {
        if (embedder == null) embedder = OnnxEmbedder.miniLm();
        return embedder;
    }
}
