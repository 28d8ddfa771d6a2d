package yardstick.tracker.model;

/** A key/value tag on a run, an experiment or a dataset input. */
public record Tag(String key, String value) {}
