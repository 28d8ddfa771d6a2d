package yardstick.magics.rag.index;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.FSDirectory;
import yardstick.magics.rag.embed.Embedder;
import yardstick.magics.rag.embed.Embedders;

/**
 * A second process for the tests: {@code hold DIR} holds the index's write lock until killed; {@code build DIR BASE
 * FILE...} updates the index with the real model and stops dead (waiting to be killed) after its second file.
 */
public final class BuildChild {
    @SuppressWarnings("try") // the writer is held open only for its lock
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[1]);
        if (args[0].equals("hold")) {
            try (IndexWriter w = new IndexWriter(FSDirectory.open(dir), new IndexWriterConfig(ChunkFields.analyzer()))) {
                System.out.println("holding");
                System.out.flush();
                Thread.sleep(120_000);
            }
            return;
        }
        Path base = Path.of(args[2]);
        Map<String, Path> files = Inputs.resolve(base, List.of(args).subList(3, args.length));
        Embedder model = Embedders.get(Embedders.MINILM);
        BuildProgress stall = (done, total, chunks, current) -> {
            if (done == 2) {
                System.out.println("midway");
                System.out.flush();
                try {
                    Thread.sleep(120_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        new IndexBuilder("crash", dir, model, Embedders.MINILM, IndexOptions.DEFAULTS).build(files, stall);
    }
}
