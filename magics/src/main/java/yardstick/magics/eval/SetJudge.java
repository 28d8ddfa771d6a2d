package yardstick.magics.eval;

/**
 * A set's judge as the eval sees it: something that makes the {@code judge} scorer. The judge package implements it,
 * so that package depends on this one and never the other way round.
 */
public interface SetJudge {
    /** The scorer that grades outputs 1-5 with the judge. */
    Scorer scorer();
}
