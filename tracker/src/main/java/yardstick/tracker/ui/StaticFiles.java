package yardstick.tracker.ui;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import yardstick.tracker.model.MlflowException;

/**
 * The UI's own scripts and styles (resources under {@code yardstick/tracker/ui/static/}) and the uPlot chart library
 * from its WebJar, all from the class path: the UI needs nothing from the network.
 */
final class StaticFiles {
    static final String PREFIX = "/static/";
    private static final String OWN = "yardstick/tracker/ui/static/";
    private static final String UPLOT = "META-INF/resources/webjars/uplot/" + webJarVersion("org.webjars.npm", "uplot") + "/dist/";
    /** The files served, by their path under {@link #PREFIX}, to where they are on the class path. */
    private static final Map<String, String> FILES = Map.of(
            "ui.css", OWN + "ui.css",
            "ui.js", OWN + "ui.js",
            "charts.js", OWN + "charts.js",
            "uplot/uPlot.iife.min.js", UPLOT + "uPlot.iife.min.js",
            "uplot/uPlot.min.css", UPLOT + "uPlot.min.css");

    private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

    Pages.Response serve(String path) {
        String resource = FILES.get(path.substring(PREFIX.length()));
        if (resource == null) {
            throw MlflowException.notFound("No page at " + path);
        }
        byte[] body = cache.computeIfAbsent(resource, StaticFiles::read);
        String type = resource.endsWith(".js") ? "text/javascript; charset=utf-8" : "text/css; charset=utf-8";
        return new Pages.Response(200, type, body, Map.of("Cache-Control", "max-age=3600", "X-Content-Type-Options", "nosniff"));
    }

    private static byte[] read(String resource) {
        try (InputStream in = StaticFiles.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("Missing from the class path: " + resource);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The version of a WebJar on the class path, from its Maven metadata, so the pom alone names it. */
    private static String webJarVersion(String group, String artifact) {
        String props = "META-INF/maven/" + group + "/" + artifact + "/pom.properties";
        try (InputStream in = StaticFiles.class.getClassLoader().getResourceAsStream(props)) {
            if (in == null) {
                throw new IllegalStateException("Missing from the class path: " + props);
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
