package yardstick.magics.rag;

import java.util.Set;
import yardstick.kernel.magic.Args;
import yardstick.kernel.magic.Magic;
import yardstick.kernel.magic.MagicCall;
import yardstick.kernel.magic.MagicException;
import yardstick.magics.llm.LlmException;
import yardstick.magics.track.TrackedRun;
import yardstick.magics.track.Tracking;

/** {@code %%ask NAME [--model M] [-k 5]} with the question as the cell body: a grounded answer with citations. */
public final class AskMagic implements Magic {
    private static final Args.Spec SPEC = Args.Spec.of(Set.of("--model", "-k"), Set.of());

    @Override
    public String name() {
        return "ask";
    }

    @Override
    public String usage() {
        return "%%ask NAME [--model M] [-k 5]  (the question in the cell below)";
    }

    @Override
    public String help() {
        return "Retrieves the k best chunks of index NAME (hybrid search), asks the model to answer from them only, "
                + "and shows the answer with its [n] citations linked to the sources. Logged as a child run "
                + "(question, retrieved chunk ids, answer). From Java: Rag.open(\"NAME\").ask(question, model, k).";
    }

    @Override
    public Object run(MagicCall call) throws Exception {
        if (!call.isCell()) throw new MagicException("%%ask is a cell magic: put the question on the lines below it");
        Args a = call.args(SPEC);
        if (a.positionals().isEmpty()) throw new MagicException("missing index NAME");
        if (a.positionals().size() > 1) throw new MagicException("unexpected argument '" + a.positionals().get(1) + "'");
        String question = call.body().strip();
        if (question.isEmpty()) throw new MagicException("the question is empty: write it below %%ask");
        int k = a.intOption("-k", 5);
        if (k < 1) throw new MagicException("-k must be at least 1, got " + k);
        Answer answer;
        try {
            answer = Rag.open(a.positionals().get(0), call.context().workingDirectory())
                    .ask(question, a.option("--model", null), k);
        } catch (RagException | LlmException e) {
            throw new MagicException(e.getMessage(), e);
        }
        log(a.positionals().get(0), answer, k, call.context().cellSource());
        return answer.bundle();
    }

    /** Tracker parameters hold at most a few thousand characters. */
    private static String cap(String s) {
        return s.length() > 5000 ? s.substring(0, 5000) : s;
    }

    private static void log(String index, Answer answer, int k, String cell) {
        try {
            Tracking t = Tracking.global();
            if (!t.enabled()) return;
            try (TrackedRun run = t.child("ask", "ask", cell)) {
                run.param("index", index);
                run.param("model", answer.model());
                run.param("k", k);
                run.param("question", cap(answer.question()));
                run.param("chunk_ids", String.join(" ", answer.sources().stream().map(h -> h.chunkId()).toList()));
                run.param("answer", cap(answer.text()));
                run.metric("sources", answer.sources().size());
                run.metric("cited_sources", answer.cited().size());
            }
        } catch (RuntimeException e) {
            System.err.println("Yardstick: the question was not logged: " + e.getMessage());
        }
    }
}
