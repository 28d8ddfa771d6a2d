package yardstick.kernel.magic.builtin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import yardstick.kernel.eval.Outcome;

class TimingMagicsTest {
    /** The summary line IPython prints, with a unit on both numbers. */
    private static final String SUMMARY = "[0-9.]+ (s|ms|µs|ns) ± [0-9.]+ (s|ms|µs|ns) per loop \\(mean ± std\\. dev\\. of "
            + "%d runs?, %s loops? each\\)\n";

    @TempDir
    static Path dir;
    static TestNotebook nb;

    @BeforeAll
    static void start() {
        nb = new TestNotebook(dir);
    }

    @AfterAll
    static void stop() {
        nb.close();
    }

    @Test
    void timeReturnsTheValueAndPrintsWallTime() {
        assertEquals(6, nb.ok("%time 1 + 2 + 3"));
        assertTrue(nb.out().matches("(?s)CPU time: .*\nWall time: [0-9.]+ (s|ms|µs|ns)\n"), nb.out());
    }

    @Test
    void timeKeepsDeclarationsDefinedAndCellFormTimesTheBody() {
        assertNull(nb.ok("%time int timed = 7;"));
        assertEquals(14, nb.ok("timed * 2"));
        assertEquals("ab", nb.ok("%%time\nString a = \"a\";\na + \"b\""));
        assertTrue(nb.out().contains("Wall time: "), nb.out());
        assertEquals("a", nb.ok("a"));
    }

    @Test
    void timeMeasuresRealWork() {
        nb.ok("%time Thread.sleep(300);");
        String wall = nb.out().lines().filter(l -> l.startsWith("Wall time: ")).findFirst().orElseThrow();
        assertTrue(wall.matches("Wall time: ([3-9]\\d\\d ms|[0-9.]+ s)"), "at least the 300 ms slept: " + wall);
    }

    @Test
    void timeFailsWithTheCodesOwnError() {
        Outcome o = nb.run("%time Integer.parseInt(\"nope\")");
        assertFalse(o.ok());
        assertEquals("NumberFormatException", o.error().ename());
        assertTrue(o.error().evalue().contains("nope"), o.error().evalue());
        assertTrue(nb.out().contains("Wall time: "), "the time is still reported: " + nb.out());
        o = nb.run("%time undefinedThing + 1");
        assertEquals("CompilationException", o.error().ename());
    }

    @Test
    void timeWithoutCodeIsAMagicError() {
        assertTrue(nb.fails("%time").startsWith("MagicError: %time: nothing to time"));
        assertTrue(nb.fails("%%time extra\n1").contains("%%time takes no arguments"));
    }

    @Test
    void timeitChoosesLoopsAsIPythonDoes() {
        assertNull(nb.ok("%timeit Math.sqrt(2.0)"));
        String out = summary();
        assertTrue(out.matches(String.format(SUMMARY, 7, "[0-9,]+")), out);
        long loops = Long.parseLong(out.replaceAll("(?s).*runs, ([0-9,]+) loops? each.*", "$1").replace(",", ""));
        assertTrue(String.valueOf(loops).matches("10*"), "a power of ten: " + loops);
        assertTrue(loops >= 1000, "a cheap expression needs many loops to fill 0.2 s: " + loops);
    }

    @Test
    void timeitHonoursLoopsAndRunsAndReturnsTheResultWithO() {
        nb.ok("int counter = 0;");
        TimeitResult r = assertInstanceOf(TimeitResult.class, nb.ok("%timeit -n 5 -r 3 -o counter++;"));
        assertTrue(summary().matches(String.format(SUMMARY, 3, "5")), nb.out());
        assertEquals(5, r.loops());
        assertEquals(3, r.runs());
        assertEquals(15, nb.ok("counter"), "the statement ran exactly loops x runs times");
        assertTrue(r.mean() > 0 && r.best() <= r.mean() && r.mean() <= r.worst(), r.toString());
    }

    @Test
    void timeitMeasuresSleepsInTheRightUnit() {
        TimeitResult r = (TimeitResult) nb.ok("%timeit -q -o -n 2 -r 2 Thread.sleep(20);");
        assertEquals("", nb.out(), "-q prints nothing");
        assertTrue(r.mean() >= 0.019 && r.mean() < 1, "about 20 ms per loop: " + r);
        assertTrue(r.toString().matches("[0-9.]+ ms ± .*"), r.toString());
    }

    @Test
    void cellTimeitRunsSetupOnceAndTimesTheBody() {
        nb.ok("int setups = 0;");
        nb.ok("%%timeit -n 10 -r 2 setups++; StringBuilder sb = new StringBuilder();\nsb.append('x');\n");
        assertTrue(summary().matches(String.format(SUMMARY, 2, "10")), nb.out());
        assertEquals(1, nb.ok("setups"));
        assertEquals(20, nb.ok("sb.length()"));
    }

    @Test
    void timeitReportsTheCodesErrorAndBadOptions() {
        Outcome o = nb.run("%timeit -n 1 -r 1 Integer.parseInt(\"x\")");
        assertEquals("NumberFormatException", o.error().ename());
        assertEquals("CompilationException", nb.run("%timeit noSuchVariable.foo()").error().ename());
        assertTrue(nb.fails("%timeit -n zero 1").contains("option -n needs a positive integer, got 'zero'"));
        assertTrue(nb.fails("%timeit -x 1").contains("unknown option -x"));
        assertTrue(nb.fails("%timeit -r 3").contains("nothing to time"));
    }

    @Test
    void interruptStopsTimeitAndTheSessionGoesOn() throws Exception {
        nb.ok("int survivor = 3;");
        CompletableFuture<Outcome> running = CompletableFuture.supplyAsync(
                () -> nb.run("%timeit -n 1000000000 -r 1000 Math.sqrt(survivor)"));
        Thread.sleep(700);
        long t0 = System.nanoTime();
        nb.session.interrupt();
        Outcome o = running.get(10, TimeUnit.SECONDS);
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(2), "stopped within 2 s");
        assertEquals("Interrupted", o.error().ename(), String.join("\n", o.error().traceback()));
        assertEquals(3, nb.ok("survivor"));

        running = CompletableFuture.supplyAsync(() -> nb.run("%time while (true) {}"));
        Thread.sleep(500);
        nb.session.interrupt();
        assertEquals("Interrupted", running.get(10, TimeUnit.SECONDS).error().ename());
        assertEquals(3, nb.ok("survivor"));
    }

    /** The first line %timeit printed; a second one may warn that runs varied a lot. */
    private static String summary() {
        return nb.out().lines().findFirst().orElse("") + "\n";
    }

    @Test
    void durationsUseIPythonsUnitsAndThreeDigits() {
        assertEquals("1.23 s", Durations.format(1.234));
        assertEquals("12.3 ms", Durations.format(0.012345));
        assertEquals("100 µs", Durations.format(0.0001));
        assertEquals("5 ns", Durations.format(5e-9));
        assertEquals("2min 5s", Durations.format(125));
        assertEquals("1h 0min 1s", Durations.format(3601));
    }
}
