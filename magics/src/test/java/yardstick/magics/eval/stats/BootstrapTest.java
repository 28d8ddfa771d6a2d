package yardstick.magics.eval.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Reference intervals from {@code scipy.stats.bootstrap(..., method='percentile', random_state=1)} (scipy 1.10.1):
 * the mean of X with 200,000 resamples, and Spearman of the paired ratings of {@link AgreementTest} with 20,000. Our
 * generator differs from numpy's, so the bounds agree to Monte Carlo error, not to the last digit.
 */
class BootstrapTest {
    static final double[] X = {2.1, 3.4, 1.9, 5.6, 4.4, 3.3, 2.8, 6.1, 3.9, 4.0, 2.2, 3.1, 5.0, 4.7, 1.5};

    @Test
    void meanIntervalMatchesScipy() {
        Estimate e = new Bootstrap(20_000, 7).interval(X.length, idx -> {
            double s = 0;
            for (int i : idx) s += X[i];
            return s / idx.length;
        });
        assertEquals(3.6, e.value(), 1e-12);
        assertEquals(2.9333333333333327, e.low(), 0.03);
        assertEquals(4.286666666666666, e.high(), 0.03);
    }

    @Test
    void pairedSpearmanIntervalMatchesScipy() {
        int[] h = AgreementTest.HUMAN, j = AgreementTest.JUDGE;
        Estimate e = new Bootstrap(20_000, 7).interval(h.length, idx -> Agreement.spearman(h, j, idx));
        assertEquals(0.8663558220915571, e.value(), 1e-12);
        assertEquals(0.6942413437608429, e.low(), 0.02);
        assertEquals(0.94365177620569, e.high(), 0.02);
    }

    @Test
    void sameSeedSameIntervalOtherSeedOtherDraws() {
        int[] h = AgreementTest.HUMAN, j = AgreementTest.JUDGE;
        Estimate a = new Bootstrap(500, 1).interval(h.length, idx -> Agreement.quadraticKappa(h, j, 1, 5, idx));
        Estimate b = new Bootstrap(500, 1).interval(h.length, idx -> Agreement.quadraticKappa(h, j, 1, 5, idx));
        assertEquals(a, b);
        double[] r1 = new Bootstrap(500, 1).resample(h.length, idx -> Agreement.exactAgreement(h, j, idx));
        double[] r2 = new Bootstrap(500, 2).resample(h.length, idx -> Agreement.exactAgreement(h, j, idx));
        assertTrue(!java.util.Arrays.equals(r1, r2));
        assertTrue(a.low() < a.value() && a.value() < a.high(), a.toString());
    }

    @Test
    void percentileInterpolatesLikeNumpy() {
        // numpy.percentile([1, 2, 3, 4], 25) == 1.75
        assertEquals(1.75, Bootstrap.percentile(new double[] {4, 1, 3, 2}, 0.25), 1e-12);
        assertTrue(Double.isNaN(Bootstrap.percentile(new double[] {Double.NaN, Double.NaN, 1}, 0.5)));
    }
}
