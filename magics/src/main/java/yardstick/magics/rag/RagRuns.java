package yardstick.magics.rag;

import java.util.List;
import yardstick.magics.rag.eval.Evaluation;
import yardstick.magics.rag.index.BuildReport;
import yardstick.magics.rag.index.IndexOptions;
import yardstick.magics.track.TrackedRun;
import yardstick.magics.track.Tracking;

/** Records index builds and evaluations as child runs of the notebook's run. */
public final class RagRuns {
    private RagRuns() {}

    static void build(String index, List<String> inputs, IndexOptions options, String embedderSpec, BuildReport r,
                      String cell) {
        build(index, inputs, options, embedderSpec, r, cell, run -> {});
    }

    /** As the kernel's builds are logged, with {@code more} for what another engine adds (its lineage, its timings). */
    public static void build(String index, List<String> inputs, IndexOptions options, String embedderSpec,
                             BuildReport r, String cell, java.util.function.Consumer<TrackedRun> more) {
        log("index build", cell, run -> {
            run.param("index", index);
            run.param("inputs", String.join(" ", inputs));
            run.param("chunk_tokens", options.chunkTokens());
            run.param("overlap_tokens", options.overlapTokens());
            run.param("text_columns", String.join(",", options.textColumns()));
            run.param("embedder", r.embedder());
            run.param("embedder_spec", embedderSpec);
            run.metric("files", r.files());
            run.metric("embedded_files", r.embeddedFiles());
            run.metric("unchanged_files", r.unchangedFiles());
            run.metric("removed_files", r.removedFiles());
            run.metric("skipped_files", r.skipped().size());
            run.metric("embedded_chunks", r.embeddedChunks());
            run.metric("chunks", r.totalChunks());
            run.metric("seconds", r.time().toMillis() / 1000.0);
            more.accept(run);
        });
    }

    static void eval(String index, String qrels, String queries, Evaluation ev, String cell) {
        log("retrieval eval", cell, run -> {
            run.param("index", index);
            run.param("qrels", qrels);
            run.param("queries", queries);
            run.param("recall_k", ev.recallK());
            ev.metrics().forEach(run::metric);
            run.table("retrieval", ev.table());
        });
    }

    private static void log(String name, String cell, java.util.function.Consumer<TrackedRun> body) {
        try {
            Tracking t = Tracking.global();
            if (!t.enabled()) return;
            try (TrackedRun run = t.child(name, "rag", cell)) {
                body.accept(run);
            }
        } catch (RuntimeException e) {
            // Tracking must never cost the person their index or their numbers.
            System.err.println("Yardstick: the " + name + " was not logged: " + e.getMessage());
        }
    }
}
