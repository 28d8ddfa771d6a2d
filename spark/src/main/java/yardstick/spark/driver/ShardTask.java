package yardstick.spark.driver;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * One index task: writes its partition's shard ({@link ShardWriter}) and answers with what it did. With runs of files
 * ({@code groups}) the partition holds the numbers of its runs; else it holds rows of (id, text columns...). Through the
 * Dataset API, so a classic driver and a Spark Connect server run it alike; its stats come back Java-serialized.
 */
final class ShardTask implements MapPartitionsFunction<Row, Row> {
    private static final StructType STATS = new StructType().add("stats", DataTypes.BinaryType, false);
    private final ShardWriter.Spec spec;
    private final List<List<ShardWriter.FileRef>> groups;

    ShardTask(ShardWriter.Spec spec, List<List<ShardWriter.FileRef>> groups) {
        this.spec = spec;
        this.groups = groups;
    }

    static List<ShardWriter.Stats> run(Dataset<Row> input, ShardTask task) {
        List<ShardWriter.Stats> out = new ArrayList<>();
        for (Row r : input.mapPartitions(task, Encoders.row(STATS)).collectAsList()) out.add(read(r.getAs(0)));
        return out;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) throws Exception {
        Iterator<ShardWriter.Stats> stats;
        if (groups == null) {
            stats = ShardWriter.rows(spec, rows);
        } else {
            List<List<ShardWriter.FileRef>> mine = new ArrayList<>();
            rows.forEachRemaining(r -> mine.add(groups.get((int) r.getLong(0))));
            stats = ShardWriter.files(spec, mine.iterator());
        }
        List<Row> out = new ArrayList<>();
        stats.forEachRemaining(s -> out.add(RowFactory.create((Object) write(s))));
        return out.iterator();
    }

    private static byte[] write(ShardWriter.Stats s) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (ObjectOutputStream o = new ObjectOutputStream(b)) {
            o.writeObject(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return b.toByteArray();
    }

    private static ShardWriter.Stats read(byte[] bytes) {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
            return (ShardWriter.Stats) in.readObject();
        } catch (IOException | ClassNotFoundException e) {
            throw new IllegalStateException("cannot read an index task's stats: " + e, e);
        }
    }
}
