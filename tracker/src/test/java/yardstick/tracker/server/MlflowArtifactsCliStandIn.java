package yardstick.tracker.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import yardstick.tracker.client.ArtifactClient;

/**
 * Stands in for Python MLflow's artifacts CLI, {@code python -m mlflow.store.artifact.cli}, which the MLflow Java
 * client forks for every artifact download. Python MLflow cannot be installed here (its package index is out of
 * reach), so this speaks that CLI's interface instead: {@code --help} exits 0; {@code download --artifact-uri URI
 * [--dst-path DIR]} resolves {@code models:/NAME/VERSION} through {@code model-versions/get-download-uri} as MLflow's
 * ModelsArtifactRepository does, downloads through the tracking server named by {@code MLFLOW_TRACKING_URI}, and
 * prints a blank line and the local path. When {@code YARDSTICK_CLI_LOG} is set, each invocation's arguments are
 * appended to that file, so a test can see exactly how the client called it.
 */
public final class MlflowArtifactsCliStandIn {
    private MlflowArtifactsCliStandIn() {}

    public static void main(String[] args) {
        try {
            System.exit(run(List.of(args)));
        } catch (Exception e) {
            System.err.println("mlflow.store.artifact.cli: " + e);
            System.exit(1);
        }
    }

    private static int run(List<String> args) throws IOException {
        String log = System.getenv("YARDSTICK_CLI_LOG");
        if (log != null) {
            Files.writeString(Path.of(log), String.join(" ", args) + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        }
        if (args.size() < 3 || !args.get(0).equals("-m") || !args.get(1).equals("mlflow.store.artifact.cli")) {
            System.err.println("usage: python -m mlflow.store.artifact.cli COMMAND [ARGS]");
            return 2;
        }
        List<String> command = args.subList(2, args.size());
        if (command.contains("--help")) {
            System.out.println("Usage: python -m mlflow.store.artifact.cli [OPTIONS] COMMAND [ARGS]...");
            return 0;
        }
        if (!command.getFirst().equals("download")) {
            System.err.println("Error: No such command '" + command.getFirst() + "'.");
            return 2;
        }
        String uri = option(command, "--artifact-uri", "-u");
        String dst = option(command, "--dst-path", "-d");
        if (uri == null) {
            System.err.println("Error: this stand-in downloads by --artifact-uri only");
            return 2;
        }
        ArtifactClient client = ArtifactClient.fromEnvironment(System.getenv());
        Path target = dst != null ? Path.of(dst) : Files.createTempDirectory("tmp");
        if (uri.startsWith("models:/")) {
            String[] parts = uri.substring("models:/".length()).split("/");
            if (parts.length != 2) {
                System.err.println("Error: expected models:/NAME/VERSION, got " + uri);
                return 1;
            }
            client.downloadModelVersion(parts[0], parts[1], target);
        } else {
            client.download(uri, "", target);
        }
        // click.echo(f"\n{downloaded_local_artifact_location}")
        System.out.println();
        System.out.println(target.toAbsolutePath());
        return 0;
    }

    private static String option(List<String> args, String name, String shortName) {
        for (int i = 0; i < args.size() - 1; i++) {
            if (args.get(i).equals(name) || args.get(i).equals(shortName)) {
                return args.get(i + 1);
            }
        }
        return null;
    }
}
