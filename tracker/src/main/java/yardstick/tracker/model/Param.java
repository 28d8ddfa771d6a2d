package yardstick.tracker.model;

/** A run parameter: written once, immutable afterwards. */
public record Param(String key, String value) {}
