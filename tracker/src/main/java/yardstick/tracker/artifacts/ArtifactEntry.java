package yardstick.tracker.artifacts;

/** One entry of a directory listing: its file name, whether it is a directory, and its size in bytes. */
public record ArtifactEntry(String name, boolean directory, long size) {}
