package yardstick.kernel.magic.builtin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * %maven against file repositories built here, so nothing touches the network: a settings file mirrors Central to
 * one of them and sets a fresh local repository.
 */
class MavenMagicTest {
    @TempDir
    static Path dir;
    static TestNotebook nb;
    static Path central, extra, local, settings;

    @BeforeAll
    static void start() throws IOException {
        central = Files.createDirectories(dir.resolve("central-mirror"));
        extra = Files.createDirectories(dir.resolve("extra-repo"));
        local = dir.resolve("local-repo");
        Path shared10 = publish(central, "shared", "1.0", "demo.shared.Version",
                "package demo.shared; public class Version { public static String get() { return \"1.0\"; } }", null);
        publish(central, "shared", "2.0", "demo.shared.Version",
                "package demo.shared; public class Version { public static String get() { return \"2.0\"; } }", null);
        // alpha -> shared 1.0 (depth 2); beta -> middle -> shared 2.0 (depth 3): Maven keeps the nearer 1.0.
        publish(central, "alpha", "1.0", "demo.alpha.Alpha",
                "package demo.alpha; public class Alpha { public static String hello() {"
                        + " return \"alpha uses shared \" + demo.shared.Version.get(); } }", shared10, "shared:1.0");
        publish(central, "middle", "1.0", "demo.middle.Middle",
                "package demo.middle; public class Middle {}", null, "shared:2.0");
        publish(central, "beta", "1.0", "demo.beta.Beta",
                "package demo.beta; public class Beta { public static String name() { return \"beta\"; } }", null,
                "middle:1.0");
        publish(extra, "gamma", "3.1", "demo.gamma.Gamma",
                "package demo.gamma; public class Gamma { public static int three() { return 3; } }", null);
        settings = Files.writeString(dir.resolve("settings.xml"), """
                <settings>
                  <localRepository>%s</localRepository>
                  <mirrors>
                    <mirror><id>test-central</id><mirrorOf>central</mirrorOf><url>%s</url></mirror>
                  </mirrors>
                </settings>
                """.formatted(local, central.toUri()));
        nb = new TestNotebook(dir);
    }

    @AfterAll
    static void stop() {
        nb.close();
    }

    /** Writes demo:NAME:VERSION (a jar of one class and a POM with the given dependencies) into a repository. */
    private static Path publish(Path repo, String name, String version, String className, String source,
            Path compileAgainst, String... deps) throws IOException {
        Path d = Files.createDirectories(repo.resolve("demo").resolve(name).resolve(version));
        Path jar = d.resolve(name + "-" + version + ".jar");
        if (compileAgainst == null) TestJars.jar(jar, className, source);
        else TestJars.jar(jar, className, source, compileAgainst);
        StringBuilder dependencies = new StringBuilder();
        for (String dep : deps) {
            String[] p = dep.split(":");
            dependencies.append("<dependency><groupId>demo</groupId><artifactId>").append(p[0])
                    .append("</artifactId><version>").append(p[1]).append("</version></dependency>");
        }
        Files.writeString(d.resolve(name + "-" + version + ".pom"), """
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>demo</groupId><artifactId>%s</artifactId><version>%s</version>
                  <dependencies>%s</dependencies>
                </project>
                """.formatted(name, version, dependencies));
        return jar;
    }

    @Test
    void resolvesAllCoordinatesAsOneGraphSoTheNearestVersionWins() {
        nb.ok("%maven demo:beta:1.0 demo:alpha:1.0 --settings " + settings);
        String out = nb.out();
        assertTrue(out.startsWith("Added to the classpath:\n"), out);
        for (String a : new String[] {"demo:beta:1.0", "demo:middle:1.0", "demo:alpha:1.0", "demo:shared:1.0"}) {
            assertTrue(out.contains("  " + a + "\n"), a + " missing in:\n" + out);
        }
        assertFalse(out.contains("shared:2.0"), "shared 2.0 is farther away and must lose:\n" + out);
        assertEquals("alpha uses shared 1.0", nb.ok("demo.alpha.Alpha.hello()"));
        assertEquals("beta", nb.ok("demo.beta.Beta.name()"));
        assertTrue(Files.isRegularFile(local.resolve("demo/shared/1.0/shared-1.0.jar")), "cached in the local repo");
    }

    @Test
    void extraRepositoriesAreSearched() {
        nb.ok("%maven demo:gamma:3.1 --repo " + extra.toUri() + " --settings " + settings);
        assertTrue(nb.out().contains("  demo:gamma:3.1\n"), nb.out());
        assertEquals(3, nb.ok("demo.gamma.Gamma.three()"));
    }

    @Test
    void badCoordinatesNameTheCoordinate() {
        String tb = nb.fails("%maven demo:alpha --settings " + settings);
        assertTrue(tb.startsWith("MagicError: %maven: bad coordinate 'demo:alpha': expected groupId:artifactId:version"),
                tb);
        assertTrue(tb.contains("usage: %maven G:A:V"), tb);
        assertTrue(nb.fails("%maven --settings " + settings).contains("needs at least one groupId:artifactId:version"));
        assertTrue(nb.fails("%maven demo:alpha:1.0 --settings nowhere.xml").contains("no such settings file: "
                + dir.resolve("nowhere.xml")));
    }

    @Test
    void unresolvableArtifactsAreNamed() {
        String tb = nb.fails("%maven demo:missing:9.9 --settings " + settings);
        assertTrue(tb.startsWith("MagicError: %maven: could not resolve: "), tb);
        assertTrue(tb.contains("demo:missing:jar:9.9"), tb);
        assertEquals(2, tb.lines().count(), "one line and the usage:\n" + tb);
    }

    @Test
    void settingsAreReadWithMirrorsServersAndLocalRepository() throws IOException {
        Path f = Files.writeString(dir.resolve("full-settings.xml"), """
                <settings xmlns="http://maven.apache.org/SETTINGS/1.0.0">
                  <localRepository>${user.home}/custom-repo</localRepository>
                  <offline>true</offline>
                  <mirrors><mirror><id>corp</id><mirrorOf>*</mirrorOf><url>https://repo.corp/maven</url></mirror></mirrors>
                  <servers><server><id>corp</id><username>me</username><password>pw</password></server></servers>
                  <proxies><proxy><active>false</active><host>off</host></proxy>
                    <proxy><host>proxy.corp</host><port>3128</port></proxy></proxies>
                </settings>
                """);
        MavenSettings s = MavenSettings.read(f);
        assertEquals(Path.of(System.getProperty("user.home"), "custom-repo"), s.localRepository());
        assertTrue(s.offline());
        assertEquals(java.util.List.of(new MavenSettings.Mirror("corp", "https://repo.corp/maven", "*")), s.mirrors());
        assertEquals(java.util.List.of(new MavenSettings.Server("corp", "me", "pw")), s.servers());
        assertEquals(1, s.proxies().size());
        assertEquals(3128, s.proxies().get(0).port());

        String before = System.getProperty("maven.repo.local");
        System.setProperty("maven.repo.local", dir.resolve("from-property").toString());
        try {
            assertEquals(dir.resolve("from-property"), MavenSettings.read(f).localRepository());
        } finally {
            if (before == null) System.clearProperty("maven.repo.local");
            else System.setProperty("maven.repo.local", before);
        }
        assertEquals(Path.of(System.getProperty("user.home"), ".m2", "repository"),
                MavenSettings.read(dir.resolve("absent.xml")).localRepository());
    }
}
