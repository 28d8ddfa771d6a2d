package yardstick.kernel.eval;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The bytecode of every class JShell loaded for the notebook's snippets, by binary name ({@code REPL.$JShell$12$Shout}),
 * as javac wrote it (before the stop-check instrumentation, which calls a class only the kernel has). A batch engine
 * serves these to its workers so objects and lambdas made in cells can run there. JShell gives a changed declaration a
 * new wrapper class, so a name keeps its bytes; a later load of the same name replaces them.
 */
public final class SnippetClasses {
    private final Map<String, byte[]> bytes = new LinkedHashMap<>();

    synchronized void record(String name, byte[] code) {
        bytes.put(name, code.clone());
    }

    /** A copy of every class loaded so far, in load order. */
    public synchronized Map<String, byte[]> all() {
        Map<String, byte[]> copy = new LinkedHashMap<>();
        bytes.forEach((k, v) -> copy.put(k, v.clone()));
        return copy;
    }

    public synchronized int size() {
        return bytes.size();
    }
}
