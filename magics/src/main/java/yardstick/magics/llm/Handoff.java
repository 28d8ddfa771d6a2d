package yardstick.magics.llm;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Passes a live object from a magic into a notebook variable: the magic parks it here and evaluates
 * {@code Type var = (Type) Handoff.take(id);} in the notebook, which runs in this JVM and sees the same class.
 */
public final class Handoff {
    private static final Map<Long, Object> PARKED = new ConcurrentHashMap<>();
    private static final AtomicLong NEXT = new AtomicLong();

    private Handoff() {}

    static long park(Object value) {
        long id = NEXT.incrementAndGet();
        PARKED.put(id, value);
        return id;
    }

    /** The parked object, removed. */
    public static Object take(long id) {
        return PARKED.remove(id);
    }
}
