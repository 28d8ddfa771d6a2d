package yardstick.magics.track;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import yardstick.common.YardstickNames;

/** A notebook is its own experiment in every front end, Notebook 6 included, which sets no JPY_SESSION_NAME. */
class JupyterNotebookPathTest {
    @TempDir
    Path dir;

    @Test
    void asksTheServerInTheRuntimeFolderForThisKernelsNotebook() throws Exception {
        String kernelId = "0b5a3c1e-1111-4222-8333-944455556666";
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/lab/api/sessions", exchange -> {
            boolean authorized = "token s3cret".equals(exchange.getRequestHeaders().getFirst("Authorization"));
            byte[] body = ("[{\"id\":\"s1\",\"path\":\"other.ipynb\",\"kernel\":{\"id\":\"ffff\"}},"
                    + "{\"id\":\"s2\",\"path\":\"reports/weekly.ipynb\",\"kernel\":{\"id\":\"" + kernelId + "\"}}]")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(authorized ? 200 : 403, authorized ? body.length : -1);
            if (authorized) exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            Path runtime = Files.createDirectories(dir.resolve("runtime"));
            // A stale file of a server that has gone, then the live one.
            Files.writeString(runtime.resolve("jpserver-1.json"), "{\"url\": \"http://127.0.0.1:9/\", \"token\": \"x\"}");
            Files.writeString(runtime.resolve("jpserver-2.json"), "{\"url\": \"http://127.0.0.1:" + server.getAddress().getPort()
                    + "/lab/\", \"token\": \"s3cret\", \"root_dir\": \"" + dir.resolve("work") + "\"}");
            Path connection = Files.writeString(runtime.resolve("kernel-" + kernelId + ".json"), "{}");
            assertEquals(Optional.of(dir.resolve("work/reports/weekly.ipynb")), JupyterNotebookPath.find(connection));
            assertEquals(Optional.empty(), JupyterNotebookPath.find(Files.writeString(runtime.resolve("kernel-abcd.json"), "{}")));
            assertEquals(Optional.empty(), JupyterNotebookPath.find(dir.resolve("elsewhere/connection.json")));
        } finally {
            server.stop(0);
        }
    }

    /** Debian's jupyter-notebook (Notebook 6): a real server, a session opened through its REST API. */
    @Test
    void notebookSixSessionsNameTheExperimentAfterTheNotebook() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/jupyter-notebook")), "needs Debian's jupyter-notebook");
        Path root = Files.createDirectories(dir.resolve("work/analysis"));
        Files.writeString(root.resolve("report.ipynb"), "{\"cells\": [], \"metadata\": {}, \"nbformat\": 4, \"nbformat_minor\": 5}");
        Path runtime = Files.createDirectories(dir.resolve("runtime"));
        // A kernel that only waits, and not for long should the server leave it behind: the server writes its
        // connection file and reports the session either way.
        Path kernels = Files.createDirectories(dir.resolve("data/kernels/waiting"));
        Files.writeString(kernels.resolve("kernel.json"),
                "{\"argv\": [\"sleep\", \"30\", \"{connection_file}\"], \"display_name\": \"waiting\", \"language\": \"none\"}");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        ProcessBuilder pb = new ProcessBuilder("/usr/bin/jupyter-notebook", "--no-browser", "--allow-root",
                "--port=" + port, "--port-retries=0", "--ip=127.0.0.1", "--NotebookApp.token=t0ken",
                "--notebook-dir=" + dir.resolve("work")).redirectErrorStream(true);
        pb.environment().putAll(Map.of("JUPYTER_RUNTIME_DIR", runtime.toString(), "JUPYTER_PATH", dir.resolve("data").toString(),
                "JUPYTER_CONFIG_DIR", dir.resolve("config").toString(), "HOME", dir.toString()));
        pb.environment().remove("JPY_SESSION_NAME");
        Process notebook = pb.start();
        StringBuilder log = new StringBuilder();
        Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(notebook.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    synchronized (log) {
                        log.append(line).append('\n');
                    }
                }
            } catch (IOException ignored) {
                // the server stopped
            }
        });
        try (HttpClient http = HttpClient.newHttpClient()) {
            String base = "http://127.0.0.1:" + port + "/";
            HttpResponse<String> created = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline) {
                try {
                    created = http.send(HttpRequest.newBuilder(URI.create(base + "api/sessions"))
                            .header("Authorization", "token t0ken").header("Content-Type", "application/json")
                            .timeout(Duration.ofSeconds(10))
                            .POST(HttpRequest.BodyPublishers.ofString("{\"path\": \"analysis/report.ipynb\", \"type\": \"notebook\","
                                    + " \"name\": \"\", \"kernel\": {\"name\": \"waiting\"}}")).build(), HttpResponse.BodyHandlers.ofString());
                    break;
                } catch (IOException notYetListening) {
                    Thread.sleep(200);
                }
            }
            HttpResponse<String> answer = created;
            assertTrue(answer != null && answer.statusCode() == 201, () -> (answer == null ? "no answer" : answer.body()) + "\n" + log);
            String kernelId = new com.fasterxml.jackson.databind.ObjectMapper().readTree(answer.body()).path("kernel").path("id").asText();
            Path connection = runtime.resolve("kernel-" + kernelId + ".json");
            assertTrue(Files.isRegularFile(connection), "the server wrote no connection file in " + runtime);
            assertTrue(Files.list(runtime).anyMatch(p -> p.getFileName().toString().startsWith("nbserver-")), "no nbserver file");

            assertEquals(Optional.of(dir.resolve("work/analysis/report.ipynb")), JupyterNotebookPath.find(connection));
            String saved = System.getProperty(YardstickNames.KERNEL_CONNECTION_FILE_PROPERTY);
            System.setProperty(YardstickNames.KERNEL_CONNECTION_FILE_PROPERTY, connection.toString());
            try {
                Tracking.Settings s = Tracking.Settings.fromEnvironment(name -> null, dir.resolve("work"));
                assertEquals("analysis/report", s.experiment());
                assertEquals(dir.resolve("work/analysis/report.ipynb").toString(), s.notebook());
                // MLFLOW_EXPERIMENT_NAME still wins.
                assertEquals("chosen", Tracking.Settings.fromEnvironment(
                        name -> name.equals("MLFLOW_EXPERIMENT_NAME") ? "chosen" : null, dir.resolve("work")).experiment());
            } finally {
                if (saved == null) System.clearProperty(YardstickNames.KERNEL_CONNECTION_FILE_PROPERTY);
                else System.setProperty(YardstickNames.KERNEL_CONNECTION_FILE_PROPERTY, saved);
            }
            http.send(HttpRequest.newBuilder(URI.create(base + "api/kernels/" + kernelId)).header("Authorization", "token t0ken")
                    .DELETE().build(), HttpResponse.BodyHandlers.discarding());
        } finally {
            notebook.destroy();
            if (!notebook.waitFor(10, TimeUnit.SECONDS)) notebook.destroyForcibly().waitFor();
        }
    }
}
