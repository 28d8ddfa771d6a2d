package yardstick.magics.rag.chunk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import yardstick.magics.rag.read.Block;
import yardstick.magics.rag.read.SourceDocument;

class ChunkerTest {
    /** One token per whitespace-separated word: easy to reason about in tests. */
    static int words(String s) {
        String t = s.strip();
        return t.isEmpty() ? 0 : t.split("\\s+").length;
    }

    @Test
    void smallParagraphsShareAChunkAndHeadingsStartANewOne() {
        String text = "one two three\n\nfour five\n\nsix seven eight";
        var doc = new SourceDocument("d", text, List.of(
                new Block(0, 13, 0, "A"), new Block(15, 24, 0, "A"), new Block(26, text.length(), 0, "B")));
        List<Chunk> chunks = new Chunker(20, 0, ChunkerTest::words).chunk(doc);
        assertEquals(2, chunks.size());
        assertEquals("one two three\n\nfour five", chunks.get(0).text());
        assertEquals("A", chunks.get(0).heading());
        assertEquals(5, chunks.get(0).tokens());
        assertEquals(new Chunk("d", 1, "six seven eight", 26, text.length(), 0, "B", 3), chunks.get(1));
        assertEquals("B\nsix seven eight", chunks.get(1).indexedText());
    }

    @Test
    void aParagraphThatDoesNotFitIsCutAtSentenceEndsWithOverlap() {
        String text = "Alpha beta gamma delta. Epsilon zeta eta theta. Iota kappa lambda mu. Nu xi omicron pi.";
        var doc = new SourceDocument("d", text, List.of(new Block(0, text.length(), 3, "")));
        List<Chunk> chunks = new Chunker(9, 4, ChunkerTest::words).chunk(doc);
        assertEquals(List.of("Alpha beta gamma delta. Epsilon zeta eta theta.",
                "Epsilon zeta eta theta. Iota kappa lambda mu.",
                "Iota kappa lambda mu. Nu xi omicron pi."), chunks.stream().map(Chunk::text).toList());
        assertTrue(chunks.stream().allMatch(c -> c.page() == 3));
    }

    @Test
    void aSentenceLongerThanAChunkIsCutBetweenWords() {
        String text = "w1 w2 w3 w4 w5 w6 w7 w8 w9 w10 w11 w12 w13 w14 w15 w16 w17 w18 w19 w20";
        var doc = new SourceDocument("d", text, List.of(new Block(0, text.length(), 0, "")));
        List<Chunk> chunks = new Chunker(8, 0, ChunkerTest::words).chunk(doc);
        assertEquals(List.of("w1 w2 w3 w4 w5 w6 w7 w8", "w9 w10 w11 w12 w13 w14 w15 w16", "w17 w18 w19 w20"),
                chunks.stream().map(Chunk::text).toList());
    }

    @Test
    void badSizesAreRefused() {
        assertEquals("overlap must be from 0 to half the chunk size (50), got 60",
                assertThrows(IllegalArgumentException.class, () -> new Chunker(100, 60, ChunkerTest::words)).getMessage());
        assertEquals("chunk size must be at least 8 tokens, got 2",
                assertThrows(IllegalArgumentException.class, () -> new Chunker(2, 0, ChunkerTest::words)).getMessage());
    }

    /** Random documents: every chunk fits, offsets are exact, and every word of the document lands in a chunk. */
    @RepeatedTest(20)
    void randomDocumentsAreCoveredWithinTheLimit() {
        Random r = new Random();
        long seed = r.nextLong();
        r.setSeed(seed);
        StringBuilder text = new StringBuilder();
        List<Block> blocks = new ArrayList<>();
        String heading = "h0";
        for (int p = 0; p < 1 + r.nextInt(12); p++) {
            if (r.nextInt(4) == 0) heading = "h" + p;
            int start = text.length();
            for (int s = 0; s < 1 + r.nextInt(6); s++) {
                for (int w = 0; w < 1 + r.nextInt(r.nextInt(10) == 0 ? 60 : 15); w++) text.append("w").append(w).append(' ');
                text.setLength(text.length() - 1);
                text.append(". ");
            }
            text.setLength(text.length() - 1);
            blocks.add(new Block(start, text.length(), 0, heading));
            text.append("\n\n");
        }
        var doc = new SourceDocument("d", text.toString(), blocks);
        int max = 8 + r.nextInt(40), overlap = r.nextInt(max / 2 + 1);
        List<Chunk> chunks = new Chunker(max, overlap, ChunkerTest::words).chunk(doc);
        boolean[] covered = new boolean[text.length()];
        for (Chunk c : chunks) {
            assertTrue(c.tokens() <= max, "seed " + seed + ": " + c.tokens() + " > " + max);
            assertEquals(text.substring(c.start(), c.end()), c.text(), "seed " + seed);
            assertEquals(words(c.text()), c.tokens(), "seed " + seed);
            for (int k = c.start(); k < c.end(); k++) covered[k] = true;
        }
        for (int k = 0; k < text.length(); k++) {
            if (!Character.isWhitespace(text.charAt(k))) assertTrue(covered[k], "seed " + seed + ": char " + k + " not in a chunk");
        }
    }
}
