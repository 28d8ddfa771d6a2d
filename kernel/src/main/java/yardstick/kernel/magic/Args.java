package yardstick.kernel.magic;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A magic's parsed arguments: options with values ({@code --k V}, {@code --k=V}), flags, and positionals. */
public final class Args {
    /** The options and flags a magic accepts; anything else starting with {@code -} is an error. */
    public record Spec(Set<String> options, Set<String> flags) {
        public static Spec of(Set<String> options, Set<String> flags) {
            return new Spec(options, flags);
        }
    }

    private final Map<String, List<String>> options = new LinkedHashMap<>();
    private final List<String> positionals = new ArrayList<>();

    private Args() {}

    public static Args parse(List<String> words, Spec spec) throws MagicException {
        Args a = new Args();
        for (int i = 0; i < words.size(); i++) {
            String w = words.get(i);
            if (w.equals("--")) {
                a.positionals.addAll(words.subList(i + 1, words.size()));
                break;
            }
            if (!w.startsWith("-") || w.length() == 1 || isNumber(w)) {
                a.positionals.add(w);
                continue;
            }
            String name = w, value = null;
            int eq = w.indexOf('=');
            if (w.startsWith("--") && eq > 0) {
                name = w.substring(0, eq);
                value = w.substring(eq + 1);
            }
            if (spec.flags().contains(name) && value == null) {
                a.options.computeIfAbsent(name, k -> new ArrayList<>()).add("true");
            } else if (spec.options().contains(name)) {
                if (value == null) {
                    if (i + 1 >= words.size()) throw new MagicException("option " + name + " needs a value");
                    value = words.get(++i);
                }
                a.options.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            } else {
                throw new MagicException("unknown option " + name);
            }
        }
        return a;
    }

    private static boolean isNumber(String w) {
        try {
            Double.parseDouble(w);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    public List<String> positionals() {
        return positionals;
    }

    public boolean flag(String name) {
        return options.containsKey(name);
    }

    public String option(String name, String fallback) {
        List<String> v = options.get(name);
        return v == null ? fallback : v.get(v.size() - 1);
    }

    /** Every value given for a repeatable option, in order. */
    public List<String> all(String name) {
        return options.getOrDefault(name, List.of());
    }

    public int intOption(String name, int fallback) throws MagicException {
        String v = option(name, null);
        if (v == null) return fallback;
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new MagicException("option " + name + " needs an integer, got '" + v + "'");
        }
    }

    public double doubleOption(String name, double fallback) throws MagicException {
        String v = option(name, null);
        if (v == null) return fallback;
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new MagicException("option " + name + " needs a number, got '" + v + "'");
        }
    }
}
