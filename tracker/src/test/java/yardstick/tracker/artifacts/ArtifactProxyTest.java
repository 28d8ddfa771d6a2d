package yardstick.tracker.artifacts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import yardstick.tracker.Http;
import yardstick.tracker.Http.Answer;
import yardstick.tracker.RunningTracker;

/** The artifact proxy over HTTP: round trips, listing, deletion, the size limit, and every way out of the root. */
class ArtifactProxyTest {
    private static final String PROXY = "/api/2.0/mlflow-artifacts/artifacts";
    private static RunningTracker tracker;

    @BeforeAll
    static void start() {
        tracker = new RunningTracker(c -> c.withMaxArtifactBytes(1024 * 1024));
    }

    @AfterAll
    static void stop() {
        tracker.close();
    }

    private static Answer put(String path, byte[] body) {
        return Http.send(HttpRequest.newBuilder(URI.create(tracker.uri() + PROXY + "/" + path))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    @Test
    void putGetListAndDelete() throws Exception {
        assertEquals(200, put("1/run/artifacts/dir/a.txt", "alpha".getBytes(StandardCharsets.UTF_8)).status());
        assertEquals(200, put("1/run/artifacts/b%20c.json", "{}".getBytes(StandardCharsets.UTF_8)).status());
        assertEquals("alpha", Http.get(tracker.uri() + PROXY + "/1/run/artifacts/dir/a.txt").body());
        assertTrue(Files.isRegularFile(tracker.server.artifacts().root().resolve("1/run/artifacts/b c.json")));

        var files = Http.get(tracker.uri() + PROXY + "?path=1/run/artifacts").json().path("files");
        assertEquals(2, files.size());
        assertEquals("b c.json", files.get(0).path("path").asText());
        assertEquals(2, files.get(0).path("file_size").asLong());
        assertEquals("dir", files.get(1).path("path").asText());
        assertTrue(files.get(1).path("is_dir").asBoolean());

        Answer deleted = Http.send(HttpRequest.newBuilder(URI.create(tracker.uri() + PROXY + "/1/run/artifacts/dir")).DELETE());
        assertEquals(200, deleted.status());
        assertEquals(404, Http.get(tracker.uri() + PROXY + "/1/run/artifacts/dir/a.txt").status());
        assertEquals("RESOURCE_DOES_NOT_EXIST", Http.get(tracker.uri() + PROXY + "/1/run/artifacts/nope").errorCode());
    }

    @Test
    void uploadsOverTheLimitAreRefusedAndLeaveNothing() throws Exception {
        Answer big = put("2/run/artifacts/big.bin", new byte[1024 * 1024 + 1]);
        assertEquals(400, big.status(), big.body());
        assertEquals("INVALID_PARAMETER_VALUE", big.errorCode());
        Path dir = tracker.server.artifacts().root().resolve("2/run/artifacts");
        assertFalse(Files.exists(dir.resolve("big.bin")));
        // A chunked upload has no Content-Length: the limit is enforced while streaming.
        Answer chunked = Http.send(HttpRequest.newBuilder(URI.create(tracker.uri() + PROXY + "/2/run/artifacts/stream.bin"))
                .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(new byte[2 * 1024 * 1024]))));
        assertEquals(400, chunked.status(), chunked.body());
        try (var left = Files.list(dir)) {
            assertEquals(List.of(), left.toList(), "no partial or temporary file remains");
        }
        byte[] exact = new byte[1024 * 1024];
        new java.util.Random(1).nextBytes(exact);
        assertEquals(200, put("2/run/artifacts/exact.bin", exact).status());
        assertArrayEquals(exact, Files.readAllBytes(dir.resolve("exact.bin")));
    }

