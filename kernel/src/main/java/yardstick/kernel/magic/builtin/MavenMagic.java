package yardstick.kernel.magic.builtin;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import yardstick.kernel.magic.Args;
import yardstick.kernel.magic.Magic;
import yardstick.kernel.magic.MagicCall;
import yardstick.kernel.magic.MagicException;

/** {@code %maven G:A:V...}: resolves artifacts with their dependencies and puts them on the classpath. */
public final class MavenMagic implements Magic {
    private static final Args.Spec SPEC = Args.Spec.of(Set.of("--repo", "--settings"), Set.of());

    @Override
    public String name() {
        return "maven";
    }

    @Override
    public String usage() {
        return "%maven G:A:V [G:A:V...] [--repo URL]... [--settings FILE]";
    }

    @Override
    public String help() {
        return "Resolves the artifacts and their runtime dependencies from Maven Central and each --repo (tried "
                + "first), honouring ~/.m2/settings.xml (or --settings FILE): local repository, mirrors, "
                + "credentials, proxies, offline; -Dmaven.repo.local overrides the local repository. All "
                + "coordinates of one call form one dependency graph, so conflicting versions are mediated as "
                + "Maven does (the nearest wins). Every resolved jar is added to the classpath of later cells.";
    }

    @Override
    public Object run(MagicCall call) throws MagicException {
        Args args = call.args(SPEC);
        List<String> coordinates = args.positionals();
        for (String c : coordinates) MavenResolver.artifact(c);
        MavenSettings settings;
        String file = args.option("--settings", null);
        try {
            settings = file == null ? MavenSettings.user()
                    : MavenSettings.read(requireFile(call.context().workingDirectory().resolve(file)));
        } catch (IOException e) {
            throw new MagicException(e.getMessage(), e);
        }
        List<MavenResolver.Resolved> resolved = new MavenResolver(settings).resolve(coordinates, args.all("--repo"));
        StringBuilder out = new StringBuilder("Added to the classpath:\n");
        for (MavenResolver.Resolved r : resolved) {
            call.context().addToClasspath(r.file());
            out.append("  ").append(r).append('\n');
        }
        System.out.print(out);
        return null;
    }

    private static Path requireFile(Path p) throws MagicException {
        if (!java.nio.file.Files.isRegularFile(p)) throw new MagicException("no such settings file: " + p);
        return p;
    }
}
