package yardstick.magics.rag.index;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;

/**
 * The index layout. Each chunk is a document with its text (BM25), its normalized vector (HNSW, dot product) and
 * stored metadata for citations; each indexed file also has one small "file" document holding its content digest,
 * which is what makes re-indexing incremental.
 */
public final class ChunkFields {
    private ChunkFields() {}

    /** "chunk" or "file". */
    public static final String KIND = "kind";
    public static final String KIND_CHUNK = "chunk";
    public static final String KIND_FILE = "file";
    /** The file's path as given; chunks and the file document of one file share it. */
    public static final String SOURCE = "source";
    /** The retrieval unit qrels name: the file path, or a row's id for JSONL/CSV. */
    public static final String DOC = "doc";
    public static final String CHUNK_ID = "chunk_id";
    /** Analyzed for BM25: the heading, then the chunk's text. */
    public static final String TEXT = "text";
    /** The chunk's text exactly as in the document, for snippets and prompts. */
    public static final String BODY = "body";
    public static final String HEADING = "heading";
    public static final String PAGE = "page";
    public static final String START = "start";
    public static final String END = "end";
    public static final String VECTOR = "vector";
    public static final String DIGEST = "digest";
    public static final String CHUNKS = "chunks";

    /** English with stemming and stop words: what BM25 baselines on English corpora use. */
    public static Analyzer analyzer() {
        return new EnglishAnalyzer();
    }
}
