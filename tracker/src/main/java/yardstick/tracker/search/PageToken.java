package yardstick.tracker.search;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import yardstick.tracker.model.MlflowException;
import yardstick.tracker.model.Page;

/** Page tokens are opaque to clients: a base64 offset into the ordered result, as MLflow's SQL store does. */
public final class PageToken {
    private PageToken() {}

    /**
     * The page of rows fetched with one extra row past {@code maxResults} (a LIMIT of maxResults + 1): the extra row
     * only says that there is a next page, whose token this page carries.
     */
    public static <T> Page<T> page(List<T> fetched, long offset, int maxResults) {
        if (fetched.size() <= maxResults) return new Page<>(fetched, null);
        return new Page<>(fetched.subList(0, maxResults), encode(offset + maxResults));
    }

    public static String encode(long offset) {
        return Base64.getUrlEncoder().encodeToString(("{\"offset\": " + offset + "}").getBytes(StandardCharsets.UTF_8));
    }

    /** The offset a token stands for; null or empty means the first page. */
    public static long decode(String token) {
        if (token == null || token.isEmpty()) {
            return 0;
        }
        String json;
        try {
            json = new String(Base64.getUrlDecoder().decode(token.replace('+', '-').replace('/', '_')), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw MlflowException.invalidParameter("Invalid page token, could not base64-decode");
        }
        String digits = json.replaceAll("[^0-9]", "");
        if (!json.matches("\\{\\s*\"offset\"\\s*:\\s*[0-9]{1,18}\\s*}")) {
            throw MlflowException.invalidParameter("Invalid page token, decoded value=" + json);
        }
        return Long.parseLong(digits);
    }
}
