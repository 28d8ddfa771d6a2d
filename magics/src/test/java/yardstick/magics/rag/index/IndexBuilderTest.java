package yardstick.magics.rag.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import yardstick.magics.rag.RagException;
import yardstick.magics.rag.embed.Embedders;
import yardstick.magics.rag.read.TestFiles;
import yardstick.magics.rag.search.ChunkSearcher;
import yardstick.magics.rag.search.Hit;

class IndexBuilderTest {
    static CountingEmbedder model;
    @TempDir Path docs;
    @TempDir Path index;

    @BeforeAll
    static void load() {
        model = new CountingEmbedder(Embedders.get(Embedders.MINILM));
    }

    @BeforeEach
    void corpus() throws Exception {
        model.texts.clear();
        Files.writeString(docs.resolve("solar.md"), """
                # Solar power
                Photovoltaic panels convert sunlight into electricity.

                # Storage
                Lithium batteries store the surplus for the night.
                """);
        Files.writeString(docs.resolve("bread.txt"), "Sourdough bread rises slowly because wild yeast is slow.\n");
        Files.createDirectories(docs.resolve("sub"));
        Files.writeString(docs.resolve("sub/page.html"), "<h1>Rivers</h1><p>The Danube flows into the Black Sea.</p>");
        TestFiles.pdf(docs.resolve("sub/report.pdf"), List.of(List.of("Quarterly revenue grew by twelve percent."),
                List.of("Costs fell in the second half.")));
    }

    private BuildReport build(List<String> inputs) throws InterruptedException {
        return build(inputs, IndexOptions.DEFAULTS);
    }

    private BuildReport build(List<String> inputs, IndexOptions options) throws InterruptedException {
        return new IndexBuilder("t", index, model, Embedders.MINILM, options)
                .build(Inputs.resolve(docs, inputs), BuildProgress.NONE);
    }

    @Test
    void buildsChunksWithMetadataAndFindsThemThreeWays() throws Exception {
        List<int[]> progress = new ArrayList<>();
        BuildReport r = new IndexBuilder("t", index, model, Embedders.MINILM, IndexOptions.DEFAULTS)
                .build(Inputs.resolve(docs, List.of(".")), (done, files, chunks, current) -> progress.add(new int[] {done, files}));
        assertEquals(4, r.files());
        assertEquals(4, r.embeddedFiles());
        assertEquals(0, r.unchangedFiles());
        assertEquals(6, r.totalChunks(), r.summary()); // solar: 2 headings; bread; html; pdf: 2 pages
        assertEquals(6, r.embeddedChunks());
        assertEquals("all-minilm-l6-v2", r.embedder());
        assertFalse(progress.isEmpty());
        assertEquals(4, progress.getLast()[1]);

        try (ChunkSearcher s = new ChunkSearcher(index)) {
            assertEquals(6, s.chunkCount());
            Hit pdf = s.bm25("revenue", 1).getFirst();
            assertEquals("sub/report.pdf", pdf.source());
            assertEquals(1, pdf.page());
            assertEquals("sub/report.pdf p.1", pdf.citation());
            Hit md = s.bm25("batteries", 1).getFirst();
            assertEquals("Storage", md.heading());
            String text = Files.readString(docs.resolve("solar.md"));
            assertEquals(md.text(), text.substring(md.start(), md.end()));
            Hit semantic = s.vector(model.embed("Which sea does the river end in?"), 1).getFirst();
            assertEquals("sub/page.html", semantic.source());
            assertEquals("Rivers", semantic.heading());
        }
    }

    @Test
    void aSecondRunReEmbedsOnlyChangedFilesAndDropsRemovedOnes() throws Exception {
        build(List.of("."));
        model.texts.clear();

        BuildReport same = build(List.of("."));
        assertEquals(4, same.unchangedFiles());
        assertEquals(0, same.embeddedFiles());
        assertEquals(0, same.embeddedChunks());
        assertEquals(List.of(), CountingEmbedder.copy(model));
        assertEquals(6, same.totalChunks());

        Files.writeString(docs.resolve("bread.txt"), "Rye bread keeps for a week when wrapped in cloth.\n");
        Files.delete(docs.resolve("sub/page.html"));
        BuildReport changed = build(List.of("."));
        assertEquals(1, changed.embeddedFiles());
        assertEquals(2, changed.unchangedFiles());
        assertEquals(1, changed.removedFiles());
        assertEquals(List.of("Rye bread keeps for a week when wrapped in cloth."), CountingEmbedder.copy(model));
        assertEquals(5, changed.totalChunks());
        try (ChunkSearcher s = new ChunkSearcher(index)) {
            assertEquals(List.of(), s.bm25("sourdough", 5));
            assertEquals(List.of(), s.bm25("Danube", 5));
            assertEquals("bread.txt", s.bm25("rye", 5).getFirst().source());
        }
    }

    @Test
    void changedOptionsRebuildEverything() throws Exception {
        build(List.of("."));
        model.texts.clear();
        BuildReport r = build(List.of("."), IndexOptions.DEFAULTS.withChunk(64, 8));
        assertTrue(r.rebuilt());
        assertEquals(4, r.embeddedFiles());
        assertEquals(6, CountingEmbedder.copy(model).size());
    }

