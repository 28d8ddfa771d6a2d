package yardstick.tracker.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import yardstick.tracker.model.Dataset;
import yardstick.tracker.model.DatasetInput;
import yardstick.tracker.model.LifecycleStage;
import yardstick.tracker.model.Metric;
import yardstick.tracker.model.Param;
import yardstick.tracker.model.Run;
import yardstick.tracker.model.RunInfo;
import yardstick.tracker.model.RunStatus;
import yardstick.tracker.model.Tag;

/** Loads whole runs for a list of ids with one query per table (not one per run), keeping the ids' order. */
final class RunLoader {
    private static final int CHUNK = 500;

    private RunLoader() {}

    static List<Run> load(Connection c, List<String> ids) throws SQLException {
        List<Run> runs = new ArrayList<>(ids.size());
        for (int from = 0; from < ids.size(); from += CHUNK) {
            runs.addAll(loadChunk(c, ids.subList(from, Math.min(ids.size(), from + CHUNK))));
        }
        return runs;
    }

    private static List<Run> loadChunk(Connection c, List<String> ids) throws SQLException {
        Map<String, RunInfo> infos = new HashMap<>();
        Map<String, List<Metric>> metrics = new HashMap<>();
        Map<String, List<Param>> params = new HashMap<>();
        Map<String, List<Tag>> tags = new HashMap<>();
        Map<String, List<DatasetInput>> inputs = new HashMap<>();
        query(c, "SELECT run_uuid, name, experiment_id, user_id, status, start_time, end_time, artifact_uri, lifecycle_stage"
                + " FROM runs WHERE ", ids, rs -> {
                    long end = rs.getLong(7);
                    Long endTime = rs.wasNull() ? null : end;
                    infos.put(rs.getString(1), new RunInfo(rs.getString(1), rs.getString(2), Long.toString(rs.getLong(3)),
                            rs.getString(4), RunStatus.parse(rs.getString(5)), rs.getLong(6), endTime, rs.getString(8),
                            LifecycleStage.fromWord(rs.getString(9))));
                });
        if (infos.isEmpty()) {
            return List.of();
        }
        query(c, "SELECT run_uuid, key, value, is_nan, timestamp, step FROM latest_metrics WHERE ", ids, rs -> {
            double v = rs.getInt(4) == 1 ? Double.NaN : rs.getDouble(3);
            metrics.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                    .add(new Metric(rs.getString(2), v, rs.getLong(5), rs.getLong(6)));
        });
        query(c, "SELECT run_uuid, key, value FROM params WHERE ", ids, rs -> params
                .computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(new Param(rs.getString(2), rs.getString(3))));
        query(c, "SELECT run_uuid, key, value FROM tags WHERE ", ids, rs -> tags
                .computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(new Tag(rs.getString(2), rs.getString(3))));
        Map<String, List<Tag>> inputTags = new HashMap<>();
        query(c, "SELECT it.input_uuid, it.name, it.value FROM input_tags it JOIN inputs i ON i.input_uuid = it.input_uuid"
                + " WHERE i.", ids, "destination_id", rs -> inputTags
                .computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(new Tag(rs.getString(2), rs.getString(3))));
        query(c, "SELECT i.destination_id, i.input_uuid, d.name, d.digest, d.source_type, d.source, d.schema, d.profile"
                + " FROM inputs i JOIN datasets d ON d.dataset_uuid = i.source_id WHERE i.", ids, "destination_id", rs -> inputs
                .computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                .add(new DatasetInput(inputTags.getOrDefault(rs.getString(2), List.of()), new Dataset(rs.getString(3),
                        rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8)))));
        List<Run> runs = new ArrayList<>();
        for (String id : ids) {
            RunInfo info = infos.get(id);
            if (info == null) {
                continue;
            }
            List<Metric> m = new ArrayList<>(metrics.getOrDefault(id, List.of()));
            m.sort((a, b) -> a.key().compareTo(b.key()));
            List<Param> p = new ArrayList<>(params.getOrDefault(id, List.of()));
            p.sort((a, b) -> a.key().compareTo(b.key()));
            List<Tag> t = new ArrayList<>(tags.getOrDefault(id, List.of()));
            t.sort((a, b) -> a.key().compareTo(b.key()));
            runs.add(new Run(info, m, p, t, inputs.getOrDefault(id, List.of())));
        }
        return runs;
    }

    interface RowReader {
        void read(ResultSet rs) throws SQLException;
    }

    private static void query(Connection c, String prefix, List<String> ids, RowReader reader) throws SQLException {
        query(c, prefix, ids, "run_uuid", reader);
    }

    private static void query(Connection c, String prefix, List<String> ids, String column, RowReader reader)
            throws SQLException {
        SqlQuery q = new SqlQuery().append(prefix).appendIn(column, ids);
        try (PreparedStatement p = q.prepare(c); ResultSet rs = p.executeQuery()) {
            while (rs.next()) {
                reader.read(rs);
            }
        }
    }
}
