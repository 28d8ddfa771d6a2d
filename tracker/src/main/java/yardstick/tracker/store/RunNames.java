package yardstick.tracker.store;

import java.util.concurrent.ThreadLocalRandom;

/** Readable default run names (adjective-noun-number), as MLflow gives runs created without one. */
final class RunNames {
    private static final String[] ADJECTIVES = {
        "amber", "bold", "brave", "bright", "calm", "clever", "crisp", "eager", "gentle", "keen",
        "lucid", "merry", "nimble", "quiet", "rapid", "silent", "steady", "swift", "tidy", "vivid"
    };
    private static final String[] NOUNS = {
        "ant", "bat", "cod", "crane", "deer", "dove", "eel", "finch", "fox", "gnu",
        "hare", "lark", "lynx", "mole", "newt", "owl", "seal", "slug", "toad", "wren"
    };

    private RunNames() {}

    static String random() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return ADJECTIVES[r.nextInt(ADJECTIVES.length)] + "-" + NOUNS[r.nextInt(NOUNS.length)] + "-" + r.nextInt(1000);
    }
}
