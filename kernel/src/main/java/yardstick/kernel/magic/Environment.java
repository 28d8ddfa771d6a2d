package yardstick.kernel.magic;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Environment variables as a notebook sees them: the process's, overlaid with those set by {@code %env}. The JVM
 * cannot change its own environment, so Yardstick's APIs read variables through here.
 */
public final class Environment {
    private static final Environment SHARED = new Environment();
    private final Map<String, String> overrides = new ConcurrentHashMap<>();

    public static Environment shared() {
        return SHARED;
    }

    public String get(String name) {
        String v = overrides.get(name);
        return v != null ? v : System.getenv(name);
    }

    /** Sets a variable for the notebook; a null value goes back to the process's own. */
    public void set(String name, String value) {
        if (value == null) overrides.remove(name);
        else overrides.put(name, value);
    }

    public Map<String, String> all() {
        Map<String, String> m = new TreeMap<>(System.getenv());
        m.putAll(overrides);
        return m;
    }
}
