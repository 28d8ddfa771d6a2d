package yardstick.magics.eval.judge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.HeatMapChart;
import yardstick.kernel.display.MimeBundle;
import yardstick.kernel.display.Renderers;
import yardstick.kernel.magic.Environment;
import yardstick.magics.TestNotebook;
import yardstick.magics.YardstickHome;
import yardstick.magics.eval.Evals;
import yardstick.magics.llm.FakeOpenAi;
import yardstick.magics.track.Tracking;

/**
 * {@code %%judge} and {@code %judge calibrate} as a person types them, in a real notebook session: outputs from
 * {@code %%eval}, people's ratings from {@code %rate --answers}, and a judge model behind an OpenAI-compatible server.
 * The statistics are checked against independent computations written out below.
 */
class JudgeMagicTest {
    @TempDir
    static Path dir;
    static FakeOpenAi server;
    static TestNotebook nb;

    // One row per country: the system's answer, then ann's, bob's and the judge's scores (0: the judge gives no score).
    static final String[][] ROWS = {
            {"fr", "France", "Paris", "Paris", "5", "5", "5"},
            {"de", "Germany", "Berlin", "Berlin", "5", "4", "5"},
            {"it", "Italy", "Rome", "Milan", "1", "1", "2"},
            {"es", "Spain", "Madrid", "Barcelona", "2", "1", "1"},
            {"pt", "Portugal", "Lisbon", "Lisbon", "5", "5", "4"},
            {"nl", "Netherlands", "Amsterdam", "The Hague", "3", "2", "3"},
            {"be", "Belgium", "Brussels", "Brussels", "4", "5", "5"},
            {"at", "Austria", "Vienna", "Vienna, I think", "4", "4", "3"},
            {"ch", "Switzerland", "Bern", "Zurich", "2", "2", "2"},
            {"se", "Sweden", "Stockholm", "Stockholm", "5", "5", "5"},
            {"no", "Norway", "Oslo", "Bergen", "1", "2", "1"},
            {"fi", "Finland", "Helsinki", "Helsinki is the capital", "4", "3", "0"}};

    @BeforeAll
    static void start() throws Exception {
        System.setProperty(YardstickHome.PROPERTY, dir.resolve("home").toString());
        Environment env = Environment.shared();
        env.set("YARDSTICK_TRACKING", "off");
        Tracking.reset();
        Map<String, Integer> judgeScores = new LinkedHashMap<>();
        for (String[] r : ROWS) judgeScores.put(r[3], Integer.parseInt(r[6]));
        // The judge grades the answer after "Now grade this." (the examples above it are other items).
        server = new FakeOpenAi().fallback(req -> {
            String user = FakeOpenAi.lastUser(req);
            String judged = user.substring(user.indexOf("Now grade this."));
            String output = judged.substring(judged.lastIndexOf("Answer:\n") + "Answer:\n".length());
            int score = judgeScores.getOrDefault(output, -1);
            return FakeOpenAi.json(score > 0 ? "Score: " + score + "\nRationale: graded " + output : "A reasonable answer overall.", 40, 8);
        });
        env.set("OPENAI_BASE_URL", server.baseUrl());
        env.set("OPENAI_API_KEY", "sk-test");
        nb = new TestNotebook(dir);
        Map<String, String> answers = new LinkedHashMap<>();
        for (String[] r : ROWS) answers.put(r[0], r[3]);
        Evals.system("atlas", (row, prompt) -> answers.get(row.get("id")));
    }

    @AfterAll
    static void stop() {
        nb.close();
        server.close();
        for (String k : List.of("OPENAI_BASE_URL", "OPENAI_API_KEY")) Environment.shared().set(k, "");
        System.clearProperty(YardstickHome.PROPERTY);
    }

    /** An eval set of the first {@code n} rows, run on the system, rated by {@code raters} (columns of ROWS). */
    static void ratedSet(String set, int n, Map<String, Integer> raters) throws Exception {
        StringBuilder rows = new StringBuilder(), answers = new StringBuilder();
        for (int i = 0; i < n; i++) {
            String[] r = ROWS[i];
            rows.append("{\"id\": \"").append(r[0]).append("\", \"country\": \"").append(r[1]).append("\", \"answer\": \"").append(r[2]).append("\"}\n");
            for (var rater : raters.entrySet()) {
                answers.append("{\"rater\": \"").append(rater.getKey()).append("\", \"key\": \"").append(r[0])
                        .append("\", \"model\": \"atlas\", \"score\": ").append(r[rater.getValue()]).append("}\n");
            }
        }
        Files.writeString(dir.resolve(set + ".jsonl"), rows);
        Files.writeString(dir.resolve(set + "-ratings.jsonl"), answers);
        nb.ok("%eval load " + set + " " + set + ".jsonl");
        nb.ok("%%eval " + set + " --model atlas --scorers exact\nWhat is the capital of {{country}}?");
        assertEquals("Saved " + n * raters.size() + " ratings from " + set + "-ratings.jsonl (0 already rated) by " + raters.keySet() + ".",
                nb.ok("%rate " + set + " --answers " + set + "-ratings.jsonl"));
    }

