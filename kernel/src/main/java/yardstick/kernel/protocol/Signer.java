package yardstick.kernel.protocol;

import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HMAC-SHA256 signatures over the four JSON frames of a message; an empty key disables signing, as Jupyter allows. */
public final class Signer {
    private static final HexFormat HEX = HexFormat.of();
    private final SecretKeySpec key;
    private final ThreadLocal<Mac> macs;

    public Signer(String scheme, String key) {
        if (key == null || key.isEmpty()) {
            this.key = null;
            this.macs = null;
            return;
        }
        if (!"hmac-sha256".equals(scheme)) {
            throw new IllegalArgumentException("unsupported signature scheme: " + scheme + " (only hmac-sha256)");
        }
        this.key = new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
        this.macs = ThreadLocal.withInitial(this::newMac);
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac;
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The lowercase hex signature of the frames, or "" when signing is off. */
    public String sign(byte[]... frames) {
        if (key == null) return "";
        Mac mac = macs.get();
        for (byte[] f : frames) mac.update(f);
        return HEX.formatHex(mac.doFinal());
    }

    /** True when the signature matches, compared in constant time so timing does not leak the expected value. */
    public boolean verify(String signature, byte[]... frames) {
        if (key == null) return true;
        byte[] expected = sign(frames).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.US_ASCII));
    }
}