    @Test
    void aRefusedUploadLeavesTheConnectionFitForTheNextRequest() throws Exception {
        try (Socket s = new Socket(tracker.server.uri().getHost(), tracker.server.uri().getPort())) {
            OutputStream out = s.getOutputStream();
            InputStream in = new BufferedInputStream(s.getInputStream());
            // Chunked, so the limit trips while streaming, with most of the body still to come.
            out.write(head("PUT", "6/run/artifacts/big.bin", "Transfer-Encoding: chunked"));
            byte[] chunk = new byte[64 * 1024];
            for (int i = 0; i < 32; i++) {
                out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(chunk);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String refused = readAnswer(in);
            assertTrue(refused.startsWith("HTTP/1.1 400"), refused);
            assertFalse(refused.toLowerCase(Locale.ROOT).contains("connection: close"), refused);
            // The same connection carries the next upload.
            out.write(head("PUT", "6/run/artifacts/small.txt", "Content-Length: 2"));
            out.write("ok".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String next = readAnswer(in);
            assertTrue(next.startsWith("HTTP/1.1 200"), next);
        }
        assertEquals("ok", Files.readString(tracker.server.artifacts().root().resolve("6/run/artifacts/small.txt")));
    }

    @Test
    void aBodyTooLargeToDrainIsAnsweredWithConnectionClose() throws Exception {
        long size = 80L * 1024 * 1024;
        try (Socket s = new Socket(tracker.server.uri().getHost(), tracker.server.uri().getPort())) {
            OutputStream out = s.getOutputStream();
            Thread sender = Thread.ofVirtual().start(() -> {
                try {
                    out.write(head("PUT", "7/run/artifacts/huge.bin", "Content-Length: " + size));
                    byte[] block = new byte[1024 * 1024];
                    for (long sent = 0; sent < size; sent += block.length) {
                        out.write(block);
                    }
                } catch (IOException closedByServer) {
                    // Expected: the server stops reading once it has drained its limit.
                }
            });
            String answer = readAnswer(new BufferedInputStream(s.getInputStream()));
            sender.join(10_000);
            assertTrue(answer.startsWith("HTTP/1.1 400"), answer);
            assertTrue(answer.toLowerCase(Locale.ROOT).contains("connection: close"), answer);
        }
    }

    private static byte[] head(String method, String path, String header) {
        return (method + " " + PROXY + "/" + path + " HTTP/1.1\r\nHost: " + tracker.server.uri().getHost() + "\r\n" + header
                + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** One answer with a Content-Length body, read off a connection that stays open. */
    private static String readAnswer(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("the connection closed after: " + head);
            }
            head.append((char) c);
        }
        Matcher length = Pattern.compile("(?im)^content-length:\\s*(\\d+)").matcher(head);
        int n = length.find() ? Integer.parseInt(length.group(1)) : 0;
        return head + new String(in.readNBytes(n), StandardCharsets.UTF_8);
    }

    @Test
    void traversalIsRefusedInEveryEncoding() throws Exception {
        Path outside = tracker.dir.resolve("outside.txt");
        URI base = tracker.server.uri();
        for (String path : List.of("../outside.txt", "a/../../outside.txt", "%2e%2e/outside.txt", "%2E%2E%2Foutside.txt",
                "a/%2e%2e/%2e%2e/outside.txt", "%252e%252e/outside.txt", "..%5coutside.txt", "a%5c..%5c..%5coutside.txt",
                "%2fetc/passwd", "/etc/passwd", "C:/windows", "a/%00/b")) {
            for (String method : List.of("PUT", "GET", "DELETE")) {
                Answer a = Http.rawRequest(base, method, PROXY + "/" + path, "x".getBytes(StandardCharsets.UTF_8));
                assertEquals(400, a.status(), method + " " + path + " -> " + a.body());
                assertEquals("INVALID_PARAMETER_VALUE", a.errorCode(), method + " " + path);
            }
            Answer list = Http.rawRequest(base, "GET", PROXY + "?path=" + path, new byte[0]);
            assertEquals(400, list.status(), "list " + path + " -> " + list.body());
        }
        // A raw backslash is not even a valid URI: the HTTP layer refuses it before the proxy sees it.
        assertEquals(400, Http.rawRequest(base, "PUT", PROXY + "/a\\..\\..\\outside.txt", new byte[0]).status());
        assertFalse(Files.exists(outside));
    }

    @Test
    void symlinksLeadingOutAreRefused() throws Exception {
        Path secret = Files.createDirectories(tracker.dir.resolve("secret"));
        Files.writeString(secret.resolve("key.txt"), "top secret");
        Path runDir = Files.createDirectories(tracker.server.artifacts().root().resolve("3/run/artifacts"));
        Files.createSymbolicLink(runDir.resolve("link"), secret);
        Files.createSymbolicLink(runDir.resolve("file-link"), secret.resolve("key.txt"));
        for (String path : List.of("3/run/artifacts/link/key.txt", "3/run/artifacts/file-link")) {
            Answer get = Http.get(tracker.uri() + PROXY + "/" + path);
            assertEquals(400, get.status(), path + " -> " + get.body());
            assertEquals("INVALID_PARAMETER_VALUE", get.errorCode());
        }
        Answer write = put("3/run/artifacts/link/planted.txt", "x".getBytes(StandardCharsets.UTF_8));
        assertEquals(400, write.status());
        assertFalse(Files.exists(secret.resolve("planted.txt")));
        assertEquals(400, Http.get(tracker.uri() + PROXY + "?path=3/run/artifacts/link").status());
        assertEquals(400, Http.send(HttpRequest.newBuilder(URI.create(tracker.uri() + PROXY + "/3/run/artifacts/link/key.txt"))
                .DELETE()).status());
        assertTrue(Files.exists(secret.resolve("key.txt")));
    }

    @Test
    void aDanglingSymlinkIsLeftOutOfTheListing() throws Exception {
        Path runDir = Files.createDirectories(tracker.server.artifacts().root().resolve("4/run/artifacts"));
        Files.writeString(runDir.resolve("model.txt"), "weights");
        Files.createSymbolicLink(runDir.resolve("gone"), runDir.resolve("deleted-meanwhile"));
        Files.createSymbolicLink(runDir.resolve("outside-gone"), tracker.dir.resolve("nowhere/at/all"));
        Answer listing = Http.get(tracker.uri() + PROXY + "?path=4/run/artifacts");
        assertEquals(200, listing.status(), listing.body());
        assertEquals(1, listing.json().path("files").size(), listing.body());
        assertEquals("model.txt", listing.json().path("files").get(0).path("path").asText());
        int download = Http.get(tracker.uri() + PROXY + "/4/run/artifacts/gone").status();
        assertTrue(download == 400 || download == 404, "downloading a dangling link: " + download);
    }
}
