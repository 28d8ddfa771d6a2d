package yardstick.kernel.guard;

import java.util.function.ObjIntConsumer;

/**
 * The one class that the patched {@code Runtime.exit} and {@code Runtime.halt} call. It sits on the boot class path
 * (the agent jar's {@code Boot-Class-Path}) because {@code java.lang.Runtime} can only link to classes the boot loader
 * sees; it knows nothing of the kernel, which plugs its policy in as {@link #guard}.
 */
public final class ExitHook {
    /** Called with the method ("exit" or "halt") and the status; throws to refuse. Null lets every call through. */
    public static volatile ObjIntConsumer<String> guard;

    private ExitHook() {}

    /** Called first thing in {@code Runtime.exit(int)} and {@code Runtime.halt(int)}. */
    public static void check(String method, int status) {
        ObjIntConsumer<String> g = guard;
        if (g != null) g.accept(method, status);
    }
}
