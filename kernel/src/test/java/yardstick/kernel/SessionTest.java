package yardstick.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import yardstick.kernel.comm.CommManager;
import yardstick.kernel.eval.Outcome;

class SessionTest {
    static Session session;

    @BeforeAll
    static void start() {
        session = new Session(Path.of("."), new CommManager(null));
    }

    @AfterAll
    static void stop() {
        session.close();
    }

    static Outcome run(String code, RecordingSink sink) {
        return session.execute(code, sink, "cell [t]");
    }

    static Outcome run(String code) {
        return run(code, new RecordingSink());
    }

    @Test
    void lastExpressionIsTheLiveValue() {
        Outcome o = run("record Point(int x, int y) {}\nvar p = new Point(1, 2);\np");
        assertTrue(o.ok());
        assertTrue(o.hasValue());
        assertEquals("Point", o.value().getClass().getSimpleName());
        assertEquals("Point[x=1, y=2]", session.render(o.value()).plain());
    }

    @Test
    void declarationsShowNoValue() {
        Outcome o = run("int declaredOnly = 5;");
        assertTrue(o.ok());
        assertFalse(o.hasValue());
        assertEquals(5, run("declaredOnly").value());
    }

    @Test
    void methodsAndVariablesCanBeRedefined() {
        run("int twice(int x) { return 2 * x; }");
        assertEquals(8, run("twice(4)").value());
        run("int twice(int x) { return x + x + 1; }");
        assertEquals(9, run("twice(4)").value());
        run("String shape = \"square\";");
        run("int shape = 4;");
        assertEquals(4, run("shape").value());
    }

    @Test
    void anImportAfterABlankLineKeepsEarlierVariables() {
        // JShell re-creates every variable, reset to null, when an import's source starts with a line break.
        run("String kept = \"x\";");
        assertTrue(run("\n// imports\nimport java.util.concurrent.atomic.*;\n").ok());
        assertEquals("x", run("kept").value());
    }

    @Test
    void aCompileErrorInAnySnippetRunsNothing() {
        RecordingSink sink = new RecordingSink();
        Outcome o = run("int ranFirst = 1;\nSystem.out.println(\"side effect\");\nString wrongType = 42;\nint ranAfter = 3;", sink);
        assertFalse(o.ok());
        assertEquals("CompilationException", o.error().ename());
        assertEquals("", sink.stdout.toString());
        assertFalse(run("ranFirst").ok(), "a declaration before the failing snippet is dropped again");
        assertFalse(run("ranAfter").ok());
    }

    @Test
    void aRuntimeErrorKeepsWhatRanBeforeIt() {
        RecordingSink sink = new RecordingSink();
        Outcome o = run("int ranBefore = 7;\nSystem.out.println(\"printed\");\nInteger.parseInt(\"x\");\nint notReached = 1;", sink);
        assertFalse(o.ok());
        assertEquals("NumberFormatException", o.error().ename());
        assertEquals("printed\n", sink.stdout.toString());
        assertEquals(7, run("ranBefore").value());
        assertEquals(0, run("notReached").value(), "declared by the compile pass, its initializer never ran");
    }

    @Test
    void aCellsValueIsItsLastSnippetsAfterAllRan() {
        Outcome o = run("var sb = new StringBuilder();\nsb.append(\"a\");\nsb.append(\"b\");\nsb.toString()");
        assertTrue(o.ok());
        assertEquals("ab", o.value());
        assertFalse(run("sb.length();\nint trailingDecl = 2;").hasValue());
    }

    @Test
    void compileErrorsPointAtTheCellLineAndColumn() {
        Outcome o = run("int a = 1;\nint b = 2;\nint c = a + missing;\n");
        assertFalse(o.ok());
        assertEquals("CompilationException", o.error().ename());
        String first = o.error().traceback().get(0);
        assertTrue(first.startsWith("line 3, column 13: cannot find symbol"), first);
    }

    @Test
    void lineMagicsDoNotShiftErrorLines() {
        session.magics().register(new yardstick.kernel.magic.Magic() {
            public String name() {
                return "noop";
            }

            public String usage() {
                return "%noop";
            }

            public Object run(yardstick.kernel.magic.MagicCall call) {
                return null;
            }
        });
        Outcome o = run("int m1 = 1;\n%noop\nint m2 = m1 +;\n");
        assertFalse(o.ok());
        assertTrue(o.error().traceback().get(0).startsWith("line 3,"), o.error().traceback().get(0));
    }

    @Test
    void runtimeErrorsAreTrimmedToTheCell() {
        Outcome o = run("void fail() {\n  throw new IllegalStateException(\"boom\");\n}\nfail();");
        assertFalse(o.ok());
        assertEquals("IllegalStateException", o.error().ename());
        assertEquals("boom", o.error().evalue());
        String trace = String.join("\n", o.error().traceback());
        assertTrue(trace.contains("fail(cell [t] line 2)"), trace);
        assertFalse(trace.contains("jdk.jshell") || trace.contains("KernelExecutionControl") || trace.contains("reflect"), trace);
    }

