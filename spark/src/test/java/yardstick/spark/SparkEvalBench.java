package yardstick.spark;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import yardstick.magics.TestNotebook;
import yardstick.magics.llm.FakeOpenAi;

/**
 * An eval of N rows against the in-process OpenAI-compatible server answering after 50 ms, scored with exact, ROUGE-L
 * and a scorer class defined in a cell: the kernel's {@code %%eval}, then {@code --engine spark} on a standalone
 * cluster of two one-core workers, at the same total concurrency (the model's default, 8, shared by the task slots).
 * Each run has its own template, so no answer comes from the response cache. Argument: rows (2000); README.md's
 * Benchmarks has the command line.
 */
public final class SparkEvalBench {
    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        Path home = Files.createTempDirectory("yardstick-spark-eval-bench-");
        List<String> lines = new ArrayList<>(rows);
        for (int i = 0; i < rows; i++) lines.add("{\"id\":\"" + i + "\",\"question\":\"question " + i + "\",\"answer\":\"echo: Q: question " + i + "\"}");
        Files.write(home.resolve("set.jsonl"), lines);
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%-52s %10s %10s%n", "measure", "seconds", "rows/s"));
        FakeOpenAi llm = FakeEndpoint.start(home);
        try (TestNotebook nb = new TestNotebook(home); StandaloneCluster cluster = StandaloneCluster.start(home, 2, 1)) {
            llm.delayMs = 50;
            nb.ok("%eval load bench set.jsonl");
            nb.ok("class Len implements yardstick.magics.eval.Scorer { public String name() { return \"len\"; } "
                    + "public yardstick.magics.eval.Score score(Map<String, String> r, String o) { return yardstick.magics.eval.Score.of(o.length()); } }");
            nb.ok("yardstick.magics.eval.Evals.scorer(new Len());");
            String cell = " --model fake-model --scorers exact,rouge,len\n";
            long t0 = System.nanoTime();
            nb.ok("%%eval bench" + cell + "Q: {{question}}");
            SparkPromptBench.row(out, "kernel %%eval, " + rows + " rows", t0, rows);

            nb.ok("%spark connect " + cluster.url());
            for (int run = 1; run <= 2; run++) {
                t0 = System.nanoTime();
                nb.ok("%%eval bench --engine spark --output out-" + run + ".parquet" + cell + "Q" + run + ": {{question}}");
                SparkPromptBench.row(out, "spark (2 workers x 1 core), run " + run + ", " + rows + " rows", t0, rows);
            }
        } finally {
            FakeEndpoint.stop(llm);
        }
        System.out.print(out);
    }
}
