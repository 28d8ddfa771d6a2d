package yardstick.tracker.model;

/** A registered model's alias, such as {@code champion}, naming one of its versions. */
public record ModelAlias(String alias, int version) {}
