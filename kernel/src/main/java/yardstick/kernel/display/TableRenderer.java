package yardstick.kernel.display;

import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.FloatColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;
import yardstick.kernel.widget.Html;

/**
 * Tablesaw tables as an HTML table with a text fallback, first rows only for big tables. Doubles and floats show as
 * every value shows them ({@link TextRenderer#text}), not in Tablesaw's own number format ({@code 3.0E-4}, not
 * {@code 0.0003}; {@code 2.0}, not {@code 2}).
 */
final class TableRenderer implements Renderer {
    static final int MAX_ROWS = 50;

    @Override
    public boolean supports(Object value) {
        return value instanceof Table;
    }

    @Override
    public MimeBundle render(Object value) {
        Table t = (Table) value;
        Table shown = shown(t);
        String more = more(t);
        return new MimeBundle().put("text/html", html(shown) + (more.isEmpty() ? "" : "<p>" + more + "</p>\n"))
                .put("text/plain", shown.print(MAX_ROWS) + (more.isEmpty() ? "" : "\n" + more));
    }

    private static String more(Table t) {
        return t.rowCount() > MAX_ROWS ? MAX_ROWS + " of " + t.rowCount() + " rows" : "";
    }

    /** The rows shown, with the floating-point columns as text. */
    static Table shown(Table t) {
        Table head = t.first(MAX_ROWS);
        for (int c = 0; c < head.columnCount(); c++) {
            Column<?> col = head.column(c);
            if (!(col instanceof DoubleColumn || col instanceof FloatColumn)) continue;
            StringColumn text = StringColumn.create(col.name());
            for (int r = 0; r < col.size(); r++) {
                if (col.isMissing(r)) text.appendMissing();
                else text.append(TextRenderer.text(col.get(r)));
            }
            head.replaceColumn(c, text);
        }
        return head;
    }

    private static String html(Table t) {
        StringBuilder sb = new StringBuilder("<table class=\"dataframe\">\n<thead><tr>");
        for (String name : t.columnNames()) sb.append("<th>").append(Html.escape(name)).append("</th>");
        sb.append("</tr></thead>\n<tbody>\n");
        for (int r = 0; r < t.rowCount(); r++) {
            sb.append("<tr>");
            for (int c = 0; c < t.columnCount(); c++) {
                sb.append("<td>").append(Html.escape(t.column(c).getString(r))).append("</td>");
            }
            sb.append("</tr>\n");
        }
        return sb.append("</tbody></table>\n").toString();
    }
}
