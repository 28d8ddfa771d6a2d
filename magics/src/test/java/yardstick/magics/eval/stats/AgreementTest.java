package yardstick.magics.eval.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Reference values computed independently with Python 3.11, numpy 1.24.2 and scipy 1.10.1:
 * kappa from the textbook formula (Cohen 1968) with numpy, 1 - sum(W*O)/sum(W*E), W_ij = (i-j)^2 on the scale 1..5;
 * Spearman with {@code scipy.stats.spearmanr}; exact agreement with {@code numpy.mean(a == b)}.
 */
class AgreementTest {
    static final int[] HUMAN = {1, 2, 2, 3, 3, 4, 4, 5, 5, 3, 2, 4, 5, 1, 3, 4, 2, 5, 3, 4};
    static final int[] JUDGE = {1, 2, 3, 3, 4, 4, 5, 5, 4, 3, 1, 4, 5, 2, 3, 3, 2, 4, 3, 5};
    static final int[] HUMAN2 = {3, 3, 3, 4, 4, 2, 5, 1, 1, 2};
    static final int[] JUDGE2 = {3, 4, 2, 4, 5, 2, 5, 2, 1, 1};

    //  data          | kappa (quadratic)    | spearman
    //  HUMAN/JUDGE   | 0.8548387096774194   | 0.8663558220915571
    //  HUMAN2/JUDGE2 | 0.8633879781420766   | 0.879746835443038
    @Test
    void matchesReferenceValues() {
        assertEquals(0.8548387096774194, Agreement.quadraticKappa(HUMAN, JUDGE, 1, 5), 1e-12);
        assertEquals(0.8663558220915571, Agreement.spearman(HUMAN, JUDGE), 1e-12);
        assertEquals(0.55, Agreement.exactAgreement(HUMAN, JUDGE), 1e-12);
        assertEquals(0.8633879781420766, Agreement.quadraticKappa(HUMAN2, JUDGE2, 1, 5), 1e-12);
        assertEquals(0.879746835443038, Agreement.spearman(HUMAN2, JUDGE2), 1e-12);
    }

    @Test
    void handComputedCases() {
        int[] a = {1, 2, 3, 4, 5};
        assertEquals(1.0, Agreement.quadraticKappa(a, a, 1, 5), 1e-12);
        assertEquals(1.0, Agreement.spearman(a, a), 1e-12);
        // Complete reversal: O is the anti-diagonal, sum(W*O) = 16+4+0+4+16 = 40; E = 1/5 everywhere, sum(W*E) = 100/5 = 20.
        int[] r = {5, 4, 3, 2, 1};
        assertEquals(1 - 40.0 / 20.0, Agreement.quadraticKappa(a, r, 1, 5), 1e-12);
        assertEquals(-1.0, Agreement.spearman(a, r), 1e-12);
        assertEquals(0.2, Agreement.exactAgreement(a, r), 1e-12);
        // Ties share their mean rank: 10, 20, 20, 30 -> 1, 2.5, 2.5, 4.
        assertEquals(java.util.Arrays.toString(new double[] {1, 2.5, 2.5, 4}),
                java.util.Arrays.toString(Agreement.averageRanks(new double[] {10, 20, 20, 30})));
    }

    @Test
    void undefinedCasesAreNaNAndBadInputIsRefused() {
        int[] threes = {3, 3, 3};
        assertTrue(Double.isNaN(Agreement.quadraticKappa(threes, threes, 1, 5)));
        assertTrue(Double.isNaN(Agreement.spearman(threes, new int[] {1, 2, 3})));
        var e = assertThrows(IllegalArgumentException.class, () -> Agreement.quadraticKappa(new int[] {6}, new int[] {1}, 1, 5));
        assertEquals("rating 6 is outside 1..5", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Agreement.spearman(new int[] {1, 2}, new int[] {1}));
    }
}
