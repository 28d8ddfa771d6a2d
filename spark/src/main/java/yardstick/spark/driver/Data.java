package yardstick.spark.driver;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import yardstick.spark.Locations;

/**
 * Reading and writing a job's data: a Parquet, Delta, CSV or JSONL path (any Hadoop file system URI) or a table name.
 * The format comes from {@code --format} or the path's extension; a folder with a {@code _delta_log} is Delta.
 */
final class Data {
    /** What a run records as its input: where, in which format, and what exactly was read. */
    record Source(String location, String format, String digest, Long version) {}

    private Data() {}

    static String format(Cluster cluster, String location, String given) {
        if (given != null) return normal(given);
        String l = location.toLowerCase(Locale.ROOT);
        if (l.endsWith(".parquet")) return "parquet";
        if (l.endsWith(".jsonl") || l.endsWith(".json") || l.endsWith(".ndjson")) return "jsonl";
        if (l.endsWith(".csv")) return "csv";
        if (exists(cluster, location + "/_delta_log")) return "delta";
        return "parquet";
    }

    private static String normal(String f) {
        String n = f.toLowerCase(Locale.ROOT);
        return switch (n) {
            case "parquet", "delta", "csv", "jsonl" -> n;
            case "json" -> "jsonl";
            default -> throw new IllegalArgumentException("unknown format '" + f + "': parquet, delta, csv or jsonl");
        };
    }

    static Dataset<Row> read(Cluster cluster, String location, String format) throws Exception {
        SparkSession spark = cluster.spark;
        if (Locations.isTableName(location) && !exists(cluster, location)) return spark.table(location);
        try {
            // FAILFAST: a malformed line is an error naming the file, never a silently dropped or null row.
            Dataset<Row> rows = switch (format) {
                case "jsonl" -> spark.read().option("mode", "FAILFAST").json(location);
                case "csv" -> spark.read().option("mode", "FAILFAST").option("header", "true").csv(location);
                case "delta" -> spark.read().format("delta").load(location);
                default -> spark.read().parquet(location);
            };
            // A Connect client's reads are lazy: its schema, inferred on the server, fails here as a classic read does.
            rows.schema();
            return rows;
        } catch (Exception e) {
            // Spark throws its checked exceptions unchecked: catch them all.
            throw new IllegalArgumentException("cannot read " + location + " as " + format + ": " + Errors.oneLine(e), e);
        }
    }

    /**
     * Writes {@code rows}; a malformed record met while the job reads {@code input} (Spark parses lazily) fails the
     * write with a line that names the input.
     */
    static void write(Dataset<Row> rows, String location, String format, String input, String inputFormat) throws Exception {
        reading(input, inputFormat, () -> {
            write(rows, location, format);
            return null;
        });
    }

    /**
     * Runs a job that reads {@code input}; a malformed record met on the way (Spark parses lazily) fails it with a
     * line that names the input.
     */
    static <T> T reading(String input, String inputFormat, java.util.concurrent.Callable<T> job) throws Exception {
        try {
            return job.call();
        } catch (Exception e) {
            for (Throwable c = e; c != null; c = c.getCause()) {
                if (String.valueOf(c.getMessage()).contains("MALFORMED_RECORD")) {
                    throw new IllegalArgumentException("cannot read " + input + " as " + inputFormat + ": " + Errors.oneLine(c), e);
                }
            }
            throw e;
        }
    }

    private static void write(Dataset<Row> rows, String location, String format) {
        var w = rows.write().mode("errorifexists");
        if (Locations.isTableName(location)) {
            w.format(format.equals("jsonl") ? "json" : format).saveAsTable(location);
            return;
        }
        switch (format) {
            case "jsonl" -> w.json(location);
            case "csv" -> w.option("header", "true").csv(location);
            case "delta" -> w.format("delta").save(location);
            default -> w.parquet(location);
        }
    }

    static Dataset<Row> readBack(SparkSession spark, String location, String format) {
        if (Locations.isTableName(location)) return spark.table(location);
        return switch (format) {
            case "jsonl" -> spark.read().json(location);
            case "csv" -> spark.read().option("header", "true").csv(location);
            case "delta" -> spark.read().format("delta").load(location);
            default -> spark.read().parquet(location);
        };
    }

    /**
     * The input's identity for lineage: a Delta table's version, or a digest of the files read (path, size and
     * modification time: it changes when the data does, without reading it twice).
     */
    static Source source(Cluster cluster, Dataset<Row> ds, String location, String format) {
        SparkSession spark = cluster.spark;
        Long version = null;
        if (format.equals("delta")) {
            Row last = spark.sql("DESCRIBE HISTORY delta.`" + location + "` LIMIT 1").first();
            version = last.getAs("version");
        }
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            String[] files = ds.inputFiles();
            Arrays.sort(files);
            for (String f : files) {
                Path p = new Path(f);
                FileStatus st = p.getFileSystem(cluster.hadoop()).getFileStatus(p);
                sha.update((f + "\t" + st.getLen() + "\t" + st.getModificationTime() + "\n").getBytes(StandardCharsets.UTF_8));
            }
            if (version != null) sha.update(("version " + version).getBytes(StandardCharsets.UTF_8));
            return new Source(location, format, HexFormat.of().formatHex(sha.digest()), version);
        } catch (Exception e) {
            return new Source(location, format, "", version);
        }
    }

    /** Whether the location is there, as the driver sees it (a Spark Connect client sees its own machine's files). */
    static boolean exists(Cluster cluster, String location) {
        try {
            Path p = new Path(location);
            FileSystem fs = p.getFileSystem(cluster.hadoop());
            return fs.exists(p);
        } catch (Exception e) {
            return false;
        }
    }
}
