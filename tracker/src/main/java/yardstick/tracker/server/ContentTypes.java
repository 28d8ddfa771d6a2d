package yardstick.tracker.server;

import java.util.Locale;

/** Content types by file extension, for artifact downloads and the UI. */
public final class ContentTypes {
    private ContentTypes() {}

    public static String of(String fileName) {
        String name = fileName.toLowerCase(Locale.ROOT);
        int dot = name.lastIndexOf('.');
        String ext = dot < 0 ? "" : name.substring(dot + 1);
        return switch (ext) {
            case "txt", "log", "md", "py", "java", "yaml", "yml", "jsonl" -> "text/plain; charset=utf-8";
            case "csv" -> "text/csv; charset=utf-8";
            case "json" -> "application/json";
            case "html", "htm" -> "text/html; charset=utf-8";
            case "svg" -> "image/svg+xml";
            case "png" -> "image/png";
            case "jpg", "jpeg" -> "image/jpeg";
            case "gif" -> "image/gif";
            case "webp" -> "image/webp";
            default -> "application/octet-stream";
        };
    }
}
