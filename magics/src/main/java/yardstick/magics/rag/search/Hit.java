package yardstick.magics.rag.search;

/**
 * One retrieved chunk: its rank (1-based) and score in the ranking that found it, where it comes from (source file,
 * document id, page, heading, character offsets) and its text.
 */
public record Hit(int rank, double score, String chunkId, String source, String doc, int page, String heading,
                  int start, int end, String text) {
    /** Source as a person cites it: the file, with the row id for JSONL/CSV rows and the page for PDFs. */
    public String citation() {
        String s = doc.equals(source) ? source : source + "#" + doc;
        return page > 0 ? s + " p." + page : s;
    }

    Hit ranked(int newRank, double newScore) {
        return new Hit(newRank, newScore, chunkId, source, doc, page, heading, start, end, text);
    }
}