    @Test
    void binaryEncryptedAndBrokenFilesAreSkippedAndReported() throws Exception {
        Files.write(docs.resolve("image.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 0, 0, 13});
        TestFiles.pdf(docs.resolve("locked.pdf"), List.of(List.of("classified")), "secret");
        Files.writeString(docs.resolve("broken.pdf"), "%PDF-1.4\ngarbage\n");
        Files.createSymbolicLink(docs.resolve("dangling.txt"), docs.resolve("nowhere.txt"));
        BuildReport r = build(List.of("."));
        assertEquals(Map.of("image.png", "binary file", "locked.pdf", "encrypted PDF (needs a password)",
                "dangling.txt", "unreadable: " + docs.resolve("dangling.txt")), withoutPdfDetail(r.skipped()));
        assertTrue(r.skipped().get("broken.pdf").startsWith("unreadable PDF: "), r.skipped().toString());
        assertEquals(4, r.embeddedFiles());
        assertTrue(r.summary().contains("skipped locked.pdf: encrypted PDF (needs a password)"), r.summary());
        assertTrue(r.summary().startsWith("8 files: 4 embedded, 0 unchanged, 0 removed, 4 skipped"), r.summary());
    }

    private static Map<String, String> withoutPdfDetail(Map<String, String> skipped) {
        var m = new java.util.HashMap<>(skipped);
        m.remove("broken.pdf");
        return m;
    }

    @Test
    void missingInputsAreClearErrors() {
        assertEquals("no such file or folder: nope.md",
                assertThrows(RagException.class, () -> build(List.of("nope.md"))).getMessage());
        assertEquals("no files match *.docx",
                assertThrows(RagException.class, () -> build(List.of("*.docx"))).getMessage());
        assertEquals(List.of("solar.md", "sub/page.html"), List.copyOf(Inputs.resolve(docs, List.of("**.{md,html}")).keySet()));
    }

    @Test
    void anIndexBeingWrittenByAnotherProcessIsAClearError() throws Exception {
        Process holder = child("hold", index.toString());
        try {
            assertEquals("holding", firstLine(holder));
            var e = assertThrows(IndexLockedException.class, () -> build(List.of(".")));
            assertEquals("index t is being written by another kernel or process (its write.lock is held); "
                    + "wait for that build to finish", e.getMessage());
        } finally {
            holder.destroyForcibly().waitFor();
        }
        assertEquals(4, build(List.of(".")).embeddedFiles(), "the lock goes with the process that held it");
    }

    @Test
    void aBuildKilledMidwayLeavesTheLastCommit() throws Exception {
        build(List.of("."));
        Files.writeString(docs.resolve("bread.txt"), "Focaccia needs olive oil and a hot oven.\n");
        Files.writeString(docs.resolve("zebra.txt"), "Zebras have black and white stripes.\n");
        Files.delete(docs.resolve("solar.md"));
        Process build = child("build", index.toString(), docs.toString(), ".");
        try {
            assertEquals("midway", firstLine(build));
        } finally {
            build.destroyForcibly().waitFor(); // kill -9: no rollback, no close
        }
        try (ChunkSearcher s = new ChunkSearcher(index)) {
            assertEquals(6, s.chunkCount());
            assertEquals("bread.txt", s.bm25("sourdough", 1).getFirst().source());
            assertEquals(List.of(), s.bm25("focaccia", 1));
            assertEquals("solar.md", s.bm25("photovoltaic", 1).getFirst().source());
        }
        BuildReport after = build(List.of("."));
        assertEquals(2, after.embeddedFiles());
        assertEquals(1, after.removedFiles());
        try (ChunkSearcher s = new ChunkSearcher(index)) {
            assertEquals("bread.txt", s.bm25("focaccia", 1).getFirst().source());
        }
    }

    @Test
    void anInterruptedBuildRollsBack() throws Exception {
        build(List.of("."));
        Files.writeString(docs.resolve("bread.txt"), "Brioche is rich with butter and eggs.\n");
        Files.writeString(docs.resolve("zebra.txt"), "Zebras have black and white stripes.\n");
        // Interrupted as %rag index is when the person presses stop: after the first changed file is embedded.
        Thread cell = Thread.currentThread();
        var builder = new IndexBuilder("t", index, model, Embedders.MINILM, IndexOptions.DEFAULTS);
        assertThrows(InterruptedException.class, () -> builder.build(Inputs.resolve(docs, List.of(".")),
                (done, files, chunks, current) -> { if (chunks > 0) cell.interrupt(); }));
        assertFalse(Thread.interrupted());
        assertEquals(List.of("Brioche is rich with butter and eggs."), CountingEmbedder.copy(model).subList(6, 7));
        try (ChunkSearcher s = new ChunkSearcher(index)) {
            assertEquals(List.of(), s.bm25("brioche", 1));
            assertEquals(6, s.chunkCount());
        }
    }

    private static Process child(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=error",
                "-cp", System.getProperty("java.class.path"), BuildChild.class.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    private static String firstLine(Process p) throws Exception {
        var in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        var line = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return in.readLine();
            } catch (java.io.IOException e) {
                return "error: " + e;
            }
        });
        return line.get(60, TimeUnit.SECONDS);
    }
}
