package yardstick.kernel.protocol;

/** Broadcasts on the IOPub channel. Safe to call from any thread; messages leave in the order they were published. */
public interface IOPub {
    void publish(Message message);
}
