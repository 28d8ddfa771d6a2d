package yardstick.spark.driver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import yardstick.magics.eval.EvalSet;
import yardstick.magics.eval.Scorer;
import yardstick.magics.eval.judge.Judge;
import yardstick.magics.llm.Template;
import static org.apache.spark.sql.functions.*;

/**
 * {@code %%eval --engine spark}: reads the eval set (or any input), checks that every row has what the template and
 * the scorers need before any model is called, answers and scores on executors ({@link EvalPartitions}), writes each
 * row's output and scores, and aggregates them per system as the kernel's eval does: rows, failed calls, and per
 * scorer the mean over scored rows and the scoring failures.
 */
final class EvalJob {
    private final Cluster cluster;
    private final SparkSession spark;
    private final Path home;

    EvalJob(Cluster cluster, Path home) {
        this.cluster = cluster;
        this.spark = cluster.spark;
        this.home = home;
    }

    ObjectNode run(JsonNode q) throws Exception {
        long t0 = System.nanoTime();
        String input = q.path("input").asText(), where = q.path("inputName").asText(input);
        String format;
        Dataset<Row> rows;
        if (q.has("fields")) {
            // An eval set's own file: every field is text, in the set's order (schema inference would sort them).
            StructType schema = new StructType();
            for (JsonNode f : q.get("fields")) schema = schema.add(f.asText(), DataTypes.StringType, true);
            format = "jsonl";
            rows = spark.read().schema(schema).option("mode", "FAILFAST").json(input);
        } else {
            format = Data.format(cluster, input, text(q, "format"));
            rows = Data.read(cluster, input, format);
        }
        Data.Source source = Data.source(cluster, rows, input, format);
        List<String> names = Arrays.asList(rows.columns());

        CellClasses cells = cluster.cells();
        cells.write(q.path("classes"));
        int slots = cluster.parallelism();
        String cache = home.resolve("cache").resolve("llm").toString();
        List<EvalPartitions.SystemSpec> systems = new ArrayList<>();
        for (JsonNode s : q.path("systems")) {
            String name = s.path("name").asText();
            if (s.has("column") && !names.contains(s.get("column").asText())) {
                throw new IllegalArgumentException(where + " has no column '" + s.get("column").asText() + "' of outputs to score");
            }
            systems.add(s.has("function") ? new EvalPartitions.SystemSpec(name, null, Base64.getDecoder().decode(s.get("function").asText()), null)
                    : s.has("column") ? new EvalPartitions.SystemSpec(name, null, null, s.get("column").asText())
                    : new EvalPartitions.SystemSpec(name, ModelSpec.of(s, perTask(s, slots), cache), null, null));
        }
        JsonNode j = q.path("judge");
        // A judge's rated examples are read here, where the kernel's home is, and travel with it.
        EvalPartitions.JudgeSpec judge = j.isObject() ? new EvalPartitions.JudgeSpec(j.path("set").asText(), j.path("rubric").asText(),
                j.path("modelName").asText(), j.path("shots").asInt(), ModelSpec.of(j, perTask(j, slots), cache),
                j.path("shots").asInt() == 0 ? null : Judge.Examples.of(j.path("set").asText())) : null;
        Map<String, byte[]> cellScorers = new LinkedHashMap<>();
        q.path("cellScorers").properties().forEach(e -> cellScorers.put(e.getKey(), Base64.getDecoder().decode(e.getValue().asText())));
        EvalPartitions.Spec spec = new EvalPartitions.Spec(names, q.path("template").asText(), q.path("scorers").asText(),
                cellScorers, q.path("directory").asText(), systems, judge);

        // Here, before any task: the cell objects load with the classes sent, and every row has every field needed.
        List<Scorer> scorers = spec.scorers(cells.loader(), () -> null);
        for (EvalPartitions.SystemSpec s : systems) s.build(cells.loader());
        requireFields(rows, names, Template.of(spec.template()), scorers, where);

        StructType schema = rows.schema();
        List<String> taken = new ArrayList<>(names);
        String keyCol = unique(taken, "key"), modelCol = unique(taken, "model"), outCol = unique(taken, "output"), errCol = unique(taken, "error");
        schema = schema.add(keyCol, DataTypes.StringType, false).add(modelCol, DataTypes.StringType, false)
                .add(outCol, DataTypes.StringType, false).add(errCol, DataTypes.StringType, false);
        List<String[]> scoreCols = new ArrayList<>();
        for (Scorer s : scorers) {
            String v = unique(taken, s.name()), n = unique(taken, s.name() + "_note");
            scoreCols.add(new String[] {s.name(), v, n});
            schema = schema.add(v, DataTypes.DoubleType, true).add(n, DataTypes.StringType, false);
        }
        int partitions = q.path("partitions").asInt(slots * 2);
        Dataset<Row> out = rows.repartition(partitions).mapPartitions(new EvalPartitions(spec), Encoders.row(schema));
        String output = q.path("output").asText();
        String outFormat = Data.format(cluster, output, text(q, "outputFormat"));
        Data.write(out, output, outFormat, input, format);

        // Per system, as the kernel's summary: a failed score is left out of the mean, and counts as a scoring failure
        // unless the call itself failed (no output to score).
        Dataset<Row> written = Data.readBack(spark, output, outFormat);
        List<Column> aggs = new ArrayList<>(List.of(sum(when(col(errCol).notEqual(""), 1).otherwise(0))));
        for (String[] c : scoreCols) {
            aggs.add(avg(col(c[1])));
            aggs.add(sum(when(col(c[1]).isNull().and(col(c[2]).notEqual("no output")), 1).otherwise(0)));
        }
        Map<String, Row> bySystem = new LinkedHashMap<>();
        for (Row r : written.groupBy(col(modelCol)).agg(count(lit(1)), aggs.toArray(Column[]::new)).collectAsList()) {
            bySystem.put(r.getString(0), r);
        }
        ObjectNode result = Results.of(source, output, outFormat);
        ArrayNode scorerNames = result.putArray("scorers");
        for (String[] c : scoreCols) scorerNames.add(c[0]);
        ArrayNode summary = result.putArray("systems");
        long total = 0;
        for (EvalPartitions.SystemSpec s : systems) {
            Row r = bySystem.get(s.name());
            long n = r == null ? 0 : r.getLong(1);
            total += n;
            ObjectNode m = summary.addObject().put("name", s.name()).put("rows", n).put("failed_calls", r == null ? 0 : r.getLong(2));
            for (int i = 0; i < scoreCols.size(); i++) {
                String name = scoreCols.get(i)[0];
                if (r != null && !r.isNullAt(3 + 2 * i)) m.put(name + "_mean", r.getDouble(3 + 2 * i));
                m.put(name + "_failures", r == null ? 0 : r.getLong(4 + 2 * i));
            }
        }
        result.put("rows", total).put("partitions", partitions).put("wall_ms", (System.nanoTime() - t0) / 1e6);
        Results.sample(result, written, q.path("sample").asInt(20));
        return result;
    }

