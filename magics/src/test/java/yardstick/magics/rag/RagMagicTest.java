package yardstick.magics.rag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;
import yardstick.kernel.Session;
import yardstick.kernel.comm.CommManager;
import yardstick.kernel.display.MimeBundle;
import yardstick.kernel.eval.Outcome;
import yardstick.kernel.magic.Environment;
import yardstick.kernel.output.OutputSink;
import yardstick.magics.rag.index.BuildReport;

/** %rag as a person types it, in a real notebook session (JShell, magic registry, display). */
class RagMagicTest {
    @TempDir static Path dir;
    static Session session;
    static final Sink sink = new Sink();

    static final class Sink implements OutputSink {
        final StringBuffer out = new StringBuffer();
        final List<MimeBundle> displays = new ArrayList<>();
        final List<String> ids = new ArrayList<>();

        @Override public void stream(String name, String text) { out.append(text); }
        @Override public synchronized void display(MimeBundle b, String id, boolean update) {
            displays.add(b);
            ids.add((update ? "update:" : "") + id);
        }
        @Override public void clearOutput(boolean wait) {}
        @Override public String input(String prompt, boolean password) { return ""; }
    }

    @BeforeAll
    static void start() throws Exception {
        System.setProperty("yardstick.home", dir.resolve("home").toString());
        Environment.shared().set("YARDSTICK_TRACKING", "off");
        Path docs = Files.createDirectories(dir.resolve("docs"));
        Files.writeString(docs.resolve("tea.md"), "# Tea\nGreen tea is steeped at 80 degrees for two minutes.\n");
        Files.writeString(docs.resolve("coffee.txt"), "Espresso is brewed by forcing hot water through ground coffee.\n");
        Files.writeString(dir.resolve("qrels.tsv"), "q1\tdocs/tea.md\t1\n");
        Files.writeString(dir.resolve("queries.tsv"), "q1\thow hot should the water be for green tea\n");
        session = new Session(dir, new CommManager((type, msg) -> {}));
    }

    @AfterAll
    static void stop() {
        session.close();
        System.clearProperty("yardstick.home");
    }

    private static Outcome run(String cell) {
        return session.execute(cell, sink, "cell");
    }

    private static String error(String cell) {
        Outcome o = run(cell);
        assertFalse(o.ok(), cell + " should fail");
        return o.error().evalue();
    }

    @Test
    void indexSearchAndEvalFromMagics() {
        Outcome built = run("%rag index drinks docs --chunk 64 --overlap 8");
        assertTrue(built.ok(), () -> String.valueOf(built.error()));
        BuildReport r = (BuildReport) built.value();
        assertEquals(2, r.embeddedFiles());
        assertTrue(Files.isDirectory(dir.resolve("home/indices/drinks")));

        Outcome found = run("%rag search drinks \"green tea temperature\" -k 2 --mode bm25");
        assertTrue(found.ok(), () -> String.valueOf(found.error()));
        Table t = (Table) found.value();
        assertEquals("docs/tea.md", t.stringColumn("source").get(0));
        assertTrue(t.stringColumn("snippet").get(0).contains("**Green** **tea**"), t.stringColumn("snippet").get(0));

        int before = sink.displays.size();
        Outcome ev = run("%rag eval drinks --qrels qrels.tsv --queries queries.tsv -k 5");
        assertTrue(ev.ok(), () -> String.valueOf(ev.error()));
        assertTrue(sink.displays.size() > before, "the metrics table is displayed");
        assertTrue(sink.displays.getLast().plain().contains("hybrid"), sink.displays.getLast().plain());
        assertTrue(ev.value() instanceof org.knowm.xchart.CategoryChart);

        Outcome java = run("yardstick.magics.rag.Rag.open(\"drinks\").search(\"espresso\").rowCount()");
        assertTrue(java.ok(), () -> String.valueOf(java.error()));
        assertEquals(2, java.value());
    }

