package yardstick.magics.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import yardstick.kernel.comm.CommManager;
import yardstick.kernel.widget.Box;
import yardstick.kernel.widget.Button;
import yardstick.kernel.widget.Html;
import yardstick.kernel.widget.Textarea;
import yardstick.kernel.widget.Widget;

/**
 * The %rate widget (Jupyter widgets): the item's input and output, buttons 1 to 5, a comment box and Stop. A click
 * saves the rating with the comment typed so far and shows the next item; Stop leaves the rest for a later %rate.
 */
public final class RateWidget {
    private final RateSession session;
    private final Html header, item, status;
    private final List<Button> scores = new ArrayList<>();
    private final Textarea comment;
    private final Button stop;
    private final Box root;
    private boolean finished;

    public RateWidget(CommManager comms, RateSession session) {
        this.session = session;
        header = new Html(comms, "");
        item = new Html(comms, "");
        for (int k = 1; k <= 5; k++) {
            int score = k;
            scores.add(new Button(comms, String.valueOf(k)).onClick(b -> rate(score)));
        }
        stop = new Button(comms, "Stop").onClick(b -> stop());
        comment = new Textarea(comms, "comment (optional)");
        status = new Html(comms, "");
        List<Widget> row = new ArrayList<>(scores);
        row.add(stop);
        root = Box.vbox(comms, header, item, Box.hbox(comms, row.toArray(Widget[]::new)), comment, status);
        if (session.next() == null) finish("Every output of " + Html.escape(session.set()) + " is already rated by " + Html.escape(session.rater()) + ".");
        else show();
    }

    /** The widget to display. */
    public Box view() {
        return root;
    }

    public List<Button> scoreButtons() {
        return scores;
    }

    public Button stopButton() {
        return stop;
    }

    public Textarea comment() {
        return comment;
    }

    public Html item() {
        return item;
    }

    public Html status() {
        return status;
    }

    private synchronized void rate(int score) {
        if (finished || session.next() == null) return;
        try {
            Rating r = session.rate(score, comment.value());
            RateMagic.logRating(session.set(), r);
            comment.value("");
            if (session.next() == null) {
                finish("Saved " + score + ". All " + session.total() + " outputs of " + Html.escape(session.set()) + " are rated.");
            } else {
                show();
                status.value("Saved " + score + " for " + Html.escape(r.key()) + ".");
            }
        } catch (EvalException e) {
            status.value("<span style='color:#b00'>" + Html.escape(e.getMessage()) + "</span>");
        }
    }

    private synchronized void stop() {
        finish("Stopped with " + session.done() + " rated and " + session.remaining() + " left: run %rate "
                + Html.escape(session.set()) + " again to resume.");
    }

    private void show() {
        RateItem i = session.next();
        header.value("<b>Rating " + Html.escape(session.set()) + "</b> as " + Html.escape(session.rater()) + ": "
                + (session.total() - session.remaining() + 1) + " of " + session.total());
        StringBuilder sb = new StringBuilder("<table>");
        for (Map.Entry<String, String> e : i.row().entrySet()) {
            sb.append("<tr><th style='text-align:left;padding-right:1em'>").append(Html.escape(e.getKey())).append("</th><td>")
                    .append(Html.escape(e.getValue())).append("</td></tr>");
        }
        sb.append("<tr><th style='text-align:left;padding-right:1em'>output</th><td><pre style='white-space:pre-wrap'>")
                .append(Html.escape(i.output())).append("</pre></td></tr></table>");
        item.value(sb.toString());
    }

    private void finish(String message) {
        finished = true;  // a click that was on its way when the buttons were disabled changes nothing
        header.value("<b>Rating " + Html.escape(session.set()) + "</b> as " + Html.escape(session.rater()));
        for (Button b : scores) b.disabled(true);
        stop.disabled(true);
        comment.set("disabled", true);
        item.value("");
        status.value(message);
    }
}
