package yardstick.tracker.ui;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Anti-forgery tokens for the UI's POST forms: the HMAC-SHA256 of the form's action path under a random secret made
 * when the server starts. A page of this tracker carries the token in a hidden field; a page of any other origin
 * cannot read one (the same-origin policy, and the Host check against DNS rebinding) nor compute one, and a token
 * opens only the form it was made for. Nothing is stored per visitor, and no cookie is involved: cookies are not
 * kept apart by port, so any other local web app could plant one for a double-submit scheme.
 */
final class FormTokens {
    /** The form field that carries the token. */
    static final String FIELD = "csrf";

    private final SecretKeySpec key;

    FormTokens() {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        this.key = new SecretKeySpec(secret, "HmacSHA256");
    }

    /** The token for a form that posts to {@code actionPath} (decoded, without query). */
    String token(String actionPath) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(actionPath.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /** Whether {@code presented} is the token for {@code actionPath}, compared in constant time. */
    boolean valid(String actionPath, String presented) {
        return presented != null && MessageDigest.isEqual(token(actionPath).getBytes(StandardCharsets.US_ASCII),
                presented.getBytes(StandardCharsets.UTF_8));
    }
}
