package yardstick.spark;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import yardstick.magics.TestNotebook;
import yardstick.magics.llm.FakeOpenAi;

/**
 * Prompting N rows against the in-process OpenAI-compatible server answering after 50 ms: the kernel's batch over a
 * Tablesaw table, then {@code --engine spark} on a standalone cluster of two one-core workers, from a classic driver and
 * through a Spark Connect server in front of the same cluster, all at the same total concurrency. Arguments: rows
 * (10000) and total concurrency (16); README.md's Benchmarks has the command line.
 */
public final class SparkPromptBench {
    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        Path home = Files.createTempDirectory("yardstick-spark-bench-");
        List<String> lines = new ArrayList<>(rows);
        for (int i = 0; i < rows; i++) lines.add("{\"id\":" + i + ",\"question\":\"question number " + i + "\"}");
        Files.write(home.resolve("q.jsonl"), lines);
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%-52s %10s %10s%n", "measure", "seconds", "rows/s"));
        FakeOpenAi llm = FakeEndpoint.start(home);
        try (TestNotebook nb = new TestNotebook(home); StandaloneCluster cluster = StandaloneCluster.start(home, 2, 1)) {
            llm.delayMs = 50;
            nb.ok("var qs = tech.tablesaw.api.Table.create(\"qs\", tech.tablesaw.api.StringColumn.create(\"question\", "
                    + "java.util.stream.IntStream.range(0, " + rows + ").mapToObj(i -> \"question number \" + i).toList()));");
            long t0 = System.nanoTime();
            nb.ok("%%prompt --over qs --no-cache --concurrency " + concurrency + "\nQ: {{question}}");
            row(out, "kernel batch, " + rows + " rows, concurrency " + concurrency, t0, rows);

            t0 = System.nanoTime();
            nb.ok("%spark connect " + cluster.url());
            row(out, "spark: driver start and executors registered", t0, 0);
            for (int run = 1; run <= 2; run++) {
                t0 = System.nanoTime();
                nb.ok("%%prompt --over q.jsonl --engine spark --output out-" + run + ".parquet --no-cache --concurrency "
                        + concurrency + "\nQ: {{question}}");
                row(out, "spark (2 workers x 1 core), run " + run + ", " + rows + " rows", t0, rows);
            }
            try (ConnectServer server = ConnectServer.start(home, cluster.url())) {
                t0 = System.nanoTime();
                nb.ok("%spark connect " + server.url());
                row(out, "spark connect: session and Yardstick's jars sent", t0, 0);
                for (int run = 1; run <= 2; run++) {
                    t0 = System.nanoTime();
                    nb.ok("%%prompt --over q.jsonl --engine spark --output connect-" + run + ".parquet --no-cache "
                            + "--concurrency " + concurrency + "\nQ: {{question}}");
                    row(out, "spark connect, run " + run + ", " + rows + " rows", t0, rows);
                }
                nb.ok("%spark stop");
            }
        } finally {
            FakeEndpoint.stop(llm);
        }
        System.out.print(out);
    }

    /** One line of a bench table: what, seconds, rows per second. */
    static void row(StringBuilder out, String what, long t0, int rows) {
        double s = (System.nanoTime() - t0) / 1e9;
        out.append(String.format(Locale.ROOT, "%-52s %10.1f %10s%n", what, s, rows == 0 ? "" : String.format(Locale.ROOT, "%.0f", rows / s)));
    }
}
