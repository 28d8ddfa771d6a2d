package yardstick.spark.driver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import yardstick.magics.llm.Template;
import static org.apache.spark.sql.functions.*;

/**
 * {@code %%prompt --engine spark}: reads the input, spreads its rows over the cluster's task slots, prompts each
 * partition on an executor ({@link PromptPartitions}) and writes the output; then totals it for the run.
 */
final class PromptJob {
    /** The batch's result columns, as the in-kernel path names and types them. */
    private static final String[] NAMES = {"output", "latency_ms", "prompt_tokens", "completion_tokens", "cost", "cached", "error"};
    private static final DataType[] TYPES = {DataTypes.StringType, DataTypes.DoubleType, DataTypes.IntegerType,
            DataTypes.IntegerType, DataTypes.DoubleType, DataTypes.BooleanType, DataTypes.StringType};

    private final Cluster cluster;
    private final SparkSession spark;
    private final Path home;

    PromptJob(Cluster cluster, Path home) {
        this.cluster = cluster;
        this.spark = cluster.spark;
        this.home = home;
    }

    ObjectNode run(JsonNode q) throws Exception {
        long t0 = System.nanoTime();
        String input = q.path("input").asText();
        String format = Data.format(cluster, input, text(q, "format"));
        Dataset<Row> rows = Data.read(cluster, input, format);
        Data.Source source = Data.source(cluster, rows, input, format);

        Template template = Template.of(q.path("template").asText());
        Map<String, String> variables = new LinkedHashMap<>();
        q.path("variables").properties().forEach(e -> variables.put(e.getKey(), e.getValue().asText()));
        List<String> names = Arrays.asList(rows.columns());
        template.requireAll(n -> names.contains(n) || variables.containsKey(n), "the data has no column and the notebook no variable");
        List<String> used = template.placeholders().stream().filter(names::contains).toList();
        int[] index = used.stream().mapToInt(names::indexOf).toArray();

        // The same total concurrency as in the kernel, shared by the task slots that run at once.
        int slots = cluster.parallelism();
        int total = q.path("concurrency").asInt(8);
        int perTask = Math.max(1, (total + slots - 1) / slots);
        int partitions = q.path("partitions").asInt(slots * 2);

        ModelSpec model = ModelSpec.of(q, perTask, home.resolve("cache").resolve("llm").toString());
        PromptPartitions.Spec spec = new PromptPartitions.Spec(model, template.text(), variables, used, index);

        StructType schema = rows.schema();
        List<String> taken = new ArrayList<>(names);
        String[] outNames = new String[NAMES.length];
        for (int i = 0; i < NAMES.length; i++) {
            outNames[i] = unique(taken, NAMES[i]);
            taken.add(outNames[i]);
            schema = schema.add(outNames[i], TYPES[i], true);
        }
        Dataset<Row> out = rows.repartition(partitions).mapPartitions(new PromptPartitions(spec), Encoders.row(schema));
        String output = q.path("output").asText();
        String outFormat = Data.format(cluster, output, text(q, "outputFormat"));
        Data.write(out, output, outFormat, input, format);

        Dataset<Row> written = Data.readBack(spark, output, outFormat);
        String err = outNames[6], lat = outNames[1];
        Row s = written.agg(count(lit(1)), sum(when(col(err).notEqual(""), 1).otherwise(0)),
                sum(when(col(outNames[5]), 1).otherwise(0)), sum(col(outNames[2])), sum(col(outNames[3])),
                sum(when(col(err).equalTo("").and(col(outNames[2]).isNull().or(col(outNames[3]).isNull())), 1).otherwise(0)),
                sum(when(col(outNames[4]).isNaN(), 0.0).otherwise(col(outNames[4]))),
                avg(when(col(err).equalTo(""), col(lat))),
                percentile_approx(when(col(err).equalTo(""), col(lat)), lit(0.95), lit(10000))).first();
        ObjectNode r = Results.of(source, output, outFormat);
        r.put("rows", s.getLong(0)).put("failed", num(s, 1)).put("cached", num(s, 2)).put("prompt_tokens", num(s, 3))
                .put("completion_tokens", num(s, 4)).put("uncounted", num(s, 5))
                .put("cost", s.isNullAt(6) ? 0 : s.getDouble(6)).put("latency_ms_mean", s.isNullAt(7) ? 0 : s.getDouble(7))
                .put("latency_ms_p95", s.isNullAt(8) ? 0 : s.getDouble(8))
                .put("partitions", partitions).put("concurrency_per_task", perTask)
                .put("wall_ms", (System.nanoTime() - t0) / 1e6);
        Results.sample(r, written, q.path("sample").asInt(20));
        return r;
    }

    private static long num(Row r, int i) {
        return r.isNullAt(i) ? 0 : ((Number) r.get(i)).longValue();
    }

    private static String text(JsonNode q, String field) {
        return q.hasNonNull(field) ? q.get(field).asText() : null;
    }

    /** As the in-kernel batch does: a result column whose name the input already has gets a suffix. */
    static String unique(List<String> taken, String name) {
        String n = name;
        for (int i = 2; taken.contains(n); i++) n = name + "_" + i;
        return n;
    }
}
