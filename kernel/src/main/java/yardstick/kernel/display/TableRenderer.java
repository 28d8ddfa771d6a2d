package yardstick.kernel.display;

import tech.tablesaw.api.Table;
import yardstick.kernel.widget.Html;

/** Tablesaw tables as an HTML table (first rows only for big tables) with a text fallback. */
final class TableRenderer implements Renderer {
    static final int MAX_ROWS = 50;

    @Override
    public boolean supports(Object value) {
        return value instanceof Table;
    }

    @Override
    public MimeBundle render(Object value) {
        Table t = (Table) value;
        return new MimeBundle().put("text/html", html(t)).put("text/plain", t.print(MAX_ROWS));
    }

    static String html(Table t) {
        StringBuilder sb = new StringBuilder("<table class=\"dataframe\">\n<thead><tr>");
        for (String name : t.columnNames()) sb.append("<th>").append(Html.escape(name)).append("</th>");
        sb.append("</tr></thead>\n<tbody>\n");
        int rows = Math.min(t.rowCount(), MAX_ROWS);
        for (int r = 0; r < rows; r++) {
            sb.append("<tr>");
            for (int c = 0; c < t.columnCount(); c++) {
                sb.append("<td>").append(Html.escape(t.column(c).getString(r))).append("</td>");
            }
            sb.append("</tr>\n");
        }
        sb.append("</tbody></table>\n");
        if (t.rowCount() > rows) sb.append("<p>").append(rows).append(" of ").append(t.rowCount()).append(" rows</p>\n");
        return sb.toString();
    }
}
