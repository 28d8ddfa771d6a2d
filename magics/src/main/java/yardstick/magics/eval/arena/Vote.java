package yardstick.magics.eval.arena;

import java.util.Locale;
import yardstick.magics.eval.EvalException;

/** A blind vote on one row: the output shown as A (left) and B (right), which won, who voted. */
public record Vote(String key, String modelA, String modelB, Choice choice, String rater, long time) {
    public enum Choice {
        A, B, TIE, BOTH_BAD;

        /** Reads "A", "B", "tie" or "both bad" (also "both_bad", "bad"). */
        public static Choice parse(String s) {
            String v = s == null ? "" : s.strip().toLowerCase(Locale.ROOT).replace('_', ' ').replace('-', ' ');
            return switch (v) {
                case "a", "left" -> A;
                case "b", "right" -> B;
                case "tie", "t", "=" -> TIE;
                case "both bad", "bad", "bothbad", "neither" -> BOTH_BAD;
                default -> throw new EvalException("a vote is A, B, tie or both bad, not '" + s + "'");
            };
        }
    }

    /** What A scored: 1, 0.5 for a tie or both bad (neither is preferred), 0. */
    public double scoreA() {
        return switch (choice) {
            case A -> 1;
            case B -> 0;
            case TIE, BOTH_BAD -> 0.5;
        };
    }

    /** The winning model's name, or "tie" / "both bad". */
    public String winner() {
        return switch (choice) {
            case A -> modelA;
            case B -> modelB;
            case TIE -> "tie";
            case BOTH_BAD -> "both bad";
        };
    }
}
