package yardstick.tracker.server;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which Host and Origin values name the tracker itself. */
class HostOriginFilterTest {
    @Test
    void onLoopbackOnlyLoopbackNamesAndAddressesAreKnown() {
        HostOriginFilter f = new HostOriginFilter("127.0.0.1", List.of());
        for (String host : List.of("localhost", "localhost:5000", "LocalHost:1", "127.0.0.1:5000", "127.255.0.9", "[::1]:5000",
                "[::1]", "app.localhost:5000")) {
            assertTrue(f.knownHost(host), host);
        }
        for (String host : List.of("evil.example", "evil.example:5000", "10.0.0.7:5000", "localhost.evil.example",
                "127.0.0.1.evil.example", "999.0.0.1", "[::2]", "[::1", "", ":5000")) {
            assertFalse(f.knownHost(host), host);
        }
        assertFalse(f.knownHost(null));
    }

    @Test
    void theListenHostAndAllowedHostsAreKnown() {
        HostOriginFilter f = new HostOriginFilter("tracker.lan", List.of("ml.example.org", "*.team.example", " Other "));
        for (String host : List.of("tracker.lan:5000", "ml.example.org", "gpu1.team.example:443", "other")) {
            assertTrue(f.knownHost(host), host);
        }
        for (String host : List.of("example.org", "team.example", "evil-team.example", "10.0.0.7")) {
            assertFalse(f.knownHost(host), host);
        }
        assertTrue(new HostOriginFilter("127.0.0.1", List.of("*")).knownHost("anything.example"));
    }

    @Test
    void onEveryInterfaceAnyAddressIsKnownButNoForeignName() {
        HostOriginFilter f = new HostOriginFilter("0.0.0.0", List.of());
        assertTrue(f.knownHost("10.0.0.7:5000"));
        assertTrue(f.knownHost("[fd00::7]:5000"));
        assertFalse(f.knownHost("evil.example:5000"), "a rebinding attack arrives under the attacker's name");
        assertTrue(new HostOriginFilter("::", List.of()).knownHost("192.168.1.20"));
    }

    @Test
    void anOriginIsOwnWhenItsHostAndPortAreTheRequestsHost() {
        assertTrue(HostOriginFilter.sameOrigin("http://127.0.0.1:5000", "127.0.0.1:5000"));
        assertTrue(HostOriginFilter.sameOrigin("http://LOCALHOST:5000", "localhost:5000"));
        assertTrue(HostOriginFilter.sameOrigin("http://[::1]:5000", "[::1]:5000"));
        assertTrue(HostOriginFilter.sameOrigin("https://ml.example.org", "ml.example.org"), "behind a TLS proxy");
        assertTrue(HostOriginFilter.sameOrigin("http://ml.example.org", "ml.example.org:80"));
        assertFalse(HostOriginFilter.sameOrigin("http://127.0.0.1:5001", "127.0.0.1:5000"));
        assertFalse(HostOriginFilter.sameOrigin("http://localhost:5000", "127.0.0.1:5000"));
        assertFalse(HostOriginFilter.sameOrigin("http://evil.example", "127.0.0.1:5000"));
        assertFalse(HostOriginFilter.sameOrigin("null", "127.0.0.1:5000"));
        assertFalse(HostOriginFilter.sameOrigin("file://", "127.0.0.1:5000"));
        assertFalse(HostOriginFilter.sameOrigin("chrome-extension://abc", "abc"));
    }
}