    static void defineJudge(String set) {
        assertEquals("Judge for " + set + ": judge-m, 3 rated examples at most.",
                nb.ok("%%judge " + set + " --model judge-m\nScore 5 when the answer names the capital, 1 when it names another city."));
    }

    @Test
    void calibrateAgainstOneRaterShowsTheStatisticsAndTheConfusionMatrix() throws Exception {
        ratedSet("solo", 8, Map.of("ann", 4));
        defineJudge("solo");
        int before = server.count();
        HeatMapChart chart = (HeatMapChart) nb.ok("%judge calibrate solo --rounds 4000 --seed 7");
        assertEquals(8, server.count() - before, "each rated output is graded once");
        for (JsonNode req : server.requests.subList(before, server.count())) {
            assertEquals("judge-m", req.path("model").asText());
            assertEquals(0, req.path("temperature").asDouble(), "the judge runs at temperature 0");
            assertEquals(Judge.SYSTEM, req.path("messages").get(0).path("content").asText());
        }
        assertFalse(nb.stdout().contains("no 1-5 score"), nb.stdout());

        List<List<String>> table = shownTable();
        assertEquals(1, table.size(), "one rater: no ceiling row");
        int[] ann = column(4, 8, true), judge = column(6, 8, true);
        checkRow(table.get(0), "judge vs ann", ann, judge);

        assertEquals("judge vs ann", chart.getTitle());
        assertEquals(crossTab(ann, judge), heat(chart));
        MimeBundle shown = new Renderers(getClass().getClassLoader()).render(chart);
        assertTrue(shown.data().containsKey("image/png"), shown.plain());

        assertEquals(table, rerun("%judge calibrate solo --rounds 4000 --seed 7"), "a seeded calibration is reproducible");
    }

    @Test
    void calibrateAgainstTwoRatersAddsTheirCeilingAndLeavesOutAnswersWithoutAScore() throws Exception {
        Map<String, Integer> raters = new LinkedHashMap<>();
        raters.put("ann", 4);
        raters.put("bob", 5);
        ratedSet("duo", 12, raters);
        defineJudge("duo");
        int before = server.count();
        HeatMapChart chart = (HeatMapChart) nb.ok("%judge calibrate duo --rounds 4000 --seed 7");
        assertEquals(12, server.count() - before, "each output is graded once, however many people rated it");
        assertTrue(nb.stdout().contains("1 judge answer has no 1-5 score and is left out."), nb.stdout());

        List<List<String>> table = shownTable();
        assertEquals(List.of("judge vs ann", "judge vs bob", "ann vs bob (ceiling)"), table.stream().map(r -> r.get(0)).toList());
        // Finland's judge answer has no score, so it is left out of the judge's comparisons but not of the ceiling.
        int[] ann = column(4, 12, true), bob = column(5, 12, true), judge = column(6, 12, true);
        checkRow(table.get(0), "judge vs ann", ann, judge);
        checkRow(table.get(1), "judge vs bob", bob, judge);
        checkRow(table.get(2), "ann vs bob (ceiling)", column(4, 12, false), column(5, 12, false));
        String agreement = nb.displays().get(1).data().get("text/html").toString();
        assertTrue(agreement.contains("Krippendorff") && agreement.contains("ann, bob") && agreement.contains("ann vs bob"), agreement);
        assertTrue(nb.stdout().contains("the ceiling for the judge"), nb.stdout());

        assertEquals("judge vs ann", chart.getTitle(), "the first rater is the chart's reference");
        assertEquals(crossTab(ann, judge), heat(chart));
    }

