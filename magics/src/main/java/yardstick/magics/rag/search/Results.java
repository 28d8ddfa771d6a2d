package yardstick.magics.rag.search;

import java.util.List;
import java.util.Set;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/** Hits as a table a person reads: rank, score, source (file, row, page) and a snippet with the query's words marked. */
public final class Results {
    public static final int SNIPPET_CHARS = 240;

    private Results() {}

    public static Table table(String title, List<Hit> hits, Set<String> queryTerms, Highlighter highlighter) {
        return Table.create(title,
                IntColumn.create("rank", hits.stream().mapToInt(Hit::rank).toArray()),
                DoubleColumn.create("score", hits.stream().mapToDouble(h -> Math.round(h.score() * 10000) / 10000.0)),
                StringColumn.create("source", hits.stream().map(Hit::citation).toList()),
                StringColumn.create("snippet", hits.stream().map(h -> highlighter.snippet(h.text(), queryTerms)).toList()));
    }
}
