package yardstick.kernel.magic;

import java.util.Collection;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** The magics a notebook knows, by name: the built-in ones and every one a module registers as a service. */
public final class MagicRegistry {
    private final Map<String, Magic> magics = new TreeMap<>();

    public MagicRegistry(ClassLoader loader) {
        ServiceLoader.load(Magic.class, loader).forEach(this::register);
    }

    public void register(Magic m) {
        magics.put(m.name(), m);
    }

    public Magic get(String name) {
        return magics.get(name);
    }

    public Collection<Magic> all() {
        return magics.values();
    }
}
