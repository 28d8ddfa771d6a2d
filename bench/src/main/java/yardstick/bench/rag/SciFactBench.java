package yardstick.bench.rag;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import yardstick.kernel.bench.Bench;
import yardstick.magics.rag.Rag;
import yardstick.magics.rag.RagIndex;
import yardstick.magics.rag.embed.Embedders;
import yardstick.magics.rag.eval.Evaluation;
import yardstick.magics.rag.index.BuildReport;
import yardstick.magics.rag.index.IndexOptions;

/**
 * Retrieval quality on SciFact (BEIR layout): indexes corpus.jsonl (title and text as one document, split into
 * chunks), then reports nDCG@10, MRR@10 and recall@100 of bm25, vector and hybrid over the training queries.
 * Documents are ranked by their best chunk. Usage: {@code SciFactBench DATA_DIR [INDEX_DIR] [CHUNK_TOKENS]}.
 */
public final class SciFactBench implements Bench {
    @Override
    public String name() {
        return "scifact";
    }

    @Override
    public String arguments() {
        return "[DATA_DIR] [INDEX_DIR] [CHUNK_TOKENS]";
    }

    @Override
    public String summary() {
        return "retrieval quality on SciFact";
    }

    @Override
    public int run(List<String> args) throws Exception {
        main(args.toArray(String[]::new));
        return 0;
    }

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args.length > 0 ? args[0] : "../shared/data/scifact");
        Path indexDir = args.length > 1 ? Path.of(args[1]) : Files.createTempDirectory("scifact-index");
        int chunk = args.length > 2 ? Integer.parseInt(args[2]) : IndexOptions.DEFAULTS.chunkTokens();
        for (String f : List.of("corpus.jsonl", "queries_train.jsonl", "qrels/train.tsv")) {
            if (!Files.exists(data.resolve(f))) throw new IllegalArgumentException("no " + f + " in " + data);
        }
        RagIndex index = Rag.open(indexDir.toAbsolutePath().toString());
        IndexOptions options = IndexOptions.DEFAULTS.withChunk(chunk, Math.min(32, chunk / 4))
                .withColumns(List.of("title", "text"), "_id");
        long t0 = System.nanoTime();
        BuildReport report = index.build(data, List.of("corpus.jsonl"), options, Embedders.MINILM,
                (done, files, chunks, current) -> {
                    if (chunks % 1024 == 0 && chunks > 0) {
                        System.err.printf("embedded %d chunks in %.0f s%n", chunks, (System.nanoTime() - t0) / 1e9);
                    }
                });
        System.out.print(report.summary());
        Evaluation ev = index.evaluate(data.resolve("qrels/train.tsv"), data.resolve("queries_train.jsonl"), 100);
        System.out.println("SciFact train queries, chunk " + chunk + " tokens, " + index.chunkCount() + " chunks");
        System.out.println(ev.table().print());
        index.close();
    }
}
