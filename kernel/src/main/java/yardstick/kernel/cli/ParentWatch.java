package yardstick.kernel.cli;

import java.util.Optional;
import yardstick.kernel.guard.ExitGuard;
import yardstick.kernel.protocol.Log;

/**
 * Ends this process when the process that started it is gone, as ipykernel's parent poller does, so a front end that
 * dies (killed, crashed) leaves no kernel behind. The process watched is {@code JPY_PARENT_PID}, which jupyter_client
 * sets, else the parent at start. It is gone when it no longer runs, or when this process has a new parent: a parent
 * that died but was not yet reaped still looks alive, while its children are handed to another process at once.
 */
final class ParentWatch {
    static final long POLL_MS = 1000;
    /** How long the exit may run shutdown hooks before the process halts. */
    static final long HALT_AFTER_MS = 5000;

    private ParentWatch() {}

    /**
     * Starts watching on a daemon thread: {@code JPY_PARENT_PID} when {@code jupyter} and it is set, else the parent.
     * Returns the pid watched, or -1 when there is nothing to watch.
     */
    static long start(boolean jupyter) {
        ProcessHandle self = ProcessHandle.current();
        long parentAtStart = self.parent().map(ProcessHandle::pid).orElse(-1L);
        long watched = jupyter ? parse(System.getenv("JPY_PARENT_PID")).orElse(parentAtStart) : parentAtStart;
        // init never goes away, it only adopts: a process started by it has no parent to outlive.
        if (watched <= 1) return -1;
        Optional<ProcessHandle> handle = ProcessHandle.of(watched);
        if (handle.isEmpty()) {
            gone(watched);
            return watched;
        }
        ProcessHandle parent = handle.get();
        Thread t = new Thread(() -> {
            while (true) {
                try {
                    Thread.sleep(POLL_MS);
                } catch (InterruptedException e) {
                    return;
                }
                try {
                    long parentNow = self.parent().map(ProcessHandle::pid).orElse(-1L);
                    if (!parent.isAlive() || (watched == parentAtStart && parentNow != parentAtStart)) {
                        gone(watched);
                        return;
                    }
                } catch (OutOfMemoryError e) {
                    // a cell filled the heap for a moment: look again at the next tick
                }
            }
        }, "yardstick-parent-watch");
        t.setDaemon(true);
        t.start();
        return watched;
    }

    private static void gone(long pid) {
        Log.warn("the process that started this one (" + pid + ") is gone; exiting");
        Thread halt = new Thread(() -> {
            try {
                Thread.sleep(HALT_AFTER_MS);
            } catch (InterruptedException ignored) {
                // halt now
            }
            ExitGuard.halt(1);
        }, "yardstick-parent-watch-halt");
        halt.setDaemon(true);
        halt.start();
        ExitGuard.exit(1);
    }

    static Optional<Long> parse(String pid) {
        if (pid == null || pid.isBlank()) return Optional.empty();
        try {
            return Optional.of(Long.parseLong(pid.strip()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
