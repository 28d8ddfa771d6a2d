package yardstick.kernel.eval;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * A {@link JavaEvaluator} starting on a thread of its own, begun as early as the JVM allows so that JShell's start
 * overlaps everything else a kernel does before its first cell. When nothing has asked for it by the time it is built,
 * it also runs one throwaway snippet, so a first cell that comes later finds the compiler warm, and begins JShell's
 * indexing of the class path for completion; a cell that is already waiting is not made to wait for either.
 */
public final class EvaluatorStart {
    private final CompletableFuture<JavaEvaluator> ready = new CompletableFuture<>();
    private volatile boolean awaited;

    private EvaluatorStart() {}

    /** Starts JShell with this class path and these imports (as {@link JavaEvaluator}'s constructor takes them). */
    public static EvaluatorStart begin(String classPath, List<String> imports, List<String> staticImports) {
        EvaluatorStart start = new EvaluatorStart();
        Thread t = new Thread(() -> {
            try {
                JavaEvaluator e = new JavaEvaluator(classPath, imports, staticImports);
                if (!start.awaited) e.valueOf("1 + 1");  // compiles and runs one snippet, leaving no variable behind
                if (!start.awaited) e.startCompletionIndex();  // while the kernel idles, not while a cell waits
                start.ready.complete(e);
            } catch (Throwable e) {
                start.ready.completeExceptionally(e);
            }
        }, "yardstick-jshell-start");
        t.setDaemon(true);
        t.start();
        return start;
    }

    /** True once the evaluator is there (not while it starts, nor when its start failed). */
    public boolean started() {
        return ready.isDone() && !ready.isCompletedExceptionally();
    }

    /** The evaluator, waiting for its start to end; fails as its start failed. */
    public JavaEvaluator get() {
        if (!ready.isDone()) awaited = true;
        try {
            return ready.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while JShell was starting", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("JShell failed to start: " + e.getCause(), e.getCause());
        }
    }
}