    @Test
    void stackTraceLinesCountFromTheCellForEverySnippet() {
        Outcome o = run("int pad = 0;\n// a comment\nvoid boom() {\n  throw new RuntimeException(\"x\");\n}\nboom();");
        String trace = String.join("\n", o.error().traceback());
        assertTrue(trace.contains("boom(cell [t] line 4)"), trace);
        assertTrue(trace.contains("(cell [t] line 6)"), trace);
    }

    @Test
    void outputOfAThreadTheCellStartedReachesThatCellAfterItEnded() throws Exception {
        RecordingSink first = new RecordingSink();
        assertTrue(run("new Thread(() -> { try { Thread.sleep(300); } catch (InterruptedException e) {} "
                + "System.out.println(\"late\"); }).start();", first).ok());
        RecordingSink second = new RecordingSink();
        run("System.out.println(\"second\");", second);
        for (int i = 0; i < 40 && !first.stdout.toString().contains("late"); i++) Thread.sleep(50);
        assertEquals("late\n", first.stdout.toString());
        assertEquals("second\n", second.stdout.toString());
    }

    @Test
    void libraryLogWarningsReachTheCellButNotTheirInfo() {
        RecordingSink sink = new RecordingSink();
        assertTrue(run("var log = java.util.logging.Logger.getLogger(\"some.library\");\n"
                + "log.info(\"chatter\");\nlog.warning(\"careful\");", sink).ok());
        assertTrue(sink.stderr.toString().contains("careful"), sink.stderr.toString());
        assertFalse(sink.stderr.toString().contains("chatter"), sink.stderr.toString());
    }

    @Test
    void aMillionLinesArriveWhole() {
        RecordingSink sink = new RecordingSink();
        assertTrue(run("for (int i = 0; i < 1_000_000; i++) System.out.println(i);", sink).ok());
        String out = sink.stdout.toString();
        assertEquals(1_000_000, out.lines().count());
        assertTrue(out.endsWith("999999\n"));
    }

    @Test
    void interruptStopsAnEndlessLoopAndStateSurvives() {
        run("int survivor = 7;");
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        try {
            timer.schedule(session::interrupt, 500, TimeUnit.MILLISECONDS);
            long t0 = System.nanoTime();
            Outcome o = run("while (true) {}");
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertFalse(o.ok());
            assertEquals("Interrupted", o.error().ename());
            assertTrue(ms < 2500, "took " + ms + " ms");
            timer.schedule(session::interrupt, 300, TimeUnit.MILLISECONDS);
            Outcome sleeping = run("Thread.sleep(60_000);");
            assertFalse(sleeping.ok());
        } finally {
            timer.shutdownNow();
        }
        assertEquals(7, run("survivor").value());
    }

    @Test
    void outOfMemoryIsReportedAndTheSessionLives() {
        Outcome o = run("long[][] hog = new long[100_000][];\nfor (int i = 0; i < hog.length; i++) hog[i] = new long[50_000_000];");
        assertFalse(o.ok());
        assertEquals("OutOfMemoryError", o.error().ename());
        assertEquals(2, run("1 + 1").value());
    }

    @Test
    void systemInReadsThroughTheSink() {
        RecordingSink sink = new RecordingSink();
        sink.inputs.add("Ada");
        Outcome o = run("new Scanner(System.in).nextLine()", sink);
        assertTrue(o.ok(), () -> String.valueOf(o.error()));
        assertEquals("Ada", o.value());
    }

    @Test
    void displayAndUpdateUseOneId() {
        RecordingSink sink = new RecordingSink();
        Outcome o = run("String id = display(\"first\");\nupdateDisplay(id, 42);\nclearOutput();", sink);
        assertTrue(o.ok(), () -> String.valueOf(o.error()));
        assertEquals(2, sink.displays.size());
        assertEquals("\"first\"", sink.displays.get(0).plain());
        assertEquals("42", sink.displays.get(1).plain());
        assertEquals("update:" + sink.displayIds.get(0), sink.displayIds.get(1));
        assertEquals(1, sink.clears);
    }

    @Test
    void unknownMagicIsOneLineWithoutStackTrace() {
        Outcome o = run("%nosuchmagic arg");
        assertFalse(o.ok());
        assertEquals(1, o.error().traceback().size());
        assertTrue(o.error().evalue().contains("%nosuchmagic"));
    }

    @Test
    void valueOfLeavesNoTemporaryVariables() {
        run("int base = 3;");
        long before = session.evaluator().variables().size();
        assertEquals(4, session.evaluator().valueOf("base + 1").value());
        assertEquals(before, session.evaluator().variables().size());
    }
}
