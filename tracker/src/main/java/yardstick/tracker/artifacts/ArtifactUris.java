package yardstick.tracker.artifacts;

import yardstick.tracker.model.MlflowException;

/** Maps the {@code mlflow-artifacts:} URIs runs carry to paths inside the artifact root. */
public final class ArtifactUris {
    public static final String SCHEME = "mlflow-artifacts:";

    private ArtifactUris() {}

    /**
     * The repository path of a proxied artifact URI: {@code mlflow-artifacts:/1/abc/artifacts} and
     * {@code mlflow-artifacts://host:port/1/abc/artifacts} both give {@code 1/abc/artifacts}.
     */
    public static String repositoryPath(String uri) {
        if (uri == null || !uri.startsWith(SCHEME)) {
            throw MlflowException.invalidParameter("Artifact URI '" + uri + "' is not served by this tracker's artifact proxy");
        }
        String rest = uri.substring(SCHEME.length());
        if (rest.startsWith("//")) {
            int slash = rest.indexOf('/', 2);
            rest = slash < 0 ? "" : rest.substring(slash);
        }
        while (rest.startsWith("/")) {
            rest = rest.substring(1);
        }
        return rest.isEmpty() ? "" : ArtifactRepository.checkRelative(rest);
    }

    /** Decodes one level of percent-escapes in a URL path; null when an escape is malformed. */
    public static String decodePathOnce(String encoded) {
        return ArtifactRepository.percentDecode(encoded);
    }

    /** The path without slashes at either end: "/a/b/" gives "a/b". */
    public static String trimSlashes(String s) {
        int start = 0, end = s.length();
        while (start < end && s.charAt(start) == '/') start++;
        while (end > start && s.charAt(end - 1) == '/') end--;
        return s.substring(start, end);
    }
}
