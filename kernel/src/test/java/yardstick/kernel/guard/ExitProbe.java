package yardstick.kernel.guard;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Run by {@link ExitGuardTest} in a JVM of its own: with a session open, tries every way out of the JVM and prints
 * what each did, then leaves as the kernel does. With {@code no-session}, exits as a program does.
 */
public final class ExitProbe {
    private ExitProbe() {}

    private interface Way {
        void call() throws Throwable;
    }

    public static void main(String[] args) throws Throwable {
        System.out.println("active " + ExitGuard.active());
        if (args.length == 0) ExitGuard.sessionOpened();
        MethodHandle exit = MethodHandles.lookup().findStatic(System.class, "exit",
                MethodType.methodType(void.class, int.class));
        List<Way> ways = List.of(
                () -> System.exit(3),
                () -> Runtime.getRuntime().exit(4),
                () -> Runtime.getRuntime().halt(5),
                () -> System.class.getMethod("exit", int.class).invoke(null, 6),
                () -> exit.invoke(7),
                () -> {
                    AtomicReference<Throwable> died = new AtomicReference<>();
                    Thread t = new Thread(() -> Runtime.getRuntime().halt(8));
                    t.setUncaughtExceptionHandler((th, e) -> died.set(e));
                    t.start();
                    t.join();
                    throw died.get();
                });
        for (Way way : ways) {
            try {
                way.call();
                System.out.println("returned");
            } catch (Throwable e) {
                Throwable root = e;
                while (root.getCause() != null) root = root.getCause();
                System.out.println((root instanceof SystemExit ? "refused: " : "failed: ") + root.getMessage());
            }
        }
        System.out.println("still running");
        System.out.flush();
        ExitGuard.exit(42);
    }
}
