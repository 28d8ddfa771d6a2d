package yardstick.magics.rag;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import yardstick.kernel.magic.Args;
import yardstick.kernel.magic.Magic;
import yardstick.kernel.magic.MagicCall;
import yardstick.kernel.magic.MagicException;
import yardstick.magics.engine.Engines;
import yardstick.magics.rag.embed.Embedders;
import yardstick.magics.rag.eval.Evaluation;
import yardstick.magics.rag.index.IndexOptions;
import yardstick.magics.rag.search.Mode;

/** {@code %rag index|search|eval}: a text front for {@link Rag} and {@link RagIndex}. */
public final class RagMagic implements Magic {
    private static final Args.Spec INDEX = Args.Spec.of(
            Set.of("--chunk", "--overlap", "--text-column", "--id-column", "--embedder", "--engine"), Set.of());
    private static final Args.Spec SEARCH = Args.Spec.of(Set.of("-k", "--mode"), Set.of());
    private static final Args.Spec EVAL = Args.Spec.of(Set.of("--qrels", "--queries", "-k"), Set.of());

    @Override
    public String name() {
        return "rag";
    }

    @Override
    public String usage() {
        return "%rag index NAME PATH_OR_GLOB... [--chunk 200] [--overlap 32] [--text-column text] [--id-column ID]"
                + " [--engine spark [--format F] [--partitions N]]"
                + " | %rag search NAME \"query\" [-k 10] [--mode hybrid|bm25|vector]"
                + " | %rag eval NAME --qrels FILE --queries FILE [-k 10]";
    }

    @Override
    public String help() {
        return "Quick retrieval indices on Lucene. 'index' builds or updates an index from files, folders and globs "
                + "(.txt .md .html .pdf, source code, JSONL/CSV rows): only changed files are re-embedded, removed "
                + "files leave the index. 'search' shows the top chunks by BM25, vector (all-MiniLM-L6-v2) or hybrid "
                + "(reciprocal rank fusion). 'index --engine spark' embeds and writes shards on the %spark cluster, "
                + "also from a Parquet, Delta, CSV or JSONL path or a Spark table of rows. 'eval' reports nDCG@10, "
                + "MRR@10 and recall@k of the three modes. NAME "
                + "is stored under ~/.yardstick/indices, or give a path. From Java: Rag.open(\"NAME\").search(...).";
    }

    @Override
    public Object run(MagicCall call) throws Exception {
        if (call.isCell()) throw new MagicException("%rag is a line magic; %%ask asks questions of an index");
        List<String> words = call.words();
        if (words.isEmpty()) throw new MagicException("missing subcommand: index, search or eval");
        String sub = words.get(0);
        List<String> rest = words.subList(1, words.size());
        try {
            return switch (sub) {
                case "index" -> {
                    String engine = Engines.named(call);
                    yield Engines.elsewhere(engine) ? Engines.run(engine, "rag index", call)
                            : index(call, Args.parse(rest, INDEX));
                }
                case "search" -> search(call, Args.parse(rest, SEARCH));
                case "eval" -> eval(call, Args.parse(rest, EVAL));
                default -> throw new MagicException("unknown subcommand '" + sub + "': use index, search or eval");
            };
        } catch (RagException e) {
            throw new MagicException(e.getMessage(), e);
        }
    }

    private Object index(MagicCall call, Args a) throws Exception {
        List<String> p = a.positionals();
        IndexOptions options = indexOptions(a);
        Path base = call.context().workingDirectory();
        RagIndex index = Rag.open(p.get(0), base);
        String embedder = a.option("--embedder", Embedders.MINILM);
        List<String> inputs = p.subList(1, p.size());
        var report = index.build(base, inputs, options, embedder, NotebookProgress.forCell("indexing " + p.get(0)));
        RagRuns.build(p.get(0), inputs, options, embedder, report, call.context().cellSource());
        return report;
    }

    /** {@code %rag index NAME INPUT... [options]}: the name and inputs checked, the options as an index takes them. */
    public static IndexOptions indexOptions(Args a) throws MagicException {
        List<String> p = a.positionals();
        if (p.isEmpty()) throw new MagicException("missing index NAME");
        if (p.size() < 2) throw new MagicException("nothing to index: give files, folders or globs after " + p.get(0));
        int chunk = positive(a, "--chunk", IndexOptions.DEFAULTS.chunkTokens());
        int overlap = a.intOption("--overlap", Math.min(IndexOptions.DEFAULTS.overlapTokens(), chunk / 2));
        if (overlap < 0 || overlap > chunk / 2) {
            throw new MagicException("--overlap must be from 0 to half of --chunk (" + chunk / 2 + "), got " + overlap);
        }
        if (chunk < 8) throw new MagicException("--chunk must be at least 8 tokens, got " + chunk);
        List<String> textColumns = Arrays.stream(a.option("--text-column", "text").split(","))
                .map(String::strip).filter(s -> !s.isEmpty()).toList();
        if (textColumns.isEmpty()) throw new MagicException("--text-column needs a column name");
        return new IndexOptions(chunk, overlap, textColumns, a.option("--id-column", null));
    }

    private Object search(MagicCall call, Args a) throws MagicException {
        List<String> p = a.positionals();
        if (p.isEmpty()) throw new MagicException("missing index NAME");
        if (p.size() < 2) throw new MagicException("missing the query: %rag search " + p.get(0) + " \"your question\"");
        if (p.size() > 2) throw new MagicException("put the query in quotes: it was split into " + (p.size() - 1) + " words");
        int k = positive(a, "-k", 10);
        Mode mode = Mode.parse(a.option("--mode", "hybrid"));
        return Rag.open(p.get(0), call.context().workingDirectory()).search(p.get(1), k, mode);
    }

    private Object eval(MagicCall call, Args a) throws MagicException {
        List<String> p = a.positionals();
        if (p.isEmpty()) throw new MagicException("missing index NAME");
        if (p.size() > 1) throw new MagicException("unexpected argument '" + p.get(1) + "'");
        String qrels = a.option("--qrels", null), queries = a.option("--queries", null);
        if (qrels == null || queries == null) throw new MagicException("eval needs --qrels FILE and --queries FILE");
        int k = positive(a, "-k", 10);
        Path base = call.context().workingDirectory();
        Evaluation ev = Rag.open(p.get(0), base).evaluate(base.resolve(qrels), base.resolve(queries), k);
        RagRuns.eval(p.get(0), qrels, queries, ev, call.context().cellSource());
        call.context().display(ev.table());
        return ev.chart();
    }

    private static int positive(Args a, String option, int fallback) throws MagicException {
        int v = a.intOption(option, fallback);
        if (v < 1) throw new MagicException(option + " must be at least 1, got " + v);
        return v;
    }
}