    @Test
    void badInputGetsAClearError() throws Exception {
        assertEquals("%judge: usage: " + new JudgeMagic().usage(), nb.fails("%judge"));
        assertEquals("%judge: usage: " + new JudgeMagic().usage(), nb.fails("%judge calibrate"));
        assertEquals("%judge: usage: " + new JudgeMagic().usage(), nb.fails("%judge calibrate a b"));
        assertEquals("%judge: usage: " + new JudgeMagic().usage(), nb.fails("%judge grade x"));
        assertEquals("%judge: no eval set named 'nowhere': create one with %eval new nowhere or %eval load nowhere FILE",
                nb.fails("%judge calibrate nowhere"));
        assertEquals("%%judge: no eval set named 'nowhere': create one with %eval new nowhere or %eval load nowhere FILE",
                nb.fails("%%judge nowhere --model judge-m\nrubric"));

        ratedSet("errs", 3, Map.of("ann", 4));
        assertEquals("%judge: set errs has no judge: define one with %%judge errs --model M", nb.fails("%judge calibrate errs"));
        assertEquals("%%judge: name the judge's model: --model M", nb.fails("%%judge errs\nrubric"));
        assertEquals("%%judge: a judge needs a rubric: write it in the cell body", nb.fails("%%judge errs --model judge-m\n  "));
        assertEquals("%%judge: --shots must be 0 or more, not -1", nb.fails("%%judge errs --model judge-m --shots -1\nrubric"));
        assertEquals("%%judge: option --shots needs an integer, got 'few'", nb.fails("%%judge errs --model judge-m --shots few\nrubric"));
        assertEquals("%%judge: unknown option --modle", nb.fails("%%judge errs --modle judge-m\nrubric"));
        defineJudge("errs");
        assertEquals("%judge: option --rounds needs an integer, got 'many'", nb.fails("%judge calibrate errs --rounds many"));
        assertEquals("%judge: the bootstrap needs at least 10 rounds, not 5", nb.fails("%judge calibrate errs --rounds 5"));
        assertEquals("%judge: unknown option --round", nb.fails("%judge calibrate errs --round 100"));

        nb.ok("%eval load unrated errs.jsonl");
        nb.ok("%%eval unrated --model atlas\nWhat is the capital of {{country}}?");
        defineJudge("unrated");
        int before = server.count();
        assertEquals("%judge: set unrated has no human ratings yet: rate it with %rate unrated", nb.fails("%judge calibrate unrated"));
        assertEquals(before, server.count(), "nothing is sent to the judge without ratings");

        // Only Finland's answer, which the judge never scores.
        Files.writeString(dir.resolve("noscore.jsonl"), "{\"id\": \"fi\", \"country\": \"Finland\", \"answer\": \"Helsinki\"}\n");
        Files.writeString(dir.resolve("noscore-ratings.jsonl"), "{\"rater\": \"ann\", \"key\": \"fi\", \"model\": \"atlas\", \"score\": 4}\n");
        nb.ok("%eval load noscore noscore.jsonl");
        nb.ok("%%eval noscore --model atlas\nWhat is the capital of {{country}}?");
        nb.ok("%rate noscore --answers noscore-ratings.jsonl");
        nb.ok("%%judge noscore --model judge-m --shots 0\nrubric");
        assertEquals("%judge: the judge scored none of the 1 rated outputs 1-5; the first: judge failure: no score in "
                + "\"A reasonable answer overall.\"", nb.fails("%judge calibrate noscore"));
    }

    /** Checks one shown row: items, and each statistic (3 decimals) and its interval against the independent code. */
    static void checkRow(List<String> row, String comparison, int[] a, int[] b) {
        assertEquals(comparison, row.get(0));
        assertEquals(String.valueOf(a.length), row.get(1));
        List<BiFunction<int[], int[], Double>> stats = List.of(JudgeMagicTest::kappa, JudgeMagicTest::spearman, JudgeMagicTest::exact);
        List<String> names = List.of("kappa", "spearman", "exact");
        for (int s = 0; s < 3; s++) {
            String what = comparison + " " + names.get(s);
            double value = Double.parseDouble(row.get(2 + 3 * s)), low = Double.parseDouble(row.get(3 + 3 * s)),
                    high = Double.parseDouble(row.get(4 + 3 * s));
            assertEquals(stats.get(s).apply(a, b), value, 0.0005 + 1e-9, what);
            double[] ours = bootstrap(a, b, stats.get(s));
            // Two bootstraps with different generators agree to their Monte Carlo error (exact agreement moves in 1/n steps).
            double tolerance = s == 2 ? 1.0 / a.length + 0.01 : 0.04;
            assertEquals(ours[0], low, tolerance, what + " low");
            assertEquals(ours[1], high, tolerance, what + " high");
            assertTrue(low <= value && value <= high && low < high, what + ": " + low + " " + value + " " + high);
        }
    }

    /**
     * Quadratic-weighted kappa as 1 - (mean squared disagreement observed) / (mean squared disagreement of independent
     * pairs drawn from the two raters' marginals), which works out to 2 cov / (var a + var b + (mean a - mean b)^2)
     * with population moments (Schuster 2004, Educational and Psychological Measurement 64(2)).
     */
    static double kappa(int[] a, int[] b) {
        double ma = mean(a), mb = mean(b), cov = 0, va = 0, vb = 0;
        for (int i = 0; i < a.length; i++) {
            cov += (a[i] - ma) * (b[i] - mb);
            va += (a[i] - ma) * (a[i] - ma);
            vb += (b[i] - mb) * (b[i] - mb);
        }
        int n = a.length;
        return 2 * cov / n / (va / n + vb / n + (ma - mb) * (ma - mb));
    }

