package yardstick.tracker.store;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import yardstick.tracker.artifacts.ArtifactUris;
import yardstick.tracker.model.MlflowException;

/**
 * What a model version's {@code source} may be and what it refers to, by MLflow's rules: a local path only
 * inside its run's local artifact directory, any other URI only without relative segments; {@code runs:/} and
 * {@code models:/} URIs name a run's artifacts or another version.
 */
final class ModelSources {
    private static final Pattern SCHEME = Pattern.compile("^([A-Za-z][A-Za-z0-9+.\\-]*):");
    private static final Pattern MODELS_URI = Pattern.compile("^models:/+([^/@]+)(?:/([0-9]+)|@([\\w\\-]+))/*$");

    /** A {@code runs:/RUN_ID/path} source split into its run and the path inside the run's artifacts. */
    record RunArtifact(String runId, String path) {}

    /** A {@code models:/NAME/VERSION} or {@code models:/NAME@ALIAS} source; one of version and alias is null. */
    record ModelReference(String name, String version, String alias) {}

    private ModelSources() {}

    /**
     * Refuses a source MLflow's server refuses. {@code runArtifactUri} is the artifact URI of the run the version
     * names, or null when no run was named or it is unknown.
     */
    static void check(String source, String runArtifactUri) {
        if (isLocal(source)) {
            if (runArtifactUri != null && isLocal(runArtifactUri)) {
                Path runDir = localPath(runArtifactUri);
                Path path = localPath(source);
                if (runDir != null && path != null && path.startsWith(runDir)) {
                    return;
                }
            }
            throw MlflowException.invalidParameter("Invalid model version source: '" + source + "'. To use a local path as a"
                    + " model version source, the run_id request parameter has to be specified and the local path has to be"
                    + " contained within the artifact directory of the run specified by the run_id.");
        }
        String decoded = source;
        for (int i = 0; i < 8; i++) {
            String once;
            try {
                once = URLDecoder.decode(decoded, StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                break;
            }
            if (once.equals(decoded)) {
                break;
            }
            decoded = once;
        }
        boolean relative = decoded.indexOf('\0') >= 0;
        for (String segment : decoded.split("/+")) {
            relative |= segment.equals("..") || segment.equals(".");
        }
        if (relative) {
            throw MlflowException.invalidParameter("Invalid model version source: '" + source + "'. If supplying a source as"
                    + " an http, https, local file path, ftp, objectstore, or mlflow-artifacts uri, an absolute path must be"
                    + " provided without relative path references present. Please provide an absolute path.");
        }
    }

    /** The run and path of a {@code runs:/} source; null for any other source. */
    static RunArtifact runArtifact(String source) {
        if (!source.startsWith("runs:/")) {
            return null;
        }
        String rest = ArtifactUris.trimSlashes(source.substring("runs:".length()));
        if (rest.isEmpty()) {
            return null;
        }
        int slash = rest.indexOf('/');
        return slash < 0 ? new RunArtifact(rest, "") : new RunArtifact(rest.substring(0, slash), ArtifactUris.trimSlashes(rest.substring(slash)));
    }

    /** The version a {@code models:/} source names; null for any other source. */
    static ModelReference modelReference(String source) {
        if (!source.startsWith("models:")) {
            return null;
        }
        Matcher m = MODELS_URI.matcher(source);
        if (!m.matches()) {
            throw MlflowException.invalidParameter("Unable to fetch model from model URI source artifact location '" + source
                    + "': expected models:/NAME/VERSION or models:/NAME@ALIAS");
        }
        return new ModelReference(m.group(1), m.group(2), m.group(3));
    }

    /** Joins an artifact URI and a relative path with one slash. */
    static String join(String artifactUri, String path) {
        String base = artifactUri.endsWith("/") ? artifactUri.substring(0, artifactUri.length() - 1) : artifactUri;
        return path.isEmpty() ? base : base + "/" + path;
    }

    private static boolean isLocal(String uri) {
        Matcher m = SCHEME.matcher(uri);
        // A one-letter "scheme" is a Windows drive (C:), which is a local path too.
        return !m.find() || m.group(1).length() == 1 || m.group(1).equalsIgnoreCase("file");
    }

    private static Path localPath(String uri) {
        try {
            Path p = uri.regionMatches(true, 0, "file:", 0, 5) ? Path.of(URI.create(uri)) : Path.of(uri);
            return p.toAbsolutePath().normalize();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

}
