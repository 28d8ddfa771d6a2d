package yardstick.magics.rag.chunk;

import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToIntFunction;
import yardstick.magics.rag.read.Block;
import yardstick.magics.rag.read.SourceDocument;

/**
 * Packs a document's blocks into chunks of at most {@code maxTokens} tokens. A chunk never spans a heading or page
 * change; whole paragraphs are kept together when they fit, else paragraphs are cut at sentence ends, and only a
 * sentence longer than a chunk is cut between words. Consecutive chunks of one section share up to
 * {@code overlapTokens} tokens of whole sentences.
 */
public final class Chunker {
    private final int maxTokens;
    private final int overlapTokens;
    private final ToIntFunction<String> tokens;

    public Chunker(int maxTokens, int overlapTokens, ToIntFunction<String> tokenCounter) {
        if (maxTokens < 8) throw new IllegalArgumentException("chunk size must be at least 8 tokens, got " + maxTokens);
        if (overlapTokens < 0 || overlapTokens > maxTokens / 2) {
            throw new IllegalArgumentException("overlap must be from 0 to half the chunk size (" + maxTokens / 2
                    + "), got " + overlapTokens);
        }
        this.maxTokens = maxTokens;
        this.overlapTokens = overlapTokens;
        this.tokens = tokenCounter;
    }

    /** A span of the document's text with its token count: a sentence, or a piece of an overlong one. */
    private record Piece(int start, int end, int tokens) {}

    public List<Chunk> chunk(SourceDocument doc) {
        List<Chunk> out = new ArrayList<>();
        List<Block> blocks = doc.blocks();
        int i = 0;
        while (i < blocks.size()) {
            int j = i;
            Block first = blocks.get(i);
            while (j < blocks.size() && blocks.get(j).page() == first.page()
                    && blocks.get(j).heading().equals(first.heading())) j++;
            section(doc, blocks.subList(i, j), out);
            i = j;
        }
        return out;
    }

    private void section(SourceDocument doc, List<Block> blocks, List<Chunk> out) {
        List<Piece> current = new ArrayList<>();
        int used = 0;
        for (Block b : blocks) {
            List<Piece> pieces = pieces(doc.text(), b);
            int blockTokens = pieces.stream().mapToInt(Piece::tokens).sum();
            if (used + blockTokens <= maxTokens) {
                current.addAll(pieces);
                used += blockTokens;
                continue;
            }
            // The paragraph does not fit: start it in a fresh chunk if this one is already reasonably full.
            if (used >= maxTokens / 2) {
                current = emit(doc, b, current, out);
                used = sum(current);
            }
            for (Piece p : pieces) {
                if (used + p.tokens() > maxTokens && !current.isEmpty()) {
                    current = emit(doc, b, current, out);
                    used = sum(current);
                    if (used + p.tokens() > maxTokens) {
                        current.clear();
                        used = 0;
                    }
                }
                current.add(p);
                used += p.tokens();
            }
        }
        if (!current.isEmpty()) add(doc, blocks.get(0), current, out);
    }

    /** Adds the chunk and returns the pieces the next chunk starts with (the overlap). */
    private List<Piece> emit(SourceDocument doc, Block b, List<Piece> pieces, List<Chunk> out) {
        add(doc, b, pieces, out);
        List<Piece> carry = new ArrayList<>();
        int t = 0;
        for (int k = pieces.size() - 1; k > 0; k--) {
            Piece p = pieces.get(k);
            if (t + p.tokens() > overlapTokens) break;
            carry.addFirst(p);
            t += p.tokens();
        }
        return carry;
    }

    private static void add(SourceDocument doc, Block b, List<Piece> pieces, List<Chunk> out) {
        int start = pieces.getFirst().start(), end = pieces.getLast().end();
        out.add(new Chunk(doc.id(), out.size(), doc.text().substring(start, end), start, end, b.page(), b.heading(),
                sum(pieces)));
    }

    private static int sum(List<Piece> pieces) {
        int s = 0;
        for (Piece p : pieces) s += p.tokens();
        return s;
    }

    /** A block's sentences, each counted; sentences longer than a chunk are cut between words. */
    private List<Piece> pieces(String text, Block b) {
        List<Piece> out = new ArrayList<>();
        String blockText = text.substring(b.start(), b.end());
        int whole = tokens.applyAsInt(blockText);
        if (whole <= maxTokens / 4) {
            out.add(new Piece(b.start(), b.end(), Math.max(1, whole)));
            return out;
        }
        BreakIterator it = BreakIterator.getSentenceInstance(Locale.ROOT);
        it.setText(blockText);
        for (int s = it.first(), e = it.next(); e != BreakIterator.DONE; s = e, e = it.next()) {
            int from = b.start() + s, to = b.start() + e;
            while (to > from && Character.isWhitespace(text.charAt(to - 1))) to--;
            if (to <= from) continue;
            int n = tokens.applyAsInt(text.substring(from, to));
            if (n <= maxTokens) out.add(new Piece(from, to, Math.max(1, n)));
            else splitWords(text, from, to, out);
        }
        return out;
    }

    private void splitWords(String text, int from, int to, List<Piece> out) {
        int pieceStart = from, count = 0, i = from;
        while (i < to) {
            int wordEnd = i;
            while (wordEnd < to && !Character.isWhitespace(text.charAt(wordEnd))) wordEnd++;
            int n = Math.max(1, tokens.applyAsInt(text.substring(i, wordEnd)));
            if (count + n > maxTokens && count > 0) {
                out.add(new Piece(pieceStart, trimEnd(text, pieceStart, i), count));
                pieceStart = i;
                count = 0;
            }
            count += n;
            i = wordEnd;
            while (i < to && Character.isWhitespace(text.charAt(i))) i++;
        }
        if (count > 0) out.add(new Piece(pieceStart, to, count));
    }

    private static int trimEnd(String text, int from, int to) {
        while (to > from && Character.isWhitespace(text.charAt(to - 1))) to--;
        return to;
    }
}
