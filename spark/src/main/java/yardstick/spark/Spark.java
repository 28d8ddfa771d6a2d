package yardstick.spark;

import java.nio.file.Path;
import yardstick.magics.YardstickHome;

/**
 * The notebook's Spark connection: {@code Spark.connect("spark://127.0.0.1:7077")}, then batch work with
 * {@code --engine spark} (or {@link SparkPrompt} from Java). One driver per kernel; connecting again replaces it.
 */
public final class Spark {
    private static SparkDriver current;

    private Spark() {}

    /** Starts a driver for {@code master} on the kernel's Java. */
    public static synchronized SparkDriver connect(String master) {
        return connect(master, null);
    }

    /** Starts a driver for {@code master} on the Java at {@code java} (a JDK's {@code bin/java}; null: the kernel's). */
    public static synchronized SparkDriver connect(String master, Path java) {
        DriverLaunch.checkMaster(master);
        stop();
        current = SparkDriver.start(master, java, YardstickHome.resolve());
        return current;
    }

    /** The connected driver; an error saying how to connect when there is none. */
    public static synchronized SparkDriver driver() {
        if (current == null) throw new SparkException("not connected to Spark: run %spark connect local[*] (or spark://HOST:7077, sc://HOST:15002) first");
        return current;
    }

    public static synchronized boolean connected() {
        return current != null && current.alive();
    }

    public static synchronized void stop() {
        if (current != null) current.close();
        current = null;
    }
}