    /** Spearman's rho: Pearson's r of the ranks, a tie getting the mean of the ranks it spans. */
    static double spearman(int[] a, int[] b) {
        double[] ra = ranks(a), rb = ranks(b);
        double ma = Arrays.stream(ra).average().orElseThrow(), mb = Arrays.stream(rb).average().orElseThrow(), sab = 0, saa = 0, sbb = 0;
        for (int i = 0; i < a.length; i++) {
            sab += (ra[i] - ma) * (rb[i] - mb);
            saa += (ra[i] - ma) * (ra[i] - ma);
            sbb += (rb[i] - mb) * (rb[i] - mb);
        }
        return sab / Math.sqrt(saa * sbb);
    }

    static double[] ranks(int[] v) {
        double[] r = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            int below = 0, same = 0;
            for (int x : v) {
                if (x < v[i]) below++;
                if (x == v[i]) same++;
            }
            r[i] = below + (same + 1) / 2.0;
        }
        return r;
    }

    static double exact(int[] a, int[] b) {
        int same = 0;
        for (int i = 0; i < a.length; i++) if (a[i] == b[i]) same++;
        return (double) same / a.length;
    }

    static double mean(int[] v) {
        return Arrays.stream(v).average().orElseThrow();
    }

    /** A percentile bootstrap 95% interval of our own: 20000 resamples of the pairs, undefined resamples left out. */
    static double[] bootstrap(int[] a, int[] b, BiFunction<int[], int[], Double> stat) {
        Random rnd = new Random(2024);
        List<Double> values = new ArrayList<>();
        for (int round = 0; round < 20000; round++) {
            int[] ra = new int[a.length], rb = new int[a.length];
            for (int i = 0; i < a.length; i++) {
                int k = rnd.nextInt(a.length);
                ra[i] = a[k];
                rb[i] = b[k];
            }
            double v = stat.apply(ra, rb);
            if (Double.isFinite(v)) values.add(v);
        }
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return new double[] {quantile(sorted, 0.025), quantile(sorted, 0.975)};
    }

    static double quantile(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int lo = (int) pos;
        return sorted[lo] + (pos - lo) * (sorted[Math.min(lo + 1, sorted.length - 1)] - sorted[lo]);
    }

    /** Column {@code c} of the first {@code n} ROWS; with {@code judgedOnly}, of the rows the judge scored. */
    static int[] column(int c, int n, boolean judgedOnly) {
        return Arrays.stream(ROWS, 0, n).filter(r -> !judgedOnly || !r[6].equals("0")).mapToInt(r -> Integer.parseInt(r[c])).toArray();
    }

    /** counts[h-1][j-1]: items the person scored h and the judge j. */
    static List<List<Integer>> crossTab(int[] human, int[] judge) {
        int[][] t = new int[5][5];
        for (int i = 0; i < human.length; i++) t[human[i] - 1][judge[i] - 1]++;
        return Arrays.stream(t).map(r -> Arrays.stream(r).boxed().toList()).toList();
    }

    /** The heat map's cells as counts[x][y], checking its axes are the 1-5 scale. */
    static List<List<Integer>> heat(HeatMapChart chart) {
        var s = chart.getSeriesMap().get("items");
        assertEquals(List.of(1, 2, 3, 4, 5), s.getXData());
        assertEquals(List.of(1, 2, 3, 4, 5), s.getYData());
        int[][] t = new int[5][5];
        for (Number[] cell : s.getHeatData()) t[cell[0].intValue()][cell[1].intValue()] += cell[2].intValue();
        return Arrays.stream(t).map(r -> Arrays.stream(r).boxed().toList()).toList();
    }

    /** The body rows of the table the last cell displayed, as its HTML shows them. */
    static List<List<String>> shownTable() {
        List<MimeBundle> shown = nb.displays();
        assertTrue(shown.size() == 1 || shown.size() == 2, "the calibration table, and with two raters their agreement");
        String html = shown.get(0).data().get("text/html").toString();
        assertTrue(html.startsWith("<table class=\"dataframe\">\n<thead><tr><th>comparison</th><th>items</th><th>kappa</th><th>kappa_low</th>"
                + "<th>kappa_high</th><th>spearman</th><th>spearman_low</th><th>spearman_high</th><th>exact</th><th>exact_low</th>"
                + "<th>exact_high</th></tr></thead>"), html);
        List<List<String>> rows = new ArrayList<>();
        Matcher tr = Pattern.compile("<tr>((?:<td>.*?</td>)+)</tr>").matcher(html);
        while (tr.find()) {
            List<String> cells = new ArrayList<>();
            Matcher td = Pattern.compile("<td>(.*?)</td>").matcher(tr.group(1));
            while (td.find()) cells.add(td.group(1));
            rows.add(cells);
        }
        return rows;
    }

    static List<List<String>> rerun(String cell) {
        nb.ok(cell);
        return shownTable();
    }
}