    /** As the kernel's eval: a field the template or a scorer needs, missing from the input or from one row, is named. */
    private static void requireFields(Dataset<Row> rows, List<String> names, Template template, List<Scorer> scorers, String where) {
        Map<String, String> needs = new LinkedHashMap<>();
        for (String f : template.placeholders()) needs.putIfAbsent(f, "which the template needs as {{" + f + "}}");
        for (Scorer s : scorers) for (String f : s.fields()) needs.putIfAbsent(f, "which scorer " + s.name() + " compares with");
        for (var e : needs.entrySet()) {
            if (!names.contains(e.getKey())) {
                throw new IllegalArgumentException(where + " has no field '" + e.getKey() + "', " + e.getValue() + "; nothing was sent");
            }
        }
        if (needs.isEmpty()) return;
        Column missing = null;
        for (String f : needs.keySet()) missing = missing == null ? col(quote(f)).isNull() : missing.or(col(quote(f)).isNull());
        List<Row> bad = rows.filter(missing).limit(1).collectAsList();
        if (bad.isEmpty()) return;
        Row r = bad.get(0);
        Map<String, String> row = new LinkedHashMap<>();
        for (int c = 0; c < names.size(); c++) if (!r.isNullAt(c)) row.put(names.get(c), String.valueOf(r.get(c)));
        for (var e : needs.entrySet()) {
            if (!row.containsKey(e.getKey())) {
                throw new IllegalArgumentException("the row with key " + EvalSet.key(row) + " of " + where + " has no field '"
                        + e.getKey() + "', " + e.getValue() + "; nothing was sent");
            }
        }
    }

    private static int perTask(JsonNode model, int slots) {
        return Math.max(1, (model.path("concurrency").asInt(8) + slots - 1) / slots);
    }

    private static String quote(String column) {
        return "`" + column.replace("`", "``") + "`";
    }

    private static String text(JsonNode q, String field) {
        return q.hasNonNull(field) ? q.get(field).asText() : null;
    }

    /** A result column's name, suffixed as the prompt's are when the input has it already, and taken. */
    private static String unique(List<String> taken, String name) {
        String n = PromptJob.unique(taken, name);
        taken.add(n);
        return n;
    }
}
