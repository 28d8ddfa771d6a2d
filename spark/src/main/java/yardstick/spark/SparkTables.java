package yardstick.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.function.Function;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;
import yardstick.kernel.Notebook;
import yardstick.kernel.display.ProgressDisplay;
import yardstick.kernel.magic.MagicException;
import yardstick.magics.track.TrackedRun;

/** A driver's answer as the notebook sees it: the output sample as a Tablesaw table, the input as a run input. */
final class SparkTables {
    private SparkTables() {}

    /** Sends a request with a progress bar of the tasks done ({@code label} names the work); a failure is one line. */
    static JsonNode request(SparkDriver driver, ObjectNode q, String label) throws MagicException {
        return request(driver, q, label, r -> r.path("rows").asLong() + " rows");
    }

    /** As {@link #request(SparkDriver, ObjectNode, String)}, the bar ending with what {@code done} says of the result. */
    static JsonNode request(SparkDriver driver, ObjectNode q, String label, Function<JsonNode, String> done) throws MagicException {
        ProgressDisplay bar = Notebook.progress(label);
        JsonNode r;
        try {
            r = driver.request(q, p -> bar.update(p.path("done").asLong(), p.path("total").asLong(), "tasks"));
        } catch (SparkException ex) {
            bar.finish("failed");
            throw new MagicException(ex.getMessage(), ex);
        }
        bar.finish(done.apply(r));
        return r;
    }

    /** What the job read, for the cell's last line: {@code Read LOCATION (FORMAT[ version N])}. */
    static String read(JsonNode result) {
        JsonNode in = result.path("input");
        return "Read " + in.path("location").asText() + " (" + in.path("format").asText()
                + (in.has("version") ? " version " + in.path("version").asLong() : "") + ")";
    }

    static Table sample(JsonNode result, String name) {
        Table t = Table.create(name);
        JsonNode cols = result.path("columns"), rows = result.path("sample");
        for (int c = 0; c < cols.size(); c++) {
            String n = cols.get(c).path("name").asText();
            Column<?> col = switch (cols.get(c).path("type").asText()) {
                case "integer", "short", "byte" -> IntColumn.create(n);
                case "long" -> LongColumn.create(n);
                case "double", "float" -> DoubleColumn.create(n);
                case "boolean" -> BooleanColumn.create(n);
                default -> StringColumn.create(n);
            };
            for (JsonNode row : rows) {
                JsonNode v = row.get(c);
                if (v == null || v.isNull()) col.appendMissing();
                else if (col instanceof IntColumn i) i.append(v.asInt());
                else if (col instanceof LongColumn l) l.append(v.asLong());
                else if (col instanceof DoubleColumn d) d.append(v.asDouble());
                else if (col instanceof BooleanColumn b) b.append(v.asBoolean());
                else ((StringColumn) col).append(v.isTextual() ? v.asText() : v.toString());
            }
            t.addColumns(col);
        }
        return t;
    }

    /** The run's input: the digest the driver computed over the files read, and a Delta table's version. */
    static void input(TrackedRun run, JsonNode in) {
        String format = in.path("format").asText();
        String profile = in.has("version") ? "{\"delta_version\":" + in.path("version").asLong() + "}" : null;
        run.input(in.path("location").asText(), in.path("digest").asText(), format.equals("delta") ? "delta" : "spark",
                in.path("location").asText(), profile);
    }
}
