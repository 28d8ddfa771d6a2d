package yardstick.magics.eval.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Krippendorff's alpha (ordinal) and pairwise weighted kappa against an independent computation: a Python script
 * (standard library only, exact fractions) that uses the pairwise definition, D_o over the pairs within each unit and
 * D_e over all pairs of values, not the coincidence matrix this class uses.
 */
class KrippendorffTest {
    private static final int M = Krippendorff.MISSING;
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String REFERENCE = """
            import json, sys
            from fractions import Fraction as F

            def alpha(units):
                units = [[v for v in u if v is not None] for u in units]
                units = [u for u in units if len(u) >= 2]
                values = [v for u in units for v in u]
                n = len(values)
                ng = {c: values.count(c) for c in set(values)}
                def delta(c, k):
                    lo, hi = min(c, k), max(c, k)
                    s = sum(ng[g] for g in ng if lo <= g <= hi) - F(ng[lo] + ng[hi], 2)
                    return s * s
                do = sum(F(sum(delta(a, b) for i, a in enumerate(u) for j, b in enumerate(u) if i != j), len(u) - 1)
                         for u in units) / n
                de = F(sum(delta(a, b) for i, a in enumerate(values) for j, b in enumerate(values) if i != j), n * (n - 1))
                return float(1 - do / de)

            def kappa(a, b):
                n = len(a)
                w = lambda i, j: (i - j) ** 2
                observed = sum(F(w(x, y)) for x, y in zip(a, b)) / n
                expected = sum(F(w(x, y)) for x in a for y in b) / (n * n)
                return float(1 - observed / expected)

            out = []
            for d in json.load(sys.stdin):
                units = d["units"]
                pairs = []
                r = len(units[0])
                for i in range(r):
                    for j in range(i + 1, r):
                        both = [(u[i], u[j]) for u in units if u[i] is not None and u[j] is not None]
                        pairs.append(kappa([p[0] for p in both], [p[1] for p in both]))
                out.append({"alpha": alpha(units), "kappas": pairs})
            print(json.dumps(out))
            """;

    /** Krippendorff (2011), section C: four observers, twelve units, values 1-5 with gaps; ordinal alpha 0.815. */
    static final int[][] TEXTBOOK = {
        {1, 1, M, 1}, {2, 2, 3, 2}, {3, 3, 3, 3}, {3, 3, 3, 3}, {2, 2, 2, 2}, {1, 2, 3, 4},
        {4, 4, 4, 4}, {1, 1, 2, 1}, {2, 2, 2, 2}, {M, 5, 5, 5}, {M, M, 1, 1}, {M, 3, M, M}};

    @Test
    void textbookExample() {
        assertEquals(0.815, Krippendorff.ordinalAlpha(TEXTBOOK), 0.0005);
    }

    @Test
    void matchesAnIndependentImplementationTo1e9() throws Exception {
        Random random = new Random(11);
        List<int[][]> datasets = new java.util.ArrayList<>();
        datasets.add(TEXTBOOK);
        for (int d = 0; d < 6; d++) {
            int units = 10 + random.nextInt(40), raters = 2 + random.nextInt(4);
            int[][] data = new int[units][raters];
            for (int u = 0; u < units; u++) {
                int truth = 1 + random.nextInt(5);
                for (int r = 0; r < raters; r++) {
                    // Raters near the truth, some units half-rated; the first two raters rate everything for kappa.
                    int v = Math.max(1, Math.min(5, truth + (int) Math.round(random.nextGaussian() * (0.5 + d * 0.3))));
                    data[u][r] = r >= 2 && random.nextDouble() < 0.3 ? M : v;
                }
            }
            datasets.add(data);
        }
        ArrayNode input = JSON.createArrayNode();
        for (int[][] data : datasets) {
            ArrayNode units = input.addObject().putArray("units");
            for (int[] unit : data) {
                ArrayNode u = units.addArray();
                for (int v : unit) {
                    if (v == M) u.addNull();
                    else u.add(v);
                }
            }
        }
        Process p = new ProcessBuilder("python3", "-c", REFERENCE).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        p.getOutputStream().write(input.toString().getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        // All of it first: a parser that stops at the end of the JSON value would close the pipe before the last newline.
        JsonNode expected = JSON.readTree(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor());
        for (int d = 0; d < datasets.size(); d++) {
            int[][] data = datasets.get(d);
            assertEquals(expected.get(d).path("alpha").asDouble(), Krippendorff.ordinalAlpha(data), 1e-9, "dataset " + d);
            List<String> names = new java.util.ArrayList<>();
            for (int r = 0; r < data[0].length; r++) names.add("r" + r);
            RaterAgreement agreement = RaterAgreement.of(names, data, new Bootstrap(200, 1));
            JsonNode kappas = expected.get(d).path("kappas");
            assertEquals(kappas.size(), agreement.pairs().size());
            for (int k = 0; k < kappas.size(); k++) {
                assertEquals(kappas.get(k).asDouble(), agreement.pairs().get(k).kappa().value(), 1e-9, "dataset " + d + " pair " + k);
            }
            Estimate alpha = agreement.alpha();
            assertTrue(alpha.low() <= alpha.value() + 1e-12 && alpha.value() <= alpha.high() + 1e-12, alpha.toString());
        }
    }

    @Test
    void undefinedCasesAreNaNNotAnError() {
        assertTrue(Double.isNaN(Krippendorff.ordinalAlpha(new int[][] {{3, M}, {M, 4}})), "no unit has two ratings");
        assertTrue(Double.isNaN(Krippendorff.ordinalAlpha(new int[][] {{3, 3}, {3, 3}})), "one value only");
        assertEquals(1.0, Krippendorff.ordinalAlpha(new int[][] {{1, 1}, {5, 5}, {3, 3}}), 1e-12);
    }
}
