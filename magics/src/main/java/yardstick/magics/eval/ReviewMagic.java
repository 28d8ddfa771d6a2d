package yardstick.magics.eval;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import yardstick.kernel.magic.Args;
import yardstick.kernel.magic.Magic;
import yardstick.kernel.magic.MagicCall;
import yardstick.kernel.magic.MagicException;

/**
 * {@code %review share|status|results|close NAME}: a set's outputs as a review session on the tracker, rated 1-5 or
 * voted on blind by people from their own links, with no notebook on their side ({@link Reviews}).
 */
public final class ReviewMagic implements Magic {
    private static final Args.Spec SPEC = Args.Spec.of(Set.of("--raters", "--rubric", "--per-rater", "--expires", "--arena",
            "--run", "--model"), Set.of());
    private static final Pattern DURATION = Pattern.compile("(\\d{1,6})([dhm])");

    @Override
    public String name() {
        return "review";
    }

    @Override
    public String usage() {
        return "%review share NAME --raters ann,bob [--rubric TEXT] [--per-rater N] [--expires 7d] [--arena A,B[,C]] [--run RUN_ID] [--model M]"
                + " | %review status NAME | %review results NAME | %review close NAME";
    }

    @Override
    public String help() {
        return "Publishes a set's latest %%eval outputs on the tracker for people to rate 1-5 (or, with --arena A,B, to vote "
                + "on blind pairs) from their own link, no notebook needed: one link per rater, whose token opens that "
                + "rater's queue only. status shows who answered how many, results every answer per item and rater, close "
                + "revokes the links. Answers count for %judge calibrate, %arena leaderboard and Ratings.all at once. Links "
                + "expire after --expires (default 7d; 0 never). For raters on other machines, run the tracker with --host "
                + "and --token (yardstick tracker) and point the notebook at it with MLFLOW_TRACKING_URI.";
    }

    @Override
    public Object run(MagicCall call) throws Exception {
        Args a = call.args(SPEC);
        List<String> pos = a.positionals();
        if (pos.size() != 2) throw new MagicException("usage: " + usage());
        String set = pos.get(1);
        try {
            return switch (pos.get(0)) {
                case "share" -> share(set, a).toString();
                case "status" -> Reviews.status(set);
                case "results" -> Reviews.results(set);
                case "close" -> Reviews.close(set);
                default -> throw new MagicException("unknown %review command '" + pos.get(0) + "': share, status, results or close");
            };
        } catch (EvalException e) {
            throw new MagicException(e.getMessage());
        }
    }

    private static Reviews.Shared share(String set, Args a) throws MagicException {
        List<String> raters = list(a.option("--raters", null));
        if (raters.isEmpty()) throw new MagicException("name the raters: %review share " + set + " --raters ann,bob");
        String arena = a.option("--arena", null);
        Reviews.Options o = arena == null ? Reviews.Options.rate(raters.toArray(String[]::new))
                : Reviews.Options.arena(list(arena), raters.toArray(String[]::new));
        o = o.withRubric(a.option("--rubric", "")).withPerRater(a.intOption("--per-rater", 0))
                .withExpiry(expiry(a.option("--expires", "7d"))).withOutputsOf(a.option("--run", null), a.option("--model", null));
        if (o.perRater() < 0) throw new MagicException("--per-rater is a number of items, 0 for all, not " + o.perRater());
        return Reviews.share(set, o);
    }

    /** "7d", "12h", "30m"; "0" for links that never expire. */
    static Duration expiry(String text) throws MagicException {
        if (text.equals("0")) return Duration.ZERO;
        Matcher m = DURATION.matcher(text.strip());
        if (!m.matches()) throw new MagicException("--expires is a duration such as 7d, 12h or 30m (0: never), not '" + text + "'");
        long n = Long.parseLong(m.group(1));
        if (n == 0) return Duration.ZERO;
        return switch (m.group(2)) {
            case "d" -> Duration.ofDays(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofMinutes(n);
        };
    }

    private static List<String> list(String csv) {
        return csv == null ? List.of() : Arrays.stream(csv.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
}
