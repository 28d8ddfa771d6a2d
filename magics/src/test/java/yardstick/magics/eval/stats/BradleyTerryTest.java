package yardstick.magics.eval.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import yardstick.magics.eval.stats.BradleyTerry.Battle;

class BradleyTerryTest {
    static final Battle[] BATTLES = {
        new Battle(0, 1, 1), new Battle(0, 1, 1), new Battle(0, 1, 0), new Battle(0, 1, 0.5), new Battle(1, 2, 1),
        new Battle(1, 2, 1), new Battle(1, 2, 0), new Battle(2, 0, 0), new Battle(2, 0, 0), new Battle(2, 0, 1),
        new Battle(0, 2, 0.5), new Battle(3, 0, 0), new Battle(3, 0, 1), new Battle(3, 1, 0.5), new Battle(3, 2, 1),
        new Battle(3, 2, 0), new Battle(2, 3, 0.5), new Battle(1, 3, 1), new Battle(0, 3, 1), new Battle(0, 3, 1)};

    /**
     * Reference: a logistic-regression fit of the same battles, P(a beats b) = sigmoid(s_a - s_b), a tie entering the
     * likelihood as half a win and half a loss, maximised with scipy.optimize.minimize (BFGS, analytic gradient, gtol
     * 1e-10, max |gradient| 6.6e-12 at the optimum; scipy 1.10.1), strengths centred on mean 0.
     */
    static final double[] LOGISTIC_REGRESSION = {0.5324079857109623, 0.26257146078169946, -0.28254514477865056, -0.5124343017140112};

    @Test
    void matchesLogisticRegressionFit() {
        BradleyTerry.Fit fit = BradleyTerry.fit(4, BATTLES);
        assertFalse(fit.regularized());
        assertArrayEquals(LOGISTIC_REGRESSION, fit.strengths(), 1e-3);
        assertArrayEquals(LOGISTIC_REGRESSION, fit.strengths(), 1e-7);
        assertEquals(1000 + 400 * LOGISTIC_REGRESSION[0] / Math.log(10), fit.ratings()[0], 1e-4);
    }

    @Test
    void recoversKnownStrengthsFromSyntheticBattles() {
        double[] truth = {1.5, 0.9, 0.4, 0.0, -0.3, -0.8, -1.7};
        double[] s = BradleyTerry.fit(truth.length, synthetic(truth, 30_000, 0, 11)).strengths();
        for (int i = 0; i < truth.length; i++) {
            if (i > 0) assertTrue(s[i] < s[i - 1], "order kept at " + i);
            // About 1,400 battles per pair: the standard error of a strength is about 0.03.
            assertEquals(truth[i], s[i], 0.1, "model " + i);
        }
        // Random ties say "equal" and so shrink the differences, but the order survives.
        double[] t = BradleyTerry.fit(truth.length, synthetic(truth, 30_000, 0.2, 12)).strengths();
        for (int i = 1; i < truth.length; i++) assertTrue(t[i] < t[i - 1], "order kept with ties at " + i);
    }

    /** Battles between random pairs drawn from known strengths (mean 0), a share of them ties. */
    static Battle[] synthetic(double[] truth, int n, double tieShare, long seed) {
        Random rnd = new Random(seed);
        Battle[] battles = new Battle[n];
        for (int t = 0; t < n; t++) {
            int a = rnd.nextInt(truth.length), b;
            do b = rnd.nextInt(truth.length); while (b == a);
            double p = 1 / (1 + Math.exp(truth[b] - truth[a]));
            battles[t] = new Battle(a, b, rnd.nextDouble() < tieShare ? 0.5 : rnd.nextDouble() < p ? 1 : 0);
        }
        return battles;
    }

    @Test
    void unbeatenModelGetsThePriorAndSaysSo() {
        Battle[] b = {new Battle(0, 1, 1), new Battle(0, 1, 1), new Battle(1, 2, 1), new Battle(2, 1, 0.5)};
        BradleyTerry.Fit fit = BradleyTerry.fit(3, b);
        assertTrue(fit.regularized());
        assertTrue(Double.isFinite(fit.strengths()[0]));
        assertTrue(fit.strengths()[0] > fit.strengths()[1] && fit.strengths()[1] > fit.strengths()[2]);
    }

    @Test
    void bootstrapIntervalsCoverTheFitAndAreReproducible() {
        var a = BradleyTerry.bootstrap(4, BATTLES, 300, 5);
        var b = BradleyTerry.bootstrap(4, BATTLES, 300, 5);
        assertArrayEquals(a.low(), b.low());
        assertArrayEquals(a.high(), b.high());
        for (int i = 0; i < 4; i++) {
            assertTrue(a.low()[i] <= a.fit().ratings()[i] && a.fit().ratings()[i] <= a.high()[i], "model " + i);
            assertTrue(a.high()[i] - a.low()[i] > 10, "20 battles leave wide intervals");
        }
    }

    @Test
    void refusesImpossibleBattles() {
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> BradleyTerry.fit(2, new Battle[] {new Battle(0, 2, 1)}));
        assertEquals("battle between models 0 and 2: there are only 2", e.getMessage());
    }
}
