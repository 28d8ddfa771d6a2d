package yardstick.tracker.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import yardstick.tracker.artifacts.ArtifactUris;

/**
 * Uploads, lists and downloads run artifacts through an MLflow artifact proxy ({@code mlflow server
 * --serve-artifacts}, or Yardstick's tracker), in Java: the stock MLflow Java client shells out to
 * Python for artifacts. Files stream from and to disk; nothing is held whole in memory.
 */
public final class ArtifactClient {
    private static final String PROXY = "/api/2.0/mlflow-artifacts/artifacts";
    private static final String SCHEME = "mlflow-artifacts:";

    private final URI trackingUri;
    private final String authorization;
    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper();

    /** A client for the tracking server at {@code trackingUri}, without credentials. */
    public ArtifactClient(URI trackingUri) {
        this(trackingUri, null);
    }

    /**
     * A client that sends {@code authorization} (a full header value such as {@code Bearer T}) with every request.
     */
    public ArtifactClient(URI trackingUri, String authorization) {
        String s = trackingUri.toString();
        this.trackingUri = URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
        this.authorization = authorization;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** A client configured as MLflow clients are: MLFLOW_TRACKING_URI with a token or a username and password. */
    public static ArtifactClient fromEnvironment(Map<String, String> env) {
        String uri = env.get("MLFLOW_TRACKING_URI");
        if (uri == null || uri.isEmpty()) {
            throw new IllegalArgumentException("MLFLOW_TRACKING_URI is not set");
        }
        String token = env.get("MLFLOW_TRACKING_TOKEN");
        String user = env.get("MLFLOW_TRACKING_USERNAME");
        String password = env.get("MLFLOW_TRACKING_PASSWORD");
        String header = null;
        if (token != null && !token.isEmpty()) {
            header = "Bearer " + token;
        } else if (user != null && password != null) {
            header = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        }
        return new ArtifactClient(URI.create(uri), header);
    }

    /** The artifact URI of a run, read from the tracking API. */
    public String artifactUri(String runId) throws IOException {
        URI uri = URI.create(trackingUri + "/api/2.0/mlflow/runs/get?run_id=" + URLEncoder.encode(runId, StandardCharsets.UTF_8));
        JsonNode body = send(request(uri).GET(), HttpResponse.BodyHandlers.ofInputStream());
        return body.path("run").path("info").path("artifact_uri").asText();
    }

    /** A registered model version's download URI, read from the Model Registry ({@code model-versions/get-download-uri}). */
    public String modelVersionDownloadUri(String name, String version) throws IOException {
        URI uri = URI.create(trackingUri + "/api/2.0/mlflow/model-versions/get-download-uri?name="
                + URLEncoder.encode(name, StandardCharsets.UTF_8) + "&version=" + URLEncoder.encode(version, StandardCharsets.UTF_8));
        return send(request(uri).GET(), HttpResponse.BodyHandlers.ofInputStream()).path("artifact_uri").asText();
    }

    /**
     * Downloads a registered model version's files into {@code destination}, in Java: the stock MLflow Java client's
     * {@code downloadModelVersion} runs Python's {@code mlflow} instead. The version's download URI must be one the
     * artifact proxy serves ({@code mlflow-artifacts:}), as Yardstick's tracker gives for versions registered from a
     * run's artifacts. A directory's contents land under {@code destination}, a single file at it. Returns destination.
     */
    public Path downloadModelVersion(String name, String version, Path destination) throws IOException {
        String uri = modelVersionDownloadUri(name, version);
        if (!uri.startsWith(SCHEME)) {
            throw new IllegalArgumentException("Model '" + name + "' version " + version + " is stored at " + uri
                    + ", which is not served by the tracking server's artifact proxy (mlflow-artifacts:)");
        }
        if (!list(uri, "").isEmpty()) {
            return download(uri, "", destination);
        }
        try {
            // Nothing listed: the URI names one file, or an empty directory.
            get(repositoryPath(uri), destination);
        } catch (ArtifactClientException e) {
            if (e.status() != 404) {
                throw e;
            }
            Files.createDirectories(destination);
        }
        return destination;
    }

    /**
     * Uploads a file, or a directory with everything under it, to {@code artifactPath} (null or empty:
     * the root) under the run's artifact URI. A file keeps its name: {@code upload(uri, a/b.txt, "x")} makes {@code x/b.txt}.
     */
    public void upload(String artifactUri, Path local, String artifactPath) throws IOException {
        String base = join(repositoryPath(artifactUri), artifactPath);
        if (Files.isDirectory(local)) {
            List<Path> files;
            try (Stream<Path> walk = Files.walk(local)) {
                files = walk.filter(Files::isRegularFile).sorted().toList();
            }
            for (Path f : files) {
                String relative = local.relativize(f).toString().replace('\\', '/');
                put(join(base, relative), f);
            }
        } else if (Files.isRegularFile(local)) {
            put(join(base, local.getFileName().toString()), local);
        } else {
            throw new java.io.FileNotFoundException(local.toString());
        }
    }

    private void put(String repositoryPath, Path file) throws IOException {
        URI uri = URI.create(trackingUri + PROXY + "/" + encodePath(repositoryPath));
        send(request(uri).PUT(HttpRequest.BodyPublishers.ofFile(file)).header("Content-Type", "application/octet-stream"),
                HttpResponse.BodyHandlers.ofInputStream());
    }

    /** The direct children of {@code path} (null or empty: the root) under the run's artifact URI. */
    public List<ArtifactFile> list(String artifactUri, String path) throws IOException {
        String dir = join(repositoryPath(artifactUri), path);
        URI uri = URI.create(trackingUri + PROXY + "?path=" + URLEncoder.encode(dir, StandardCharsets.UTF_8));
        JsonNode body = send(request(uri).GET(), HttpResponse.BodyHandlers.ofInputStream());
        List<ArtifactFile> files = new ArrayList<>();
        for (JsonNode f : body.path("files")) {
            String name = f.path("path").asText();
            String relative = path == null || path.isEmpty() ? name : ArtifactUris.trimSlashes(path) + "/" + name;
            files.add(new ArtifactFile(relative, f.path("is_dir").asBoolean(), f.path("file_size").asLong(0)));
        }
        return files;
    }

    /**
     * Downloads the file or directory at {@code path} into {@code destination}: a file is written to
     * {@code destination} itself, a directory's contents under it. Returns {@code destination}.
     */
    public Path download(String artifactUri, String path, Path destination) throws IOException {
        List<ArtifactFile> children = path == null || path.isEmpty() ? list(artifactUri, path) : null;
        if (children == null) {
            String parent = path.contains("/") ? path.substring(0, path.lastIndexOf('/')) : "";
            String name = ArtifactUris.trimSlashes(path);
            children = list(artifactUri, parent);
            ArtifactFile self = children.stream().filter(f -> f.path().equals(name)).findFirst().orElse(null);
            if (self == null) {
                throw new ArtifactClientException(404, "RESOURCE_DOES_NOT_EXIST", "No artifact at '" + path + "'");
            }
            if (!self.directory()) {
                get(join(repositoryPath(artifactUri), name), destination);
                return destination;
            }
            children = list(artifactUri, name);
        }
        Files.createDirectories(destination);
        String prefix = path == null || path.isEmpty() ? "" : ArtifactUris.trimSlashes(path) + "/";
        for (ArtifactFile child : children) {
            Path target = destination.resolve(child.path().substring(prefix.length())).normalize();
            if (!target.startsWith(destination.normalize())) {
                // A hostile server could name a file "../x": never write outside the destination.
                throw new IOException("Refusing artifact path outside the destination: " + child.path());
            }
            if (child.directory()) {
                download(artifactUri, child.path(), target);
            } else {
                get(join(repositoryPath(artifactUri), child.path()), target);
            }
        }
        return destination;
    }

    private void get(String repositoryPath, Path target) throws IOException {
        URI uri = URI.create(trackingUri + PROXY + "/" + encodePath(repositoryPath));
        HttpResponse<InputStream> response = exchange(request(uri).GET(), HttpResponse.BodyHandlers.ofInputStream());
        if (target.getParent() != null) {
            Files.createDirectories(target.getParent());
        }
        Path tmp = Files.createTempFile(target.getParent() == null ? Path.of(".") : target.getParent(), ".download-", ".part");
        try (InputStream in = response.body()) {
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Deletes a file or directory under the run's artifact URI. */
    public void delete(String artifactUri, String path) throws IOException {
        URI uri = URI.create(trackingUri + PROXY + "/" + encodePath(join(repositoryPath(artifactUri), path)));
        send(request(uri).DELETE(), HttpResponse.BodyHandlers.ofInputStream());
    }

    private HttpRequest.Builder request(URI uri) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(10));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return b;
    }

    private JsonNode send(HttpRequest.Builder request, HttpResponse.BodyHandler<InputStream> handler) throws IOException {
        HttpResponse<InputStream> response = exchange(request, handler);
        try (InputStream in = response.body()) {
            byte[] bytes = in.readAllBytes();
            return bytes.length == 0 ? json.createObjectNode() : json.readTree(bytes);
        }
    }

    private HttpResponse<InputStream> exchange(HttpRequest.Builder request, HttpResponse.BodyHandler<InputStream> handler)
            throws IOException {
        HttpResponse<InputStream> response;
        try {
            response = http.send(request.build(), handler);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted");
        }
        if (response.statusCode() / 100 != 2) {
            String body;
            try (InputStream in = response.body()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            String code = "HTTP_" + response.statusCode();
            String message = body;
            try {
                JsonNode err = json.readTree(body);
                code = err.path("error_code").asText(code);
                message = err.path("message").asText(body);
            } catch (IOException notJson) {
                // Keep the raw body as the message.
            }
            throw new ArtifactClientException(response.statusCode(), code, message);
        }
        return response;
    }

    /** The proxy path of an artifact URI; only proxied ({@code mlflow-artifacts:}) URIs are supported. */
    static String repositoryPath(String artifactUri) {
        if (artifactUri == null || !artifactUri.startsWith(SCHEME)) {
            throw new IllegalArgumentException("Not a proxied artifact URI (mlflow-artifacts:...): " + artifactUri
                    + "; start the MLflow server with --serve-artifacts");
        }
        String rest = artifactUri.substring(SCHEME.length());
        if (rest.startsWith("//")) {
            int slash = rest.indexOf('/', 2);
            rest = slash < 0 ? "" : rest.substring(slash);
        }
        return ArtifactUris.trimSlashes(rest);
    }

    private static String join(String a, String b) {
        String left = ArtifactUris.trimSlashes(a);
        String right = b == null ? "" : ArtifactUris.trimSlashes(b);
        if (left.isEmpty()) {
            return right;
        }
        return right.isEmpty() ? left : left + "/" + right;
    }


    private static String encodePath(String path) {
        StringBuilder out = new StringBuilder();
        for (String segment : path.split("/")) {
            if (!out.isEmpty()) {
                out.append('/');
            }
            out.append(URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return out.toString();
    }
}
