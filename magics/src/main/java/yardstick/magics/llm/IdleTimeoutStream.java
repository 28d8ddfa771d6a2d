package yardstick.magics.llm;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A response body that closes itself when one read waits longer than the idle timeout. HttpClient's request timeout
 * ends when the headers arrive, so without this a server that stalls in the middle of a stream would hold the cell
 * until an interrupt. {@link #stalled()} tells a stall from an ordinary end or failure.
 */
final class IdleTimeoutStream extends FilterInputStream {
    private static final ScheduledThreadPoolExecutor TIMER = timer();

    private final long idleMillis;
    private volatile boolean stalled;

    IdleTimeoutStream(InputStream in, Duration idle) {
        super(in);
        this.idleMillis = Math.max(1, idle.toMillis());
    }

    private static ScheduledThreadPoolExecutor timer() {
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, Thread.ofPlatform().daemon().name("yardstick-llm-idle").factory());
        t.setRemoveOnCancelPolicy(true);  // every read arms and cancels an alarm: cancelled ones must not pile up
        return t;
    }

    boolean stalled() {
        return stalled;
    }

    @Override
    public int read() throws IOException {
        ScheduledFuture<?> alarm = arm();
        try {
            return super.read();
        } finally {
            alarm.cancel(false);
        }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        ScheduledFuture<?> alarm = arm();
        try {
            return super.read(b, off, len);
        } finally {
            alarm.cancel(false);
        }
    }

    private ScheduledFuture<?> arm() {
        return TIMER.schedule(() -> {
            stalled = true;
            try {
                in.close(); // wakes the blocked read: the body's subscription is cancelled
            } catch (IOException ignored) {
                // the reader sees the stall through stalled()
            }
        }, idleMillis, TimeUnit.MILLISECONDS);
    }
}
