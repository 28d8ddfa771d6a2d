package yardstick.tracker;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import yardstick.tracker.artifacts.ArtifactRepository;
import yardstick.tracker.artifacts.ArtifactUris;
import yardstick.tracker.home.HomeTracker;
import yardstick.tracker.review.ReviewApi;
import yardstick.tracker.review.ReviewPages;
import yardstick.tracker.review.ReviewService;
import yardstick.tracker.server.ApiHandler;
import yardstick.tracker.server.ArtifactHandler;
import yardstick.tracker.server.HostOriginFilter;
import yardstick.tracker.server.TokenFilter;
import yardstick.tracker.store.JdbcTrackerStore;
import yardstick.tracker.store.StoreUrl;
import yardstick.tracker.store.TrackerStore;
import yardstick.tracker.ui.UiHandler;

/**
 * A running tracker: MLflow's REST API, the artifact proxy and the history UI on one port. Start
 * one with {@link #start(TrackerConfig)}; port 0 picks a free port, which {@link #port()} reports.
 */
public final class TrackerServer implements AutoCloseable {
    private final HttpServer http;
    private final ExecutorService executor;
    private final TrackerStore store;
    private final ArtifactRepository artifacts;
    private final URI uri;
    /** Tells this server from another that took its port later; {@code /health} names it. */
    private final String instance = java.util.UUID.randomUUID().toString();

    private TrackerServer(HttpServer http, ExecutorService executor, TrackerStore store, ArtifactRepository artifacts) {
        this.http = http;
        this.executor = executor;
        this.store = store;
        this.artifacts = artifacts;
        InetSocketAddress address = http.getAddress();
        String host = address.getAddress().getHostAddress();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        this.uri = URI.create("http://" + host + ":" + address.getPort());
    }

    /**
     * Opens the store (migrating its schema), binds the port and starts serving.
     *
     * @throws IllegalArgumentException when bound beyond loopback without a token, or the store URL is invalid
     * @throws UncheckedIOException when the port cannot be bound
     */
    public static TrackerServer start(TrackerConfig config) {
        InetAddress address;
        try {
            address = InetAddress.getByName(config.host());
        } catch (IOException e) {
            throw new IllegalArgumentException("Unknown host '" + config.host() + "'", e);
        }
        boolean hasToken = config.token() != null && !config.token().isEmpty();
        if (!address.isLoopbackAddress() && !hasToken) {
            throw new IllegalArgumentException("Refusing to listen on " + config.host() + " without a token: anyone who can"
                    + " reach it could read and change every run. Set --token or YARDSTICK_TRACKER_TOKEN, or bind 127.0.0.1.");
        }
        configureHttpServer(config);
        ArtifactRepository artifacts = new ArtifactRepository(config.resolvedArtifactRoot(), config.maxArtifactBytes());
        TrackerStore store = JdbcTrackerStore.open(StoreUrl.parse(config.store()), ArtifactUris.SCHEME);
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        HttpServer http;
        try {
            http = HttpServer.create(new InetSocketAddress(address, config.port()), 1024);
        } catch (IOException e) {
            store.close();
            executor.close();
            throw new UncheckedIOException("Cannot listen on " + config.host() + ":" + config.port() + ": " + e.getMessage(), e);
        }
        http.setExecutor(executor);
        TrackerServer server = new TrackerServer(http, executor, store, artifacts);
        HostOriginFilter guard = new HostOriginFilter(config.host(), config.allowedHosts());
        TokenFilter auth = hasToken ? new TokenFilter(config.token()) : null;
        server.mount("/api/2.0/mlflow/", new ApiHandler(store, artifacts), guard, auth);
        server.mount(ArtifactHandler.PREFIX, new ArtifactHandler(artifacts), guard, auth);
        // Health probes (a load balancer's, Kubernetes') may name the tracker by any address; the answer reveals nothing.
        server.mount("/health", ex -> {
            try (ex) {
                ex.getResponseHeaders().set(HomeTracker.INSTANCE_HEADER, server.instance);
                byte[] ok = "OK".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                ex.sendResponseHeaders(200, ok.length);
                ex.getResponseBody().write(ok);
            }
        });
        ReviewService reviews = new ReviewService(store);
        server.mount(ReviewApi.PREFIX, new ReviewApi(reviews), guard, auth);
        // A rater's link carries its own credential, which opens that rater's queue only: no tracker token there.
        server.mount(ReviewPages.PREFIX, new ReviewPages(reviews), guard);
        server.mount("/", new UiHandler(store, artifacts), guard, auth);
        http.start();
        return server;
    }

    /** Mounts {@code handler} behind {@code filters} in order; null ones are skipped. */
    private void mount(String path, HttpHandler handler, Filter... filters) {
        HttpContext context = http.createContext(path, handler);
        for (Filter f : filters) {
            if (f != null) {
                context.getFilters().add(f);
            }
        }
    }

    /**
     * Sets the JDK HTTP server's time limits, which it reads once, when its first server is created in this JVM; a
     * value already set (with -D, or by an earlier tracker in this JVM) is kept. A request's headers and body must
     * arrive within the request timeout and its response be taken within as long again, so a client that sends a
     * byte at a time cannot hold a connection open forever; a connection that sends nothing at all is closed within
     * the lesser of that and the idle interval; a kept-alive connection is closed after 30 idle seconds.
     */
    static void configureHttpServer(TrackerConfig config) {
        String seconds = Integer.toString(config.requestTimeoutSeconds());
        setIfAbsent("sun.net.httpserver.maxReqTime", seconds);
        setIfAbsent("sun.net.httpserver.maxRspTime", seconds);
        setIfAbsent("sun.net.httpserver.idleInterval", "30");
        // The idle check runs every second, not every ten, so silent connections go on time.
        setIfAbsent("sun.net.httpserver.clockTick", "1000");
        // Small JSON answers must not wait for Nagle's algorithm.
        setIfAbsent("sun.net.httpserver.nodelay", "true");
    }

    private static void setIfAbsent(String name, String value) {
        if (System.getProperty(name) == null) {
            System.setProperty(name, value);
        }
    }

    /** The port actually bound. */
    public int port() {
        return http.getAddress().getPort();
    }

    /** The base URL, such as {@code http://127.0.0.1:5000}; this is the MLflow tracking URI. */
    public URI uri() {
        return uri;
    }

    /** A random id of this server, sent with every {@code /health} answer. */
    public String instance() {
        return instance;
    }

    /** The store behind the server, for in-process use. */
    public TrackerStore store() {
        return store;
    }

    public ArtifactRepository artifacts() {
        return artifacts;
    }

    /** Stops accepting requests, waits briefly for those in flight, and closes the store. */
    @Override
    public void close() {
        http.stop(0);
        executor.shutdown();
        try {
            executor.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        store.close();
    }
}
