package yardstick.magics.eval;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import yardstick.kernel.Notebook;
import yardstick.kernel.comm.CommManager;
import yardstick.kernel.magic.Args;
import yardstick.kernel.magic.Magic;
import yardstick.kernel.magic.MagicCall;
import yardstick.kernel.magic.MagicException;
import yardstick.magics.track.Tracking;

/**
 * {@code %rate NAME [--run RUN_ID] [--model M] [--rater WHO] [--answers FILE]}: a person rates each output 1–5 with a
 * comment, as {@code --rater} (on stdin, asked for when not given): with a widget ({@link RateWidget}) where the front end renders widgets, else on stdin, else from the
 * {@code --answers} parameter file ({@link Asking} decides), so a notebook can name the file for its headless runs
 * and still ask in Jupyter. Ratings are saved as given and a later %rate resumes.
 */
public final class RateMagic implements Magic {
    private static final Args.Spec SPEC = Args.Spec.of(Set.of("--run", "--model", "--rater", "--answers"), Set.of());

    @Override
    public String name() {
        return "rate";
    }

    @Override
    public String usage() {
        return "%rate NAME [--run RUN_ID] [--model M] [--rater WHO] [--answers FILE]";
    }

    @Override
    public String help() {
        return "Rate each output of the set's latest %%eval (or of one run) 1-5 with a comment. In Jupyter with widgets "
                + "(ipywidgets 8) it shows buttons 1-5, a comment box and Stop; in front ends without widgets it asks on stdin; "
                + "where neither works (nbconvert, headless runs) it reads --answers FILE (JSON lines with rater, key, "
                + "model, score, comment). Ratings are recorded under --rater NAME (asked for on stdin when not given; widgets use the OS user). Each rating is saved at once; run %rate again to resume.";
    }

    @Override
    public Object run(MagicCall call) throws Exception {
        Args a = call.args(SPEC);
        if (a.positionals().size() != 1) throw new MagicException("usage: " + usage());
        String set = a.positionals().get(0);
        try {
            List<RateItem> items = RateSession.items(set, a.option("--run", null), a.option("--model", null));
            String named = a.option("--rater", null);
            CommManager comms = Notebook.comms();
            String answers = a.option("--answers", null);
            return switch (Asking.here(comms, answers)) {
                case WIDGETS -> {
                    String rater = named != null ? named : defaultRater();
                    if (named == null) System.out.println("Rating as " + rater + " (name yourself with --rater NAME).");
                    yield openWidget(comms, new RateSession(set, rater, items)).view();
                }
                case STDIN -> onStdin(new RateSession(set, named != null ? named : askRater(), items));
                case ANSWERS -> fromAnswers(set, items, Answers.path(call.context().workingDirectory(), answers),
                        named != null ? named : defaultRater());
            };
        } catch (EvalException e) {
            throw new MagicException(e.getMessage());
        }
    }

    /** The Jupyter widget: buttons 1-5, a comment box and Stop; each click saves a rating and shows the next item. */
    public static RateWidget openWidget(CommManager comms, RateSession s) {
        return new RateWidget(comms, s);
    }

    private static int score(JsonNode n) {
        int v;
        if (n.isTextual()) v = parse(n.asText());
        else if (n.isIntegralNumber()) v = n.asInt();
        else throw new EvalException("a rating is 1 to 5, not " + (n.isMissingNode() ? "missing" : n.toString()));
        if (v < 1 || v > 5) throw new EvalException("a rating is 1 to 5, not " + v);
        return v;
    }

    private static int parse(String s) {
        try {
            return Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
            throw new EvalException("a rating is 1 to 5, not '" + s + "'");
        }
    }

    private static String onStdin(RateSession s) {
        if (s.next() == null) return "Every output of " + s.set() + " is already rated by " + s.rater() + ".";
        System.out.println("Rating " + s.remaining() + " outputs of " + s.set() + " as " + s.rater() + " (1-5; empty to stop).");
        while (s.next() != null) {
            RateItem i = s.next();
            StringBuilder sb = new StringBuilder("\n");
            i.row().forEach((k, v) -> sb.append(k).append(": ").append(v).append('\n'));
            sb.append("output: ").append(i.output());
            System.out.println(sb);
            String answer = Notebook.input("score 1-5> ").strip();
            if (answer.isEmpty()) break;
            int score;
            try {
                score = parse(answer);
                if (score < 1 || score > 5) throw new EvalException("a rating is 1 to 5");
            } catch (EvalException e) {
                System.out.println("A rating is 1 to 5; try again.");
                continue;
            }
            String comment = Notebook.input("comment> ");
            logRating(s.set(), s.rate(score, comment));
        }
        return "Rated " + s.done() + "; " + s.remaining() + " left" + (s.remaining() > 0 ? " (run %rate " + s.set() + " again to resume)." : ".");
    }

    /** Applies an answers file's ratings; a line without a rater is {@code rater}'s. */
    static String fromAnswers(String set, List<RateItem> items, Path file, String rater) {
        Map<String, RateSession> sessions = new LinkedHashMap<>();
        int applied = 0, skipped = 0;
        for (JsonNode l : Answers.read(file)) {
            if (!l.has("score")) continue;  // a vote, for %arena
            RateSession s = sessions.computeIfAbsent(l.path("rater").asText(rater), r -> new RateSession(set, r, items));
            String key = l.path("key").asText(), model = l.path("model").asText();
            boolean known = items.stream().anyMatch(i -> i.key().equals(key) && i.model().equals(model));
            if (!known) throw new EvalException(file.getFileName() + ": no output of '" + model + "' on row " + key + " to rate in " + set);
            Rating r = s.rate(key, model, score(l.path("score")), l.path("comment").asText(""));
            if (r == null) skipped++;
            else {
                applied++;
                logRating(set, r);
            }
        }
        return "Saved " + applied + " ratings from " + file.getFileName() + " (" + skipped + " already rated) by " + sessions.keySet() + ".";
    }

    /** Each rating also goes to the current run, as a metric stepped by count, so the run shows them as they come. */
    static void logRating(String set, Rating r) {
        try {
            Tracking t = Tracking.global();
            if (t.enabled()) t.current().metric("rating " + set + " " + safe(r.rater()), r.score(), Ratings.byRater(set, r.rater()).size());
        } catch (RuntimeException e) {
            System.err.println("Yardstick: the rating was saved but not logged: " + e.getMessage());
        }
    }

    static String safe(String s) {
        return s.replaceAll("[^A-Za-z0-9_\\-. /]", "_");
    }

    /** The rater's name, asked once: ratings under the OS user's name would not match the raters a notebook expects. */
    private static String askRater() {
        String name = Notebook.input("your name (as a rater; empty: " + defaultRater() + ")> ").strip();
        return name.isEmpty() ? defaultRater() : name;
    }

    static String defaultRater() {
        String u = System.getProperty("user.name");
        return u == null || u.isBlank() ? "rater" : u;
    }
}
