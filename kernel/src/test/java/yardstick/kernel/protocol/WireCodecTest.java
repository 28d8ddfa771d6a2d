package yardstick.kernel.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WireCodecTest {
    private final WireCodec codec = new WireCodec(new Signer("hmac-sha256", "secret-key"));

    private static Message request(String type, ObjectNode content) {
        byte[] identity = {1, 2, 3};
        return new Message(List.of(identity), Header.create(type, "client-session", "tester"), Json.object(),
                Json.object(), content, List.of());
    }

    @Test
    void roundTripKeepsIdentitiesHeaderAndContent() throws Exception {
        Message m = request("execute_request", Json.object().put("code", "1 + 1 // ünïcødé ✓"));
        Message back = codec.decode(codec.encode(m));
        assertArrayEquals(m.identities().get(0), back.identities().get(0));
        assertEquals(m.header(), back.header());
        assertEquals("1 + 1 // ünïcødé ✓", back.content().get("code").asText());
    }

    @Test
    void signatureIsTheHmacOfTheFourJsonFrames() throws Exception {
        List<byte[]> frames = codec.encode(request("kernel_info_request", Json.object()));
        int d = 1;  // one identity before the delimiter
        assertArrayEquals(WireCodec.DELIMITER, frames.get(d));
        String sig = new String(frames.get(d + 1), StandardCharsets.US_ASCII);
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec("secret-key".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        for (int i = 2; i <= 5; i++) mac.update(frames.get(d + i));
        assertEquals(java.util.HexFormat.of().formatHex(mac.doFinal()), sig);
    }

    @Test
    void tamperedContentIsRejected() {
        List<byte[]> frames = new ArrayList<>(codec.encode(request("execute_request", Json.object().put("code", "1"))));
        frames.set(frames.size() - 1, "{\"code\":\"2\"}".getBytes(StandardCharsets.UTF_8));
        ProtocolException e = assertThrows(ProtocolException.class, () -> codec.decode(frames));
        assertTrue(e.getMessage().contains("signature"), e.getMessage());
    }

    @Test
    void anyFlippedSignatureByteIsRejected() {
        Random random = new Random(42);
        for (int trial = 0; trial < 50; trial++) {
            List<byte[]> frames = new ArrayList<>(codec.encode(request("execute_request", Json.object().put("n", trial))));
            byte[] sig = frames.get(2).clone();
            int i = random.nextInt(sig.length);
            sig[i] = (byte) (sig[i] == 'a' ? 'b' : 'a');
            frames.set(2, sig);
            assertThrows(ProtocolException.class, () -> codec.decode(frames));
        }
    }

    @Test
    void malformedJsonAndMissingFramesAreNamed() {
        WireCodec unsigned = new WireCodec(new Signer("hmac-sha256", ""));
        List<byte[]> bad = List.of(WireCodec.DELIMITER, new byte[0], "{\"msg_type\":\"x\"}".getBytes(),
                "{}".getBytes(), "{}".getBytes(), "{not json".getBytes());
        ProtocolException e = assertThrows(ProtocolException.class, () -> unsigned.decode(bad));
        assertTrue(e.getMessage().contains("malformed JSON in content"), e.getMessage());
        assertTrue(assertThrows(ProtocolException.class, () -> unsigned.decode(List.of(WireCodec.DELIMITER, new byte[0])))
                .getMessage().contains("needs 5"));
        assertTrue(assertThrows(ProtocolException.class, () -> unsigned.decode(List.of("x".getBytes())))
                .getMessage().contains("delimiter"));
    }

    @Test
    void verifyIsFalseForWrongLengthSignatures() {
        Signer s = new Signer("hmac-sha256", "k");
        byte[] f = "{}".getBytes();
        assertTrue(s.verify(s.sign(f, f, f, f), f, f, f, f));
        assertFalse(s.verify("", f, f, f, f));
        assertFalse(s.verify(s.sign(f, f, f, f) + "0", f, f, f, f));
    }

    @Test
    void timestampsAreIsoWithMicroseconds() {
        assertTrue(Header.now().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z"), Header.now());
        assertEquals("5.4", Header.create("status", "s", "u").version());
    }

    @Test
    void connectionFileIsReadAndMissingPortsAreNamed(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("c.json");
        Files.writeString(f, """
                {"shell_port": 1, "iopub_port": 2, "stdin_port": 3, "control_port": 4, "hb_port": 5,
                 "ip": "127.0.0.1", "key": "k", "transport": "tcp", "signature_scheme": "hmac-sha256"}""");
        ConnectionInfo info = ConnectionInfo.read(f);
        assertEquals("tcp://127.0.0.1:4", info.endpoint(info.controlPort()));
        Files.writeString(f, "{\"shell_port\": 1}");
        assertTrue(assertThrows(java.io.IOException.class, () -> ConnectionInfo.read(f)).getMessage().contains("control_port"));
    }

    @Test
    void aStringOverJacksonsDefaultLimitIsRead() throws Exception {
        String big = "x".repeat(20_000_001);
        Message back = codec.decode(codec.encode(request("execute_request", Json.object().put("code", "1").put("pad", big))));
        assertEquals(big.length(), back.content().get("pad").asText().length());
    }

    @Test
    void aSignedMessageWhosePartCannotBeReadCanStillBeAnswered() {
        WireCodec small = new WireCodec(new Signer("hmac-sha256", "secret-key"), 400);
        Message m = request("execute_request", Json.object().put("code", "x".repeat(500)));
        ProtocolException tooLarge = assertThrows(ProtocolException.class, () -> small.decode(small.encode(m)));
        assertTrue(tooLarge.getMessage().contains("content is"), tooLarge.getMessage());
        assertTrue(tooLarge.getMessage().contains("at most 400"), tooLarge.getMessage());
        Message answerable = tooLarge.request();
        assertEquals(m.header(), answerable.header());
        assertArrayEquals(m.identities().get(0), answerable.identities().get(0));
        assertTrue(answerable.content().isEmpty());

        List<byte[]> frames = new ArrayList<>(codec.encode(m));
        frames.set(frames.size() - 1, "{\"code\": ".getBytes(StandardCharsets.UTF_8));
        Signer signer = new Signer("hmac-sha256", "secret-key");
        int d = 1;
        frames.set(d + 1, signer.sign(frames.get(d + 2), frames.get(d + 3), frames.get(d + 4), frames.get(d + 5))
                .getBytes(StandardCharsets.US_ASCII));
        ProtocolException malformed = assertThrows(ProtocolException.class, () -> codec.decode(frames));
        assertTrue(malformed.getMessage().contains("malformed JSON in content"), malformed.getMessage());
        assertEquals("execute_request", malformed.request().type());
    }

    @Test
    void anUnsignedOrHeaderlessMessageIsNotAnswerable() {
        List<byte[]> frames = new ArrayList<>(codec.encode(request("execute_request", Json.object().put("code", "1"))));
        frames.set(frames.size() - 1, "{\"code\":\"2\"}".getBytes(StandardCharsets.UTF_8));
        assertEquals(null, assertThrows(ProtocolException.class, () -> codec.decode(frames)).request());
    }
}
