package yardstick.kernel.magic.builtin;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import yardstick.kernel.eval.Outcome;
import yardstick.kernel.magic.CellFailure;
import yardstick.kernel.magic.MagicCall;
import yardstick.kernel.magic.MagicContext;
import yardstick.kernel.magic.Magic;
import yardstick.kernel.magic.MagicException;

/**
 * {@code %timeit} and {@code %%timeit} with IPython's semantics: the loop count grows by tens until a run takes at
 * least 0.2 s (unless {@code -n} fixes it), then {@code -r} runs (default 7) are timed and summarised per loop.
 */
public final class TimeitMagic implements Magic {
    /** Options come first and the code after them, so a minus sign inside the code is never taken for one. */
    private static final Pattern OPTION = Pattern.compile("\\G\\s*(-[nr])(?:\\s+|(?=\\d))(\\S+)|\\G\\s*(-[a-zA-Z]+)(?=\\s|$)");
    static final int DEFAULT_RUNS = 7;

    @Override
    public String name() {
        return "timeit";
    }

    @Override
    public String usage() {
        return "%timeit [-n LOOPS] [-r RUNS] [-q] [-o] CODE | %%timeit [-n LOOPS] [-r RUNS] [-q] [-o] [SETUP]";
    }

    @Override
    public String help() {
        return "Times code as IPython's %timeit does: runs it in a loop of LOOPS (chosen so one run takes at least "
                + "0.2 s unless -n is given), repeats that RUNS times (default 7) and prints the mean and standard "
                + "deviation per loop. CODE is an expression or statements; it is compiled once and measured inside "
                + "JShell, so an interrupt stops it. In the cell form the body is timed and the rest of the first "
                + "line is setup code, run once before. -q prints nothing; -o returns the result.";
    }

    @Override
    public Object run(MagicCall call) throws Exception {
        String raw = call.rawArgs();
        long loops = 0;
        int runs = DEFAULT_RUNS;
        boolean quiet = false, returnResult = false;
        Matcher m = OPTION.matcher(raw);
        int end = 0;
        while (m.find()) {
            end = m.end();
            if (m.group(1) != null) {
                String v = m.group(2);
                if (m.group(1).equals("-n")) loops = positive("-n", v);
                else runs = (int) Math.min(positive("-r", v), 10_000);
            } else {
                for (char c : m.group(3).substring(1).toCharArray()) {
                    if (c == 'q') quiet = true;
                    else if (c == 'o') returnResult = true;
                    else throw new MagicException("unknown option -" + c);
                }
            }
        }
        String rest = raw.substring(end).strip();
        String setup = call.isCell() ? rest : "";
        String code = call.isCell() ? call.body() : rest;
        if (code.isBlank()) throw new MagicException("nothing to time");
        if (!setup.isBlank()) CellCode.run(call.context(), setup);

        TimeitResult result = measure(call.context(), code, loops, runs);
        if (!quiet) {
            StringBuilder out = new StringBuilder(result.toString()).append('\n');
            if (result.worst() > 4 * result.best() && result.best() > 0) {
                out.append(String.format(java.util.Locale.ROOT, "The slowest run took %.2f times longer than the "
                        + "fastest. This could mean that an intermediate result is being cached.%n",
                        result.worst() / result.best()));
            }
            System.out.print(out);
        }
        return returnResult ? result : null;
    }

    private static long positive(String option, String v) throws MagicException {
        try {
            long n = Long.parseLong(v);
            if (n > 0) return n;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new MagicException("option " + option + " needs a positive integer, got '" + v + "'");
    }

    /**
     * Compiles the code into a lambda inside one JShell snippet, first as an expression (its value goes to a sink
     * so the JIT keeps computing it), and, if that does not compile, as statements.
     */
    static TimeitResult measure(MagicContext context, String code, long loops, int runs)
            throws CellFailure, InterruptedException {
        Timeit.Plan plan = Timeit.plan(loops, runs);
        try {
            String call = Timeit.class.getName() + ".measure(" + plan.id + "L, () -> ";
            Outcome o = context.eval(call + Timeit.class.getName() + ".consume(\n" + code + "\n));");
            if (!o.ok() && o.error().ename().equals("CompilationException") && plan.runNanos == null) {
                o = context.eval(call + "{\n" + code + "\n;});");
            }
            if (!o.ok()) throw new CellFailure(o.error());
            if (plan.runNanos == null) throw new InterruptedException("the measurement did not finish");
            double[] perLoop = new double[plan.runs];
            for (int i = 0; i < perLoop.length; i++) perLoop[i] = plan.runNanos[i] / 1e9 / plan.loops;
            return new TimeitResult(plan.loops, perLoop);
        } finally {
            Timeit.forget(plan);
        }
    }
}
