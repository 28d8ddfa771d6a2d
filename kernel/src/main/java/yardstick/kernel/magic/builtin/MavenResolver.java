package yardstick.kernel.magic.builtin;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.RepositorySystemSession.CloseableSession;
import org.eclipse.aether.artifact.Artifact;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.collection.CollectRequest;
import org.eclipse.aether.graph.Dependency;
import org.eclipse.aether.repository.AuthenticationSelector;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.resolution.ArtifactResult;
import org.eclipse.aether.resolution.DependencyRequest;
import org.eclipse.aether.resolution.DependencyResolutionException;
import org.eclipse.aether.supplier.RepositorySystemSupplier;
import org.eclipse.aether.supplier.SessionBuilderSupplier;
import org.eclipse.aether.transfer.ArtifactNotFoundException;
import org.eclipse.aether.util.filter.DependencyFilterUtils;
import org.eclipse.aether.util.repository.AuthenticationBuilder;
import org.eclipse.aether.util.repository.DefaultAuthenticationSelector;
import org.eclipse.aether.util.repository.DefaultMirrorSelector;
import org.eclipse.aether.util.repository.DefaultProxySelector;
import yardstick.kernel.magic.MagicException;

/**
 * Resolves Maven coordinates and their runtime dependencies with Maven Resolver, as Maven itself would: Maven
 * Central plus extra repositories, the settings' mirrors, credentials, proxies and local repository, and one
 * dependency graph for all coordinates of a call, so version conflicts between them are mediated (nearest wins).
 */
public final class MavenResolver {
    public static final String CENTRAL = "https://repo.maven.apache.org/maven2/";

    /** One resolved artifact and its file in the local repository. */
    public record Resolved(String groupId, String artifactId, String version, Path file) {
        @Override
        public String toString() {
            return groupId + ":" + artifactId + ":" + version;
        }
    }

    private final MavenSettings settings;

    public MavenResolver(MavenSettings settings) {
        this.settings = settings;
    }

    /** Parses {@code G:A:V} (or {@code G:A:EXT[:CLASSIFIER]:V}), with a clear error naming a bad coordinate. */
    public static Artifact artifact(String coordinate) throws MagicException {
        try {
            DefaultArtifact a = new DefaultArtifact(coordinate);
            if (a.getGroupId().isBlank() || a.getArtifactId().isBlank() || a.getVersion().isBlank()) {
                throw new IllegalArgumentException("empty part");
            }
            return a;
        } catch (IllegalArgumentException e) {
            throw new MagicException("bad coordinate '" + coordinate + "': expected groupId:artifactId:version");
        }
    }

    /**
     * Resolves the coordinates (with their compile and runtime dependencies) from the given repositories, tried
     * before Maven Central, and returns every artifact of the mediated graph.
     */
    public List<Resolved> resolve(List<String> coordinates, List<String> repositories) throws MagicException {
        if (coordinates.isEmpty()) throw new MagicException("needs at least one groupId:artifactId:version");
        CollectRequest collect = new CollectRequest();
        for (String c : coordinates) collect.addDependency(new Dependency(artifact(c), "runtime"));
        List<RemoteRepository> repos = new ArrayList<>();
        for (int i = 0; i < repositories.size(); i++) {
            repos.add(new RemoteRepository.Builder("repo" + (i + 1), "default", repositories.get(i)).build());
        }
        repos.add(new RemoteRepository.Builder("central", "default", CENTRAL).build());

        RepositorySystem system = new RepositorySystemSupplier().get();
        try (CloseableSession session = new SessionBuilderSupplier(system).get()
                .withLocalRepositoryBaseDirectories(settings.localRepository())
                .setOffline(settings.offline())
                .setMirrorSelector(mirrors())
                .setProxySelector(proxies())
                .setAuthenticationSelector(credentials())
                .setSystemProperties(System.getProperties())
                .build()) {
            collect.setRepositories(system.newResolutionRepositories(session, repos));
            DependencyRequest request = new DependencyRequest(collect,
                    DependencyFilterUtils.classpathFilter("runtime"));
            List<Resolved> out = new ArrayList<>();
            for (ArtifactResult r : system.resolveDependencies(session, request).getArtifactResults()) {
                Artifact a = r.getArtifact();
                out.add(new Resolved(a.getGroupId(), a.getArtifactId(), a.getVersion(), a.getPath()));
            }
            return out;
        } catch (DependencyResolutionException e) {
            throw new MagicException(explain(e));
        } finally {
            system.shutdown();
        }
    }

    /** One line naming what could not be found, rather than Resolver's nested exceptions. */
    private static String explain(DependencyResolutionException e) {
        Set<String> missing = new LinkedHashSet<>();
        for (Throwable t = e; t != null; t = t.getCause()) {
            for (Throwable s : t.getSuppressed()) if (s instanceof ArtifactNotFoundException) missing.add(oneLine(s));
            if (t instanceof ArtifactNotFoundException) missing.add(oneLine(t));
        }
        if (e.getResult() != null) {
            for (ArtifactResult r : e.getResult().getArtifactResults()) {
                for (Exception x : r.getExceptions()) if (x instanceof ArtifactNotFoundException) missing.add(oneLine(x));
            }
            for (Exception x : e.getResult().getCollectExceptions()) {
                for (Throwable t = x; t != null; t = t.getCause()) {
                    if (t instanceof ArtifactNotFoundException) missing.add(oneLine(t));
                }
            }
        }
        if (!missing.isEmpty()) return "could not resolve: " + String.join("; ", missing);
        Throwable root = e;
        while (root.getCause() != null) root = root.getCause();
        return "could not resolve: " + oneLine(root == e ? e : root);
    }

    private static String oneLine(Throwable t) {
        String m = String.valueOf(t.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    private DefaultMirrorSelector mirrors() {
        DefaultMirrorSelector s = new DefaultMirrorSelector();
        for (MavenSettings.Mirror m : settings.mirrors()) s.add(m.id(), m.url(), "default", false, false, m.mirrorOf(), "*");
        return s;
    }

    private DefaultProxySelector proxies() {
        DefaultProxySelector s = new DefaultProxySelector();
        for (MavenSettings.Proxy p : settings.proxies()) {
            var auth = p.username() == null ? null
                    : new AuthenticationBuilder().addUsername(p.username()).addPassword(p.password()).build();
            s.add(new org.eclipse.aether.repository.Proxy(p.protocol(), p.host(), p.port(), auth), p.nonProxyHosts());
        }
        return s;
    }

    private AuthenticationSelector credentials() {
        DefaultAuthenticationSelector s = new DefaultAuthenticationSelector();
        for (MavenSettings.Server sv : settings.servers()) {
            if (sv.username() == null) continue;
            s.add(sv.id(), new AuthenticationBuilder().addUsername(sv.username()).addPassword(sv.password()).build());
        }
        return s;
    }
}
