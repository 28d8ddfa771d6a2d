package yardstick.magics.rag.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReadersTest {
    @TempDir Path dir;
    final Readers readers = new Readers();

    @Test
    void plainTextIsSplitIntoParagraphsWithExactOffsets() throws Exception {
        String text = "First paragraph\nstill first.\n\n  Second one.  \n\n\n\nThird.\n";
        Path f = write("notes.txt", text);
        SourceDocument doc = single(f);
        assertEquals(List.of("First paragraph\nstill first.", "Second one.", "Third."), texts(doc));
        Block second = doc.blocks().get(1);
        assertEquals(text.indexOf("Second"), second.start());
        assertEquals("", second.heading());
        assertEquals(0, second.page());
    }

    @Test
    void markdownHeadingsNameTheBlocksUnderThemAndFencesStayWhole() throws Exception {
        String md = """
                Intro before any heading.

                # Install
                Run the installer.

                ## Options ##
                Use --prefix.

                ```
                # not a heading

                still code
                ```
                After code.
                """;
        SourceDocument doc = single(write("guide.md", md));
        assertEquals(List.of("Intro before any heading.", "Run the installer.", "Use --prefix.",
                "```\n# not a heading\n\nstill code\n```", "After code."), texts(doc));
        assertEquals(List.of("", "Install", "Options", "Options", "Options"),
                doc.blocks().stream().map(Block::heading).toList());
    }

    @Test
    void htmlKeepsVisibleTextWithHeadingsAndDropsScripts() throws Exception {
        String html = """
                <html><head><title>t</title><style>p { color: red }</style></head><body>
                <h1>Solar  power</h1><p>Panels turn <b>light</b> into current.</p>
                <script>var secret = 1;</script>
                <ul><li>cheap</li><li>quiet</li></ul>
                <h2>Storage</h2><div>Batteries<br>store it.</div>
                </body></html>""";
        SourceDocument doc = single(write("page.html", html));
        assertEquals(List.of("Panels turn light into current.", "cheap", "quiet", "Batteries\nstore it."), texts(doc));
        assertEquals(List.of("Solar power", "Solar power", "Solar power", "Storage"),
                doc.blocks().stream().map(Block::heading).toList());
        assertTrue(!doc.text().contains("secret") && !doc.text().contains("color"));
    }

    @Test
    void pdfBlocksCarryTheirPage() throws Exception {
        Path f = dir.resolve("paper.pdf");
        TestFiles.pdf(f, List.of(List.of("Abstract text on page one."),
                List.of("Results are on page two.", "", "A second paragraph on page two.")));
        SourceDocument doc = single(f);
        List<Block> blocks = doc.blocks();
        assertEquals("Abstract text on page one.", doc.text(blocks.get(0)));
        assertEquals(1, blocks.get(0).page());
        assertTrue(blocks.stream().anyMatch(b -> b.page() == 2 && doc.text(b).contains("Results are on page two.")));
        assertTrue(blocks.stream().allMatch(b -> b.page() == 1 || b.page() == 2));
    }

    @Test
    void codeBlocksAreHeadedByTheirDeclaration() throws Exception {
        String java = """
                package demo;

                public class Greeter {

                    String greet(String name) {
                        return "hi " + name;
                    }
                }

                record Pair(int a, int b) {
                }
                """;
        SourceDocument doc = single(write("Greeter.java", java));
        assertEquals(List.of("", "public class Greeter", "public class Greeter", "record Pair(int a, int b)"),
                doc.blocks().stream().map(Block::heading).toList());
    }

    @Test
    void jsonlAndCsvRowsBecomeDocumentsWithChosenColumns() throws Exception {
        Path jsonl = write("corpus.jsonl", """
                {"_id": "d1", "title": "Aspirin", "text": "Aspirin reduces fever.", "n": 3}

                {"_id": "d2", "title": "Sleep", "text": "Sleep helps memory."}
                """);
        var rows = new Readers(List.of("title", "text"), null).read(jsonl, "corpus.jsonl");
        assertEquals(List.of("d1", "d2"), rows.stream().map(SourceDocument::id).toList());
        assertEquals("Aspirin\n\nAspirin reduces fever.", rows.get(0).text());
        assertEquals(2, rows.get(0).blocks().size());

        Path csv = write("faq.csv", "question,answer\n\"How, exactly?\",Like this.\nWhy?,Because.\n");
        var faq = new Readers(List.of("answer"), "question").read(csv, "faq.csv");
        assertEquals(List.of("How, exactly?", "Why?"), faq.stream().map(SourceDocument::id).toList());
        assertEquals("Because.", faq.get(1).text());
    }

    @Test
    void rowsWithoutTheTextColumnAreAClearSkip() throws Exception {
        Path jsonl = write("x.jsonl", "{\"body\": \"b\", \"id\": 1}\n");
        var e = assertThrows(SkippedFileException.class, () -> readers.read(jsonl, "x.jsonl"));
        assertEquals("no text column text (columns: body, id); choose one with --text-column", e.getMessage());
        Path bad = write("bad.jsonl", "{\"text\": \"ok\"}\n{oops\n");
        assertTrue(assertThrows(SkippedFileException.class, () -> readers.read(bad, "bad.jsonl"))
                .getMessage().startsWith("line 2 is not JSON"));
    }

    @Test
    void binaryEncryptedBrokenAndMissingFilesAreSkippedWithAReason() throws Exception {
        Path bin = dir.resolve("blob.txt");
        Files.write(bin, new byte[] {'a', 0, 1, 2, 'b'});
        assertEquals("binary file", assertThrows(SkippedFileException.class, () -> readers.read(bin, "b")).getMessage());

        Path locked = dir.resolve("locked.pdf");
        TestFiles.pdf(locked, List.of(List.of("secret")), "pw");
        assertEquals("encrypted PDF (needs a password)",
                assertThrows(SkippedFileException.class, () -> readers.read(locked, "l")).getMessage());

        Path broken = write("broken.pdf", "%PDF-1.7\nthis is not really a pdf\n");
        assertTrue(assertThrows(SkippedFileException.class, () -> readers.read(broken, "x"))
                .getMessage().startsWith("unreadable PDF: "));

        Path dangling = dir.resolve("gone.md");
        Files.createSymbolicLink(dangling, dir.resolve("does-not-exist.md"));
        assertEquals("unreadable: no such file",
                assertThrows(SkippedFileException.class, () -> readers.read(dangling, "g")).getMessage());
    }

    private Path write(String name, String content) throws Exception {
        return Files.writeString(dir.resolve(name), content);
    }

    private SourceDocument single(Path f) throws Exception {
        List<SourceDocument> docs = readers.read(f, f.getFileName().toString());
        assertEquals(1, docs.size());
        SourceDocument d = docs.get(0);
        for (Block b : d.blocks()) assertEquals(d.text().substring(b.start(), b.end()), d.text(b));
        return d;
    }

    private static List<String> texts(SourceDocument d) {
        return d.blocks().stream().map(d::text).toList();
    }
}
