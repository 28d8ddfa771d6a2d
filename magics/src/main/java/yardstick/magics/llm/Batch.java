package yardstick.magics.llm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * One prompt per table row with bounded concurrency. Every prompt is rendered before the first call, so a missing
 * placeholder costs nothing; a row that fails is marked with its error while the others complete, except for a
 * fatal error (bad key, endpoint down) that would fail them all, which stops the batch.
 */
public final class Batch {
    /**
     * The output table and its totals, for the run that records the batch. Tokens and cost add up the rows whose
     * counts the server reported; {@code uncounted} rows answered without them.
     */
    public record Result(Table table, int rows, int failed, int cached, long promptTokens, long completionTokens,
            int uncounted, double cost, double meanLatencyMs, double p95LatencyMs, double wallMs) {}

    private final Model model;
    private final Table input;
    private final List<String> prompts;

    Batch(Model model, Table input, Template template, Function<String, Object> variables) {
        this.model = model;
        this.input = input;
        List<String> columns = input.columnNames();
        template.requireAll(n -> columns.contains(n) || variables.apply(n) != null,
                "the table has no column and the notebook no variable");
        List<String> p = new ArrayList<>(input.rowCount());
        for (int r = 0; r < input.rowCount(); r++) {
            int row = r;
            p.add(template.render(n -> columns.contains(n) ? input.column(n).getString(row) : variables.apply(n)));
        }
        this.prompts = p;
    }

    Result run(BatchProgress progress) throws InterruptedException {
        int n = prompts.size();
        String[] output = new String[n], error = new String[n];
        double[] latency = new double[n], cost = new double[n];
        int[] promptTokens = new int[n], completionTokens = new int[n];
        boolean[] cached = new boolean[n];
        long t0 = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(model.concurrency(), n)),
                Thread.ofVirtual().name("prompt-", 0).factory());
        CompletionService<Integer> done = new ExecutorCompletionService<>(pool);
        LlmException fatal = null;
        int failed = 0;
        try {
            for (int i = 0; i < n; i++) {
                int row = i;
                done.submit(() -> {
                    try {
                        Completion c = model.call(model.request(model.messages(prompts.get(row))), null);
                        output[row] = c.text();
                        latency[row] = c.latencyMs();
                        promptTokens[row] = c.promptTokens();
                        completionTokens[row] = c.completionTokens();
                        cost[row] = c.cost();
                        cached[row] = c.cached();
                    } catch (LlmException e) {
                        if (e.fatal()) throw e;
                        error[row] = e.getMessage();
                    } catch (RuntimeException e) {
                        error[row] = e.toString();
                    }
                    return row;
                });
            }
            progress.update(0, 0, n);
            for (int finished = 0; finished < n; finished++) {
                try {
                    int row = done.take().get();
                    if (error[row] != null) failed++;
                } catch (java.util.concurrent.ExecutionException e) {
                    if (e.getCause() instanceof LlmException le) {
                        fatal = le;
                        break;
                    }
                    throw new LlmException("a batch row failed: " + e.getCause(), true, e.getCause());
                }
                progress.update(finished + 1, failed, n);
            }
        } finally {
            // On an interrupt or a fatal error this cancels the requests still in flight.
            pool.shutdownNow();
            pool.awaitTermination(5, TimeUnit.SECONDS);
        }
        if (fatal != null) throw fatal;
        double wall = (System.nanoTime() - t0) / 1e6;
        return new Result(table(output, error, latency, promptTokens, completionTokens, cost, cached), n, failed,
                count(cached), sum(promptTokens), sum(completionTokens), uncounted(promptTokens, completionTokens, error),
                Arrays.stream(cost).filter(c -> !Double.isNaN(c)).sum(), mean(latency, error), p95(latency, error), wall);
    }

    private Table table(String[] output, String[] error, double[] latency, int[] pt, int[] ct, double[] cost, boolean[] cached) {
        Table t = input.copy();
        t.setName(input.name() == null ? "prompts" : input.name());
        StringColumn out = StringColumn.create(unique(t, "output"));
        StringColumn err = StringColumn.create(unique(t, "error"));
        for (int i = 0; i < output.length; i++) {
            out.append(output[i] == null ? "" : output[i]);
            err.append(error[i] == null ? "" : error[i]);
        }
        t.addColumns(out, DoubleColumn.create(unique(t, "latency_ms"), latency), tokens(unique(t, "prompt_tokens"), pt),
                tokens(unique(t, "completion_tokens"), ct), DoubleColumn.create(unique(t, "cost"), cost),
                BooleanColumn.create(unique(t, "cached"), cached), err);
        return t;
    }

    /** A result column whose name the input already uses gets a suffix, so a result can be prompted over again. */
    private static String unique(Table t, String name) {
        String n = name;
        for (int i = 2; t.columnNames().contains(n); i++) n = name + "_" + i;
        return n;
    }

    private static int count(boolean[] b) {
        int c = 0;
        for (boolean x : b) if (x) c++;
        return c;
    }

    /** A count the server did not report is a missing cell, not a zero. */
    private static IntColumn tokens(String name, int[] counts) {
        IntColumn c = IntColumn.create(name);
        for (int n : counts) {
            if (n < 0) c.appendMissing();
            else c.append(n);
        }
        return c;
    }

    private static long sum(int[] a) {
        long s = 0;
        for (int x : a) if (x >= 0) s += x;
        return s;
    }

    private static int uncounted(int[] prompt, int[] completion, String[] error) {
        int n = 0;
        for (int i = 0; i < prompt.length; i++) if (error[i] == null && (prompt[i] < 0 || completion[i] < 0)) n++;
        return n;
    }

    private static double mean(double[] a, String[] error) {
        double s = 0;
        int n = 0;
        for (int i = 0; i < a.length; i++) {
            if (error[i] == null) {
                s += a[i];
                n++;
            }
        }
        return n == 0 ? 0 : s / n;
    }

    private static double p95(double[] a, String[] error) {
        double[] ok = java.util.stream.IntStream.range(0, a.length).filter(i -> error[i] == null).mapToDouble(i -> a[i]).sorted().toArray();
        if (ok.length == 0) return 0;
        return ok[Math.min(ok.length - 1, (int) Math.ceil(0.95 * ok.length) - 1)];
    }
}
