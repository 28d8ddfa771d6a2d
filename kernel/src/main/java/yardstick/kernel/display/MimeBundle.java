package yardstick.kernel.display;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One value rendered for Jupyter: MIME type to data (text, or base64 for binary types), plus metadata. Front ends
 * pick the richest type they understand, so a bundle should always carry {@code text/plain}.
 */
public final class MimeBundle {
    private final Map<String, Object> data = new LinkedHashMap<>();
    private final Map<String, Object> metadata = new LinkedHashMap<>();

    public static MimeBundle text(String text) {
        return new MimeBundle().put("text/plain", text);
    }

    public MimeBundle put(String mimeType, Object value) {
        data.put(mimeType, value);
        return this;
    }

    public MimeBundle meta(String key, Object value) {
        metadata.put(key, value);
        return this;
    }

    public Map<String, Object> data() {
        return Collections.unmodifiableMap(data);
    }

    public Map<String, Object> metadata() {
        return Collections.unmodifiableMap(metadata);
    }

    public String plain() {
        Object t = data.get("text/plain");
        return t == null ? "" : t.toString();
    }

    @Override
    public String toString() {
        return plain();
    }
}
