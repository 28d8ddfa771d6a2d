package yardstick.tracker.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Refuses, with 403, what only a hostile web page makes a browser send: a {@code Host} this tracker is not known by
 * (DNS rebinding, where the attacker's name comes to point at this machine) and, on a request that may change state,
 * an {@code Origin} other than the tracker's own. Clients that are not browsers send no {@code Origin} and pass.
 *
 * <p>Known hosts are loopback names and addresses, the host the tracker was told to listen on, and the allowed
 * hosts it was given ({@code *.example.org} matches subdomains, {@code *} any host). When it listens on every
 * interface, any IP address is known too: a rebinding attack always arrives under the attacker's host name.
 */
public final class HostOriginFilter extends Filter {
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private final List<String> names = new ArrayList<>();
    private final List<String> suffixes = new ArrayList<>();
    private final boolean anyHost;
    private final boolean anyAddress;

    /**
     * @param listenHost the host the tracker listens on ({@code --host})
     * @param allowedHosts further names clients may use ({@code --allowed-hosts})
     */
    public HostOriginFilter(String listenHost, List<String> allowedHosts) {
        boolean any = false;
        names.add("localhost");
        names.add(stripBrackets(listenHost.toLowerCase(Locale.ROOT)));
        for (String h : allowedHosts) {
            String name = stripBrackets(h.trim().toLowerCase(Locale.ROOT));
            if (name.equals("*")) {
                any = true;
            } else if (name.startsWith("*.")) {
                suffixes.add(name.substring(1));
            } else if (!name.isEmpty()) {
                names.add(name);
            }
        }
        this.anyHost = any;
        InetAddress listen = literal(stripBrackets(listenHost));
        this.anyAddress = listen != null && listen.isAnyLocalAddress();
    }

    @Override
    public void doFilter(HttpExchange ex, Chain chain) throws IOException {
        String host = ex.getRequestHeaders().getFirst("Host");
        if (!knownHost(host)) {
            refuse(ex, "Invalid Host header '" + host + "': this tracker answers to localhost, loopback addresses, the host"
                    + " it listens on and --allowed-hosts (YARDSTICK_TRACKER_ALLOWED_HOSTS)");
            return;
        }
        if (!SAFE_METHODS.contains(ex.getRequestMethod())) {
            String origin = ex.getRequestHeaders().getFirst("Origin");
            if (origin != null && !sameOrigin(origin, host)) {
                refuse(ex, "Cross-origin request refused: Origin '" + origin + "' is not this tracker's own origin");
                return;
            }
        }
        chain.doFilter(ex);
    }

    /** Whether a Host header value (name or address, with an optional port) names this tracker. */
    boolean knownHost(String header) {
        if (header == null || header.isBlank()) {
            return false;
        }
        String part = hostPart(header.trim());
        if (part == null || part.isEmpty()) {
            return false;
        }
        String host = part.toLowerCase(Locale.ROOT);
        if (anyHost || names.contains(host) || host.endsWith(".localhost")) {
            return true;
        }
        for (String suffix : suffixes) {
            if (host.endsWith(suffix)) {
                return true;
            }
        }
        InetAddress address = literal(host);
        return address != null && (address.isLoopbackAddress() || anyAddress);
    }

    /** Whether {@code origin} is scheme://host[:port] of the Host the request was sent to (any scheme, for TLS proxies). */
    static boolean sameOrigin(String origin, String hostHeader) {
        URI uri;
        try {
            uri = new URI(origin.trim());
        } catch (Exception e) {
            return false;
        }
        String scheme = uri.getScheme();
        if (scheme == null || uri.getHost() == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
            return false; // Origin: null (sandboxed frames, file: pages) and anything odd
        }
        int defaultPort = scheme.equalsIgnoreCase("https") ? 443 : 80;
        int originPort = uri.getPort() < 0 ? defaultPort : uri.getPort();
        String h = hostHeader.trim();
        String hostName = hostPart(h);
        int hostPort = defaultPort;
        int colon = h.lastIndexOf(':');
        if (colon > h.lastIndexOf(']')) {
            try {
                hostPort = Integer.parseInt(h.substring(colon + 1));
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return hostName != null && stripBrackets(uri.getHost()).equalsIgnoreCase(hostName) && originPort == hostPort;
    }

    /** The name or address in a Host value, without port or IPv6 brackets; null when malformed. */
    private static String hostPart(String header) {
        if (header.startsWith("[")) {
            int close = header.indexOf(']');
            return close < 0 ? null : header.substring(1, close);
        }
        int colon = header.indexOf(':');
        return colon < 0 ? header : header.substring(0, colon);
    }

    private static String stripBrackets(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    /** The address a literal IPv4 or IPv6 text names, or null for a host name; never asks DNS. */
    private static InetAddress literal(String host) {
        try {
            if (IPV4.matcher(host).matches()) {
                String[] parts = host.split("\\.");
                byte[] bytes = new byte[4];
                for (int i = 0; i < 4; i++) {
                    int octet = Integer.parseInt(parts[i]);
                    if (octet > 255) {
                        return null;
                    }
                    bytes[i] = (byte) octet;
                }
                return InetAddress.getByAddress(bytes);
            }
            // In brackets, getByName parses an IPv6 literal or fails; it never looks a name up.
            return host.contains(":") ? InetAddress.getByName("[" + host + "]") : null;
        } catch (UnknownHostException | SecurityException e) {
            return null;
        }
    }

    private static void refuse(HttpExchange ex, String message) throws IOException {
        try (ex) {
            Exchanges.drain(ex);
            ObjectNode body = JsonCodec.object().put("error_code", "PERMISSION_DENIED").put("message", message);
            Exchanges.sendJson(ex, 403, body);
        }
    }

    @Override
    public String description() {
        return "Host and Origin checks against DNS rebinding and cross-site requests";
    }
}
