package yardstick.magics.rag.index;

import java.time.Duration;
import java.util.Map;

/**
 * What an index build did: files seen, (re-)embedded, unchanged, removed and skipped (with why), chunks embedded in
 * this build and held in the index afterwards.
 */
public record BuildReport(int files, int embeddedFiles, int unchangedFiles, int removedFiles,
                          Map<String, String> skipped, int embeddedChunks, int totalChunks, Duration time,
                          String embedder, boolean rebuilt) {
    public BuildReport {
        skipped = Map.copyOf(skipped);
    }

    /** One line per fact, as a person reads a summary. */
    public String summary() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%d files: %d embedded, %d unchanged, %d removed, %d skipped%s%n", files,
                embeddedFiles, unchangedFiles, removedFiles, skipped.size(), rebuilt ? " (options changed: rebuilt)" : ""));
        sb.append(String.format("%d chunks embedded with %s in %.1f s; %d chunks in the index%n", embeddedChunks,
                embedder, time.toMillis() / 1000.0, totalChunks));
        for (var e : skipped.entrySet().stream().sorted(Map.Entry.comparingByKey()).toList()) {
            sb.append("skipped ").append(e.getKey()).append(": ").append(e.getValue()).append('\n');
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return summary();
    }
}
