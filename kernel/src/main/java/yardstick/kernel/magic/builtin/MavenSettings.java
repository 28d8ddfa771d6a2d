package yardstick.kernel.magic.builtin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/**
 * The parts of a Maven {@code settings.xml} that dependency resolution needs: the local repository, offline mode,
 * mirrors, server credentials and active proxies. {@code ${user.home}}, other system properties and
 * {@code ${env.NAME}} are interpolated as Maven does.
 */
public record MavenSettings(Path localRepository, boolean offline, List<Mirror> mirrors, List<Server> servers,
        List<Proxy> proxies) {

    public record Mirror(String id, String url, String mirrorOf) {}

    public record Server(String id, String username, String password) {}

    public record Proxy(String protocol, String host, int port, String username, String password,
            String nonProxyHosts) {}

    private static final Pattern PROPERTY = Pattern.compile("\\$\\{([^}]+)}");

    /** The user's settings: {@code ~/.m2/settings.xml}. */
    public static MavenSettings user() throws IOException {
        return read(Path.of(System.getProperty("user.home"), ".m2", "settings.xml"));
    }

    /**
     * Reads a settings file; a missing file means Maven's defaults. The {@code maven.repo.local} system property
     * overrides the file's local repository, as it does for Maven.
     */
    public static MavenSettings read(Path file) throws IOException {
        Element root = null;
        if (Files.isRegularFile(file)) {
            try {
                DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
                f.setNamespaceAware(false);
                f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
                Document doc = f.newDocumentBuilder().parse(file.toFile());
                root = doc.getDocumentElement();
            } catch (SAXException | javax.xml.parsers.ParserConfigurationException e) {
                throw new IOException("cannot parse " + file + ": " + e.getMessage(), e);
            }
        }
        String local = System.getProperty("maven.repo.local");
        if (local == null || local.isBlank()) local = text(root, "localRepository");
        Path localRepo = local == null || local.isBlank()
                ? Path.of(System.getProperty("user.home"), ".m2", "repository") : Path.of(local);
        List<Mirror> mirrors = new ArrayList<>();
        for (Element m : children(child(root, "mirrors"), "mirror")) {
            mirrors.add(new Mirror(text(m, "id"), text(m, "url"), text(m, "mirrorOf")));
        }
        List<Server> servers = new ArrayList<>();
        for (Element s : children(child(root, "servers"), "server")) {
            servers.add(new Server(text(s, "id"), text(s, "username"), text(s, "password")));
        }
        List<Proxy> proxies = new ArrayList<>();
        for (Element p : children(child(root, "proxies"), "proxy")) {
            if ("false".equals(text(p, "active"))) continue;
            String port = text(p, "port");
            proxies.add(new Proxy(orElse(text(p, "protocol"), "http"), text(p, "host"),
                    port == null ? 8080 : Integer.parseInt(port), text(p, "username"), text(p, "password"),
                    text(p, "nonProxyHosts")));
        }
        return new MavenSettings(localRepo.toAbsolutePath(), "true".equals(text(root, "offline")),
                List.copyOf(mirrors), List.copyOf(servers), List.copyOf(proxies));
    }

    private static Element child(Element parent, String name) {
        if (parent == null) return null;
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) return e;
        }
        return null;
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> out = new ArrayList<>();
        if (parent == null) return out;
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) out.add(e);
        }
        return out;
    }

    private static String text(Element parent, String name) {
        Element e = child(parent, name);
        return e == null ? null : interpolate(e.getTextContent().strip());
    }

    private static String orElse(String v, String fallback) {
        return v == null || v.isEmpty() ? fallback : v;
    }

    static String interpolate(String s) {
        Matcher m = PROPERTY.matcher(s);
        StringBuilder out = new StringBuilder();
        Map<String, String> env = System.getenv();
        while (m.find()) {
            String key = m.group(1);
            String v = key.startsWith("env.") ? env.get(key.substring(4)) : System.getProperty(key);
            m.appendReplacement(out, Matcher.quoteReplacement(v != null ? v : m.group()));
        }
        return m.appendTail(out).toString();
    }
}
