package yardstick.magics.eval;

/** A person's 1–5 rating of one system's output on one eval row, with an optional comment. */
public record Rating(String key, String model, String output, int score, String comment, String rater, long time)
        implements java.io.Serializable {
    public Rating {
        if (score < 1 || score > 5) throw new EvalException("a rating is 1 to 5, not " + score);
    }
}
