package yardstick.magics.eval.arena;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import yardstick.kernel.comm.CommManager;
import yardstick.kernel.widget.Box;
import yardstick.kernel.widget.Button;
import yardstick.kernel.widget.Html;
import yardstick.kernel.widget.Widget;
import yardstick.magics.eval.EvalException;

/**
 * The %arena widget (Jupyter widgets): a row's input and two outputs side by side as A and B, no model names; buttons
 * A, B, Tie, Both bad and Stop. After a vote the models are revealed and the next battle shown; after the last, the
 * Bradley–Terry leaderboard.
 */
public final class ArenaWidget {
    private final Arena arena;
    private final int rounds;
    private final long seed;
    private final Html header, input, outputA, outputB, status, board;
    private final List<Button> votes;
    private final Button stop;
    private final Box root;
    private boolean finished;

    public ArenaWidget(CommManager comms, Arena arena, int rounds, long seed) {
        this.arena = arena;
        this.rounds = rounds;
        this.seed = seed;
        header = new Html(comms, "");
        input = new Html(comms, "");
        outputA = new Html(comms, "");
        outputB = new Html(comms, "");
        votes = List.of(vote(comms, "A is better", Vote.Choice.A), vote(comms, "B is better", Vote.Choice.B),
                vote(comms, "Tie", Vote.Choice.TIE), vote(comms, "Both bad", Vote.Choice.BOTH_BAD));
        stop = new Button(comms, "Stop").onClick(b -> stop());
        status = new Html(comms, "");
        board = new Html(comms, "");
        root = Box.vbox(comms, header, input, Box.hbox(comms, outputA, outputB),
                Box.hbox(comms, votes.get(0), votes.get(1), votes.get(2), votes.get(3), stop), status, board);
        if (arena.next() == null) finish("Every battle of " + Html.escape(arena.set()) + " already has a vote from " + Html.escape(arena.rater()) + ".");
        else show();
    }

    private Button vote(CommManager comms, String label, Vote.Choice choice) {
        return new Button(comms, label).onClick(b -> vote(choice));
    }

    public Box view() {
        return root;
    }

    /** The vote buttons: A, B, Tie, Both bad. */
    public List<Button> voteButtons() {
        return votes;
    }

    public Button stopButton() {
        return stop;
    }

    /** Both outputs as shown, A then B. */
    public List<Html> outputs() {
        return List.of(outputA, outputB);
    }

    public Html status() {
        return status;
    }

    public Html board() {
        return board;
    }

    private synchronized void vote(Vote.Choice choice) {
        if (finished || arena.next() == null) return;
        try {
            Vote v = arena.vote(choice);
            String revealed = "A was <b>" + Html.escape(v.modelA()) + "</b>, B was <b>" + Html.escape(v.modelB()) + "</b>.";
            if (arena.next() == null) {
                Leaderboard lb = arena.leaderboard(rounds, seed);
                ArenaMagic.log(arena, lb, null);
                finish(revealed + " That was the last battle.");
                board.value(table(lb));
            } else {
                show();
                status.value(revealed);
            }
        } catch (EvalException e) {
            status.value("<span style='color:#b00'>" + Html.escape(e.getMessage()) + "</span>");
        }
    }

    private synchronized void stop() {
        finish("Stopped with " + arena.voted() + " votes and " + arena.remaining() + " battles left: run %arena "
                + Html.escape(arena.set()) + " again to resume.");
    }

    private void show() {
        Arena.Battle b = arena.next();
        header.value("<b>Blind battle</b> on " + Html.escape(arena.set()) + ": " + arena.remaining() + " left");
        StringBuilder sb = new StringBuilder("<table>");
        for (Map.Entry<String, String> e : b.row().entrySet()) {
            sb.append("<tr><th style='text-align:left;padding-right:1em'>").append(Html.escape(e.getKey())).append("</th><td>")
                    .append(Html.escape(e.getValue())).append("</td></tr>");
        }
        input.value(sb.append("</table>").toString());
        outputA.value(side("A", b.outputA()));
        outputB.value(side("B", b.outputB()));
    }

    private static String side(String label, String output) {
        return "<div style='min-width:20em;padding:0 1em'><b>" + label + "</b><pre style='white-space:pre-wrap'>"
                + Html.escape(output) + "</pre></div>";
    }

    private void finish(String message) {
        finished = true;  // a click that was on its way when the buttons were disabled changes nothing
        for (Button b : votes) b.disabled(true);
        stop.disabled(true);
        header.value("<b>Blind battles</b> on " + Html.escape(arena.set()));
        input.value("");
        outputA.value("");
        outputB.value("");
        status.value(message);
    }

    static String table(Leaderboard lb) {
        StringBuilder sb = new StringBuilder("<table><tr><th>model</th><th>rating</th><th>95% interval</th><th>battles</th></tr>");
        for (Leaderboard.Entry e : lb.entries()) {
            sb.append("<tr><td>").append(Html.escape(e.model())).append("</td><td>")
                    .append(String.format(Locale.ROOT, "%.0f", e.rating())).append("</td><td>")
                    .append(String.format(Locale.ROOT, "%.0f – %.0f", e.low(), e.high())).append("</td><td>")
                    .append(e.battles()).append("</td></tr>");
        }
        return sb.append("</table>").toString();
    }
}
