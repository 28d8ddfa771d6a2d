package yardstick.magics.track;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the notebook a kernel serves by asking the Jupyter server that started it, for front ends that do not set
 * {@code JPY_SESSION_NAME} (Notebook 6). The kernel's id is in its connection file's name ({@code kernel-ID.json});
 * the connection file lies in Jupyter's runtime folder, beside each server's {@code jpserver-PID.json} (Jupyter
 * Server) or {@code nbserver-PID.json} (Notebook 6) with its URL and token; the server's {@code api/sessions} lists
 * each session's notebook path and kernel id.
 */
public final class JupyterNotebookPath {
    private static final Pattern KERNEL_FILE = Pattern.compile("kernel-([0-9a-fA-F-]+)\\.json");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private JupyterNotebookPath() {}

    /** The notebook's absolute path, or empty when no server in the runtime folder knows this kernel. */
    public static Optional<Path> find(Path connectionFile) {
        Matcher m = KERNEL_FILE.matcher(connectionFile.getFileName().toString());
        Path runtime = connectionFile.toAbsolutePath().getParent();
        if (!m.matches() || runtime == null) {
            return Optional.empty();
        }
        String kernelId = m.group(1);
        try (DirectoryStream<Path> servers = Files.newDirectoryStream(runtime, "{jpserver,nbserver}-*.json");
                HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build()) {
            for (Path server : servers) {
                Optional<Path> found = ask(http, server, kernelId);
                if (found.isPresent()) {
                    return found;
                }
            }
        } catch (IOException | RuntimeException e) {
            // no runtime folder to read: the caller falls back to the working directory
        }
        return Optional.empty();
    }

    private static Optional<Path> ask(HttpClient http, Path serverFile, String kernelId) {
        try {
            JsonNode server = JSON.readTree(serverFile.toFile());
            String url = server.path("url").asText("");
            if (url.isEmpty()) {
                return Optional.empty();
            }
            String root = server.path("root_dir").asText(server.path("notebook_dir").asText(""));
            HttpRequest.Builder req = HttpRequest.newBuilder(URI.create((url.endsWith("/") ? url : url + "/") + "api/sessions"))
                    .timeout(TIMEOUT).GET();
            String token = server.path("token").asText("");
            if (!token.isEmpty()) {
                req.header("Authorization", "token " + token);
            }
            HttpResponse<String> answer = http.send(req.build(), HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 200) {
                return Optional.empty();
            }
            for (JsonNode session : JSON.readTree(answer.body())) {
                if (!kernelId.equals(session.path("kernel").path("id").asText())) {
                    continue;
                }
                String path = session.path("path").asText(session.path("notebook").path("path").asText(""));
                if (path.isEmpty()) {
                    return Optional.empty();
                }
                Path p = Path.of(path);
                return Optional.of(p.isAbsolute() || root.isEmpty() ? p : Path.of(root).resolve(path));
            }
        } catch (IOException | RuntimeException e) {
            // a stale server file (its server has gone) or an unexpected answer: try the next server
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Optional.empty();
    }
}
