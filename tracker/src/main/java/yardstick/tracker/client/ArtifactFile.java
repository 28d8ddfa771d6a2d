package yardstick.tracker.client;

/** An artifact as listed: its path relative to the run's artifact root, whether it is a directory, its size. */
public record ArtifactFile(String path, boolean directory, long size) {}
