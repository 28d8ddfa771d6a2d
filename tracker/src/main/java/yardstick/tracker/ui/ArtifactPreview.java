package yardstick.tracker.ui;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import yardstick.tracker.server.ContentTypes;
import yardstick.tracker.server.JsonCodec;

/** How an artifact is shown in the page: an image, a sandboxed HTML frame, a CSV table, JSON or text, or not at all. */
public record ArtifactPreview(Kind kind, String path, String rawUrl, long size, String text, List<List<String>> rows) {
    public enum Kind { IMAGE, HTML, CSV, JSON, TEXT, TOO_LARGE, BINARY }

    /** Larger files are offered for download only. */
    static final long MAX_INLINE_BYTES = 2L * 1024 * 1024;

    /** Reads the file at {@code file}, named {@code path} in its run, for showing at most {@code maxBytes} inline. */
    static ArtifactPreview of(String runId, String path, Path file, long maxBytes) {
        String rawUrl = "/runs/" + Format.url(runId) + "/raw?path=" + Format.url(path);
        String type = ContentTypes.of(path);
        try {
            long size = Files.size(file);
            if (type.startsWith("image/")) {
                return new ArtifactPreview(Kind.IMAGE, path, rawUrl, size, null, null);
            }
            if (type.startsWith("text/html")) {
                return new ArtifactPreview(Kind.HTML, path, rawUrl, size, null, null);
            }
            boolean textual = type.startsWith("text/") || type.startsWith("application/json");
            if (!textual) {
                return new ArtifactPreview(Kind.BINARY, path, rawUrl, size, null, null);
            }
            if (size > maxBytes) {
                return new ArtifactPreview(Kind.TOO_LARGE, path, rawUrl, size, null, null);
            }
            String content = Files.readString(file, StandardCharsets.UTF_8);
            if (type.startsWith("text/csv")) {
                return new ArtifactPreview(Kind.CSV, path, rawUrl, size, null, Csv.parse(content));
            }
            if (type.startsWith("application/json")) {
                try {
                    JsonNode node = JsonCodec.MAPPER.readTree(content);
                    content = JsonCodec.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node);
                } catch (IOException e) {
                    // Not valid JSON after all: show it as it is.
                }
                return new ArtifactPreview(Kind.JSON, path, rawUrl, size, content, null);
            }
            return new ArtifactPreview(Kind.TEXT, path, rawUrl, size, content, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