    @Test
    void badInputGetsAOneLineError() {
        assertEquals("%rag: missing subcommand: index, search or eval", error("%rag"));
        assertEquals("%rag: unknown subcommand 'find': use index, search or eval", error("%rag find x"));
        assertEquals("%rag: missing index NAME", error("%rag index"));
        assertEquals("%rag: nothing to index: give files, folders or globs after x", error("%rag index x"));
        assertEquals("%rag: no such file or folder: nowhere", error("%rag index x nowhere"));
        assertEquals("%rag: no files match *.xyz", error("%rag index x *.xyz"));
        assertEquals("%rag: no engine named 'elsewhere' is on the class path (engines: kernel)",
                error("%rag index x docs --engine elsewhere"));
        assertEquals("%rag: option --chunk needs an integer, got 'big'", error("%rag index x docs --chunk big"));
        assertEquals("%rag: --overlap must be from 0 to half of --chunk (32), got 40",
                error("%rag index x docs --chunk 64 --overlap 40"));
        assertEquals("%rag: --chunk 1000 is more than all-minilm-l6-v2 reads (256 tokens)",
                error("%rag index x docs --chunk 1000"));
        assertEquals("%rag: unknown option --fast", error("%rag search x \"q\" --fast"));
        assertEquals("%rag: missing the query: %rag search x \"your question\"", error("%rag search x"));
        assertEquals("%rag: put the query in quotes: it was split into 3 words", error("%rag search x green tea now"));
        assertEquals("%rag: unknown search mode 'fuzzy': use hybrid, bm25 or vector",
                error("%rag search x \"q\" --mode fuzzy"));
        assertEquals("%rag: -k must be at least 1, got 0", error("%rag search x \"q\" -k 0"));
        assertEquals("%rag: no index at " + dir.resolve("home/indices/absent") + ": build it first with %rag index",
                error("%rag search absent \"q\""));
        assertEquals("%rag: eval needs --qrels FILE and --queries FILE", error("%rag eval x --qrels qrels.tsv"));
        assertEquals("%rag: no such qrels file: " + dir.resolve("missing.tsv"),
                error("%rag eval x --qrels missing.tsv --queries queries.tsv"));
        assertEquals("%rag: unclosed \" quote", error("%rag search x \"green tea"));
    }

    @Test
    void askAnswersFromRetrievedSourcesWithLinkedCitations() throws Exception {
        assertTrue(run("%rag index asked docs").ok());
        try (var server = new yardstick.magics.llm.FakeOpenAi()) {
            server.then(yardstick.magics.llm.FakeOpenAi.json("Steep it at 80 degrees for two minutes [1].", 50, 12));
            Environment.shared().set("OPENAI_BASE_URL", server.baseUrl());
            Environment.shared().set("OPENAI_MODEL", "test-model");
            Outcome o = run("%%ask asked -k 2\nHow should I make green tea?");
            assertTrue(o.ok(), () -> String.valueOf(o.error()));
            MimeBundle b = (MimeBundle) o.value();
            String html = b.data().get("text/html").toString();
            assertTrue(html.contains("for two minutes <a href=\"#ask-"), html);
            assertTrue(html.contains("title=\"docs/tea.md\">[1]</a>"), html);
            assertTrue(b.plain().endsWith("Sources:\n[1] docs/tea.md\n[2] docs/coffee.txt\n"), b.plain());
            String sent = server.requests.getFirst().toString();
            assertTrue(sent.contains("[1] docs/tea.md — Tea\\nGreen tea is steeped at 80 degrees"), sent);
            assertTrue(sent.contains("Question: How should I make green tea?"), sent);

            assertEquals("%%ask: the question is empty: write it below %%ask", error("%%ask asked\n  "));
            assertEquals("%ask: %%ask is a cell magic: put the question on the lines below it", error("%ask asked"));
            assertEquals("%%ask: missing index NAME", error("%%ask\nwhy?"));
        } finally {
            Environment.shared().set("OPENAI_BASE_URL", "");
            Environment.shared().set("OPENAI_MODEL", "");
        }
    }

    @Test
    void indexingInANotebookShowsAProgressBarUpdatedInPlace() {
        sink.displays.clear();
        sink.ids.clear();
        Outcome o = run("%rag index progress docs");
        assertTrue(o.ok(), () -> String.valueOf(o.error()));
        assertFalse(sink.ids.isEmpty());
        String id = sink.ids.getFirst();
        assertEquals("update:" + id, sink.ids.getLast(), "the final state replaces the bar");
        assertTrue(sink.displays.getFirst().data().get("text/html").toString().contains("<progress"));
        assertTrue(sink.displays.getLast().plain().contains("2/2 files"), sink.displays.getLast().plain());
    }
}
