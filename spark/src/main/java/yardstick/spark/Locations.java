package yardstick.spark;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a cell's {@code --over}/{@code --output} points: a URI (hdfs://, s3a://, file:) and absolute paths go as they
 * are, a bare name that is no file here is a Spark table, anything else is a path relative to the notebook's folder
 * (the driver's JVM has another working directory).
 */
final class Locations {
    private Locations() {}

    static String resolve(Path base, String location) {
        if (location.contains("://") || location.startsWith("file:") || location.startsWith("/")) return location;
        if (location.matches("[A-Za-z_]\\w*(\\.[A-Za-z_]\\w*){0,2}")
                && !location.matches(".*\\.(parquet|jsonl|json|csv|ndjson)$") && !Files.exists(base.resolve(location))) {
            return location;
        }
        return base.resolve(location).toAbsolutePath().normalize().toString();
    }
}
