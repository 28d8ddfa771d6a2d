package yardstick.tracker.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

/**
 * Requires the shared token on every request, as MLflow clients send credentials: {@code Bearer TOKEN}
 * (MLFLOW_TRACKING_TOKEN) or Basic with the token as password (MLFLOW_TRACKING_PASSWORD).
 */
public final class TokenFilter extends Filter {
    private final byte[] token;

    public TokenFilter(String token) {
        this.token = token.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void doFilter(HttpExchange ex, Chain chain) throws IOException {
        if (authorized(ex.getRequestHeaders().getFirst("Authorization"))) {
            chain.doFilter(ex);
            return;
        }
        try (ex) {
            ex.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"yardstick tracker\"");
            ObjectNode body = JsonCodec.object().put("error_code", "UNAUTHENTICATED")
                    .put("message", "Credentials are required: send the tracker token as a Bearer token or Basic password");
            Exchanges.sendJson(ex, 401, body);
        }
    }

    boolean authorized(String header) {
        if (header == null) {
            return false;
        }
        String presented = null;
        if (header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            presented = header.substring(7).trim();
        } else if (header.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                presented = colon < 0 ? decoded : decoded.substring(colon + 1);
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
        // Constant-time comparison, so response timing does not reveal the token.
        return presented != null && MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8), token);
    }

    @Override
    public String description() {
        return "tracker token authentication";
    }
}
