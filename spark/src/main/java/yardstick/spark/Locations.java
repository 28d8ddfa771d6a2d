package yardstick.spark;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Where a cell's {@code --over}/{@code --output} points: a URI (hdfs://, s3a://, file:) and absolute paths go as they
 * are, a bare name that is no file here is a Spark table, anything else is a path relative to the notebook's folder
 * (the driver's JVM has another working directory).
 */
public final class Locations {
    private Locations() {}

    static String resolve(Path base, String location) {
        if (isUri(location) || location.startsWith("/")) return location;
        if (isTableName(location) && !Files.exists(base.resolve(location))) return location;
        return base.resolve(location).toAbsolutePath().normalize().toString();
    }

    /** A URI for any Hadoop file system ({@code hdfs://}, {@code s3a://}, {@code file:}). */
    static boolean isUri(String location) {
        return location.contains("://") || location.startsWith("file:");
    }

    /** A name whose extension says it is a Parquet, JSONL or CSV file. */
    static boolean isDataFile(String location) {
        return location.toLowerCase(Locale.ROOT).matches(".*\\.(parquet|jsonl|json|csv|ndjson)$");
    }

    /** A name that can be a Spark table ({@code [catalog.][db.]table}) and is no data file's. */
    public static boolean isTableName(String location) {
        return location.matches("[A-Za-z_]\\w*(\\.[A-Za-z_]\\w*){0,2}") && !isDataFile(location);
    }
}
