package yardstick.tracker;

import java.nio.file.Path;
import yardstick.common.Home;
import yardstick.common.YardstickNames;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * How a tracker runs: where it listens, which store and artifact root it uses, the token it requires, the host
 * names beyond loopback and {@code host} that clients may reach it by, and how long one request may take to arrive.
 * A null {@code artifactRoot} means "beside the SQLite file", or {@code ~/.yardstick/artifacts}.
 */
public record TrackerConfig(String host, int port, String store, Path artifactRoot, String token, long maxArtifactBytes,
        List<String> allowedHosts, int requestTimeoutSeconds) {
    public static final long DEFAULT_MAX_ARTIFACT_BYTES = 5L * 1024 * 1024 * 1024;
    /**
     * How long a request (headers and body) and, separately, its response may take: long enough for a large artifact
     * over a slow link, short enough that a client that sends its headers a byte at a time is cut off.
     */
    public static final int DEFAULT_REQUEST_TIMEOUT_SECONDS = 300;

    public TrackerConfig {
        allowedHosts = List.copyOf(allowedHosts);
        if (requestTimeoutSeconds <= 0) {
            throw new IllegalArgumentException("The request timeout must be positive, got " + requestTimeoutSeconds);
        }
    }

    /**
     * Loopback, port 5000, SQLite at {@code tracker.db} in the Yardstick home ({@code YARDSTICK_HOME}, as the kernel
     * resolves it), no token, no further host names.
     */
    public static TrackerConfig defaults() {
        return new TrackerConfig("127.0.0.1", YardstickNames.TRACKER_DEFAULT_PORT,
                "sqlite:" + yardstickHome().resolve(YardstickNames.TRACKER_DATABASE), null, null,
                DEFAULT_MAX_ARTIFACT_BYTES, List.of(), DEFAULT_REQUEST_TIMEOUT_SECONDS);
    }

    /** The Yardstick home from this process's environment and properties: see {@link Home}. */
    public static Path yardstickHome() {
        return Home.resolve();
    }

    public TrackerConfig withHost(String value) {
        return new TrackerConfig(value, port, store, artifactRoot, token, maxArtifactBytes, allowedHosts, requestTimeoutSeconds);
    }

    public TrackerConfig withPort(int value) {
        return new TrackerConfig(host, value, store, artifactRoot, token, maxArtifactBytes, allowedHosts, requestTimeoutSeconds);
    }

    public TrackerConfig withStore(String value) {
        return new TrackerConfig(host, port, value, artifactRoot, token, maxArtifactBytes, allowedHosts, requestTimeoutSeconds);
    }

    public TrackerConfig withArtifactRoot(Path value) {
        return new TrackerConfig(host, port, store, value, token, maxArtifactBytes, allowedHosts, requestTimeoutSeconds);
    }

    public TrackerConfig withToken(String value) {
        return new TrackerConfig(host, port, store, artifactRoot, value, maxArtifactBytes, allowedHosts, requestTimeoutSeconds);
    }

    public TrackerConfig withMaxArtifactBytes(long value) {
        return new TrackerConfig(host, port, store, artifactRoot, token, value, allowedHosts, requestTimeoutSeconds);
    }

    /** Host names (or addresses) clients may use beyond loopback and {@link #host()}; {@code *.domain} and {@code *} match many. */
    public TrackerConfig withAllowedHosts(List<String> value) {
        return new TrackerConfig(host, port, store, artifactRoot, token, maxArtifactBytes, value, requestTimeoutSeconds);
    }

    public TrackerConfig withRequestTimeoutSeconds(int value) {
        return new TrackerConfig(host, port, store, artifactRoot, token, maxArtifactBytes, allowedHosts, value);
    }

    /** The artifact root to use: the configured one, else one derived from the store. */
    public Path resolvedArtifactRoot() {
        if (artifactRoot != null) {
            return artifactRoot;
        }
        if (store.startsWith("sqlite:") || store.startsWith("jdbc:sqlite:")) {
            String file = store.substring(store.indexOf("sqlite:") + "sqlite:".length());
            if (file.startsWith("///")) {
                file = file.substring(3);
            }
            Path parent = Path.of(file).toAbsolutePath().getParent();
            if (parent != null) {
                return parent.resolve("artifacts");
            }
        }
        return yardstickHome().resolve("artifacts");
    }

    /**
     * Reads command-line options over the defaults:
     * {@code [--host H] [--port P] [--store URL] [--artifacts DIR] [--token T] [--max-artifact-bytes N]
     * [--allowed-hosts A,B] [--request-timeout SECONDS]}; the token may also come from {@code YARDSTICK_TRACKER_TOKEN}
     * and the allowed hosts from {@code YARDSTICK_TRACKER_ALLOWED_HOSTS}.
     */
    public static TrackerConfig parse(String[] args, Map<String, String> env) {
        TrackerConfig c = defaults();
        String envToken = env.get(YardstickNames.TRACKER_TOKEN_ENV);
        if (envToken != null && !envToken.isEmpty()) {
            c = c.withToken(envToken);
        }
        String envHosts = env.get(YardstickNames.TRACKER_ALLOWED_HOSTS_ENV);
        if (envHosts != null && !envHosts.isBlank()) {
            c = c.withAllowedHosts(hostList(envHosts));
        }
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name = arg;
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            if (name.equals("--help") || name.equals("-h")) {
                throw new IllegalArgumentException(usage());
            }
            if (value == null) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("Option " + name + " needs a value\n" + usage());
                }
                value = args[++i];
            }
            c = switch (name) {
                case "--host" -> c.withHost(value);
                case "--port" -> c.withPort(parseInt(name, value));
                case "--store" -> c.withStore(value);
                case "--artifacts" -> c.withArtifactRoot(Path.of(value));
                case "--token" -> c.withToken(value);
                case "--max-artifact-bytes" -> c.withMaxArtifactBytes(Long.parseLong(value));
                case "--allowed-hosts" -> c.withAllowedHosts(hostList(value));
                case "--request-timeout" -> c.withRequestTimeoutSeconds(parseInt(name, value));
                default -> throw new IllegalArgumentException("Unknown option " + name + "\n" + usage());
            };
        }
        return c;
    }

    private static List<String> hostList(String value) {
        return Arrays.stream(value.split(",")).map(String::trim).filter(h -> !h.isEmpty()).toList();
    }

    private static int parseInt(String name, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Option " + name + " needs a number, got '" + value + "'");
        }
    }

    public static String usage() {
        return "usage: yardstick tracker [--host 127.0.0.1] [--port 5000] [--store sqlite:PATH | jdbc:postgresql://...]"
                + " [--artifacts DIR] [--token TOKEN] [--max-artifact-bytes N] [--allowed-hosts NAME,NAME]"
                + " [--request-timeout SECONDS]\n"
                + "  The token may also be set with YARDSTICK_TRACKER_TOKEN; it is required on a non-loopback host.\n"
                + "  Requests must name the tracker as localhost, a loopback address, --host or one of --allowed-hosts"
                + " (also YARDSTICK_TRACKER_ALLOWED_HOSTS; *.domain matches subdomains), which guards against DNS rebinding.\n"
                + "  --request-timeout (default " + DEFAULT_REQUEST_TIMEOUT_SECONDS + ") bounds the seconds one request, and"
                + " separately its response, may take; raise it for very large artifact uploads over slow links.";
    }

    @Override
    public String toString() {
        // Never print the token.
        return "TrackerConfig[host=" + host + ", port=" + port + ", store=" + store + ", artifacts=" + resolvedArtifactRoot()
                + ", token=" + (token == null ? "none" : "set") + ", maxArtifactBytes=" + maxArtifactBytes + ", allowedHosts="
                + allowedHosts + ", requestTimeoutSeconds=" + requestTimeoutSeconds + "]";
    }
}
