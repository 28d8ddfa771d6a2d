package yardstick.magics.engine;

import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import yardstick.kernel.magic.MagicCall;
import yardstick.kernel.magic.MagicException;

/** Hands a magic's call to the engine its {@code --engine} option names. */
public final class Engines {
    /** The engine that is the kernel's own JVM: the magics' usual path. */
    public static final String KERNEL = "kernel";

    private Engines() {}

    /**
     * The engine a call's {@code --engine NAME} names, or null: read before the magic parses its own options, as an
     * engine takes options of its own ({@code --output}) that the kernel's path has no use for.
     */
    public static String named(MagicCall call) throws MagicException {
        List<String> words = call.words();
        for (int i = 0; i < words.size(); i++) {
            if (words.get(i).startsWith("--engine=")) return words.get(i).substring("--engine=".length());
            if (words.get(i).equals("--engine") && i + 1 < words.size()) return words.get(i + 1);
        }
        return null;
    }

    /** True when {@code name} asks for an engine other than the kernel. */
    public static boolean elsewhere(String name) {
        return name != null && !name.equals(KERNEL);
    }

    public static Object run(String name, String magic, MagicCall call) throws Exception {
        ServiceLoader<Engine> engines = ServiceLoader.load(Engine.class, Engines.class.getClassLoader());
        for (Engine e : engines) if (e.name().equals(name)) return e.run(magic, call);
        String known = engines.stream().map(p -> p.get().name()).sorted().collect(Collectors.joining(", "));
        throw new MagicException("no engine named '" + name + "' is on the class path (engines: " + KERNEL
                + (known.isEmpty() ? "" : ", " + known) + ")");
    }
}
