package yardstick.kernel.eval;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * A {@link JavaEvaluator} starting on a thread of its own, so that JShell's start overlaps what a kernel does before
 * its first cell. When nothing has asked for it by the time it is built,
 * it also runs one throwaway snippet, so a first cell that comes later finds the compiler warm, and begins JShell's
 * indexing of the class path for completion; a cell that is already waiting is not made to wait for either.
 */
public final class EvaluatorStart {
    private final CompletableFuture<JavaEvaluator> ready = new CompletableFuture<>();
    private volatile boolean awaited;
    private final Thread thread;

    private EvaluatorStart(String classPath, List<String> imports, List<String> staticImports) {
        thread = new Thread(() -> {
            try {
                JavaEvaluator e = new JavaEvaluator(classPath, imports, staticImports);
                if (!awaited) e.valueOf("1 + 1");  // compiles and runs one snippet, leaving no variable behind
                if (!awaited) e.startCompletionIndex();  // while the kernel idles, not while a cell waits
                ready.complete(e);
            } catch (Throwable e) {
                ready.completeExceptionally(e);
            }
        }, "yardstick-jshell-start");
        thread.setDaemon(true);
    }

    /**
     * A start with this class path and these imports (as {@link JavaEvaluator}'s constructor takes them) that waits for
     * {@link #open()}, or for the first {@link #get()}.
     */
    public static EvaluatorStart prepare(String classPath, List<String> imports, List<String> staticImports) {
        return new EvaluatorStart(classPath, imports, staticImports);
    }

    /** Begins JShell's start, once; returns this start. */
    public synchronized EvaluatorStart open() {
        if (thread.getState() == Thread.State.NEW) thread.start();
        return this;
    }

    /** True once the evaluator is there (not while it starts, nor when its start failed). */
    public boolean started() {
        return ready.isDone() && !ready.isCompletedExceptionally();
    }

    /** The evaluator, waiting for its start to end; fails as its start failed. */
    public JavaEvaluator get() {
        if (!ready.isDone()) awaited = true;
        open();
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
