package yardstick.spark.driver;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import yardstick.magics.llm.Batch;
import yardstick.magics.llm.BatchProgress;
import yardstick.magics.llm.Model;
import yardstick.magics.llm.Template;

/**
 * Prompting on an executor: a partition's rows become a Tablesaw table and go through the kernel's own batch code
 * ({@link Model#batch}: the same rendering, retries, response cache key and result columns), at {@code concurrency}
 * calls in flight per task. Each input row comes out once, with the batch's seven columns after its own.
 */
final class PromptPartitions implements MapPartitionsFunction<Row, Row>, Serializable {
    private static final long serialVersionUID = 1L;

    /** The model, the template and the notebook's variables, and which input columns the template reads. */
    record Spec(ModelSpec model, String template, Map<String, String> variables, List<String> columns, int[] columnIndex)
            implements Serializable {}

    private final Spec spec;

    PromptPartitions(Spec spec) {
        this.spec = spec;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        List<Row> in = new ArrayList<>();
        rows.forEachRemaining(in::add);
        if (in.isEmpty()) return in.iterator();
        Table table = Table.create("partition");
        for (int c = 0; c < spec.columns().size(); c++) {
            StringColumn col = StringColumn.create(spec.columns().get(c));
            int idx = spec.columnIndex()[c];
            for (Row r : in) col.append(r.isNullAt(idx) ? "" : String.valueOf(r.get(idx)));
            table.addColumns(col);
        }
        Batch.Result result = spec.model().build().batch(table, Template.of(spec.template()), spec.variables()::get, BatchProgress.NONE);
        Table t = result.table();
        int first = t.columnCount() - 7;
        List<Row> out = new ArrayList<>(in.size());
        for (int i = 0; i < in.size(); i++) {
            Row r = in.get(i);
            Object[] v = new Object[r.length() + 7];
            for (int c = 0; c < r.length(); c++) v[c] = r.get(c);
            for (int c = 0; c < 7; c++) {
                // Tablesaw reads an empty string as missing; only a count the server did not report is a null.
                var col = t.column(first + c);
                v[r.length() + c] = col instanceof StringColumn s ? s.getString(i) : col.isMissing(i) ? null : col.get(i);
            }
            out.add(RowFactory.create(v));
        }
        return out.iterator();
    }
}
