package yardstick.spark.driver;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;

/** A job's answer to the kernel: its numbers, its input's lineage, and a sample of its output rows. */
final class Results {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Results() {}

    static ObjectNode of(Data.Source in, String output, String outputFormat) {
        ObjectNode r = JSON.createObjectNode();
        ObjectNode i = r.putObject("input").put("location", in.location()).put("format", in.format()).put("digest", in.digest());
        if (in.version() != null) i.put("version", in.version());
        r.putObject("output").put("location", output).put("format", outputFormat);
        return r;
    }

    /** The first {@code n} rows with their column names and Spark types (the kernel makes a Tablesaw table of them). */
    static void sample(ObjectNode result, Dataset<Row> rows, int n) {
        ArrayNode cols = result.putArray("columns");
        StructField[] fields = rows.schema().fields();
        for (StructField f : fields) cols.addObject().put("name", f.name()).put("type", f.dataType().typeName());
        ArrayNode data = result.putArray("sample");
        List<Row> first = rows.limit(n).collectAsList();
        for (Row r : first) {
            ArrayNode a = data.addArray();
            for (int c = 0; c < fields.length; c++) a.add(JSON.valueToTree(r.isNullAt(c) ? null : plain(r.get(c))));
        }
    }

    private static Object plain(Object v) {
        return v instanceof Number || v instanceof Boolean || v instanceof String ? v : String.valueOf(v);
    }
}
