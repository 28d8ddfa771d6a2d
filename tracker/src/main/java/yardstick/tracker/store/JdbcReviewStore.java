package yardstick.tracker.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import yardstick.tracker.model.ErrorCode;
import yardstick.tracker.model.MlflowException;
import yardstick.tracker.review.Answer;
import yardstick.tracker.review.RaterQueue;
import yardstick.tracker.review.ReviewItem;
import yardstick.tracker.review.ReviewSession;
import yardstick.tracker.review.ReviewStore;

/** Review sessions in the tracking store's database and transactions; lists and maps are kept as JSON text. */
final class JdbcReviewStore implements ReviewStore {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SESSION_COLUMNS = "session_id, name, mode, rubric, models, raters, items, created, expires,"
            + " closed, run_id";

    private final JdbcTrackerStore store;

    JdbcReviewStore(JdbcTrackerStore store) {
        this.store = store;
    }

    @Override
    public void create(ReviewSession s, List<ReviewItem> items, List<RaterQueue> queues) {
        store.write(c -> {
            // Created open: closed stays NULL.
            JdbcTrackerStore.update(c, "INSERT INTO review_sessions (session_id, name, mode, rubric, models, raters, items, created,"
                    + " expires, run_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    s.id(), s.name(), s.mode().name(), s.rubric(), json(s.models()), json(s.raters()), s.items(), s.created(),
                    s.expires(), s.runId());
            try (PreparedStatement p = c.prepareStatement("INSERT INTO review_items (session_id, item_index, item_key, input,"
                    + " context, outputs) VALUES (?, ?, ?, ?, ?, ?)")) {
                for (ReviewItem i : items) {
                    p.setString(1, s.id());
                    p.setInt(2, i.index());
                    p.setString(3, i.key());
                    p.setString(4, json(i.input()));
                    p.setString(5, i.context());
                    p.setString(6, json(i.outputs()));
                    p.addBatch();
                }
                p.executeBatch();
            }
            for (RaterQueue q : queues) {
                JdbcTrackerStore.update(c, "INSERT INTO review_raters (session_id, rater, token_hash, queue) VALUES (?, ?, ?, ?)",
                        s.id(), q.rater(), q.tokenHash(), json(q.slots()));
            }
            return null;
        });
    }

    @Override
    public ReviewSession session(String id) {
        return store.read(c -> {
            List<ReviewSession> found = sessions(c, "WHERE session_id = ?", id);
            if (found.isEmpty()) throw MlflowException.notFound("No review session with id '" + id + "'");
            return found.get(0);
        });
    }

    @Override
    public List<ReviewSession> sessions(String name) {
        return store.read(c -> name == null ? sessions(c, "") : sessions(c, "WHERE name = ?", name));
    }

    private List<ReviewSession> sessions(Connection c, String where, Object... values) throws SQLException {
        List<ReviewSession> out = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement("SELECT " + SESSION_COLUMNS + " FROM review_sessions " + where
                + " ORDER BY created DESC, session_id")) {
            SqlQuery.bind(p, List.of(values));
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    long closed = rs.getLong(10);
                    Long closedAt = rs.wasNull() ? null : closed;
                    out.add(new ReviewSession(rs.getString(1), rs.getString(2), ReviewSession.Mode.valueOf(rs.getString(3)),
                            rs.getString(4), read(rs.getString(5), new TypeReference<List<String>>() {}),
                            read(rs.getString(6), new TypeReference<List<String>>() {}), rs.getInt(7), rs.getLong(8),
                            rs.getLong(9), closedAt, rs.getString(11)));
                }
            }
        }
        return out;
    }

    @Override
    public RaterQueue queueByToken(String tokenHash) {
        return store.read(c -> {
            List<RaterQueue> q = queues(c, "WHERE token_hash = ?", tokenHash);
            return q.isEmpty() ? null : q.get(0);
        });
    }

    @Override
    public List<RaterQueue> queues(String sessionId) {
        return store.read(c -> queues(c, "WHERE session_id = ?", sessionId));
    }

    private List<RaterQueue> queues(Connection c, String where, String value) throws SQLException {
        List<RaterQueue> out = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement("SELECT session_id, rater, token_hash, queue FROM review_raters " + where
                + " ORDER BY rater")) {
            p.setString(1, value);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    out.add(new RaterQueue(rs.getString(1), rs.getString(2), rs.getString(3),
                            read(rs.getString(4), new TypeReference<List<RaterQueue.Slot>>() {})));
                }
            }
        }
        return out;
    }

    @Override
    public ReviewItem item(String sessionId, int index) {
        return store.read(c -> {
            List<ReviewItem> found = items(c, sessionId, index);
            if (found.isEmpty()) throw MlflowException.notFound("No item " + index + " in review session " + sessionId);
            return found.get(0);
        });
    }

    @Override
    public List<ReviewItem> items(String sessionId) {
        return store.read(c -> items(c, sessionId, null));
    }

    private List<ReviewItem> items(Connection c, String sessionId, Integer index) throws SQLException {
        List<ReviewItem> out = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement("SELECT item_index, item_key, input, context, outputs FROM review_items"
                + " WHERE session_id = ?" + (index == null ? "" : " AND item_index = ?") + " ORDER BY item_index")) {
            p.setString(1, sessionId);
            if (index != null) p.setInt(2, index);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    out.add(new ReviewItem(rs.getInt(1), rs.getString(2), read(rs.getString(3), new TypeReference<Map<String, String>>() {}),
                            rs.getString(4), read(rs.getString(5), new TypeReference<List<ReviewItem.Output>>() {})));
                }
            }
        }
        return out;
    }

    @Override
    public void answer(String sessionId, Answer a) {
        store.write(c -> {
            try (PreparedStatement p = c.prepareStatement("INSERT INTO review_answers (session_id, rater, item_index, score, choice,"
                    + " swapped, rationale, skipped, time) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (session_id, rater, item_index)"
                    + " DO UPDATE SET score = excluded.score, choice = excluded.choice, swapped = excluded.swapped,"
                    + " rationale = excluded.rationale, skipped = excluded.skipped, time = excluded.time")) {
                p.setString(1, sessionId);
                p.setString(2, a.rater());
                p.setInt(3, a.item());
                // Typed NULLs: PostgreSQL will not put a text NULL into an integer column.
                if (a.score() == null) p.setNull(4, java.sql.Types.INTEGER);
                else p.setInt(4, a.score());
                p.setString(5, a.choice());
                p.setInt(6, a.swapped() ? 1 : 0);
                p.setString(7, a.rationale());
                p.setInt(8, a.skipped() ? 1 : 0);
                p.setLong(9, a.time());
                return p.executeUpdate();
            }
        });
    }

    @Override
    public int answerCount(String sessionId) {
        return store.read(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT COUNT(*) FROM review_answers WHERE session_id = ?")) {
                p.setString(1, sessionId);
                try (ResultSet rs = p.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            }
        });
    }

    @Override
    public List<Answer> answers(String sessionId, String rater) {
        return store.read(c -> {
            List<Answer> out = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement("SELECT rater, item_index, score, choice, swapped, rationale, skipped, time"
                    + " FROM review_answers WHERE session_id = ?" + (rater == null ? "" : " AND rater = ?") + " ORDER BY time, rater, item_index")) {
                p.setString(1, sessionId);
                if (rater != null) p.setString(2, rater);
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        int score = rs.getInt(3);
                        Integer s = rs.wasNull() ? null : score;
                        out.add(new Answer(rs.getString(1), rs.getInt(2), s, rs.getString(4), rs.getInt(5) != 0, rs.getString(6),
                                rs.getInt(7) != 0, rs.getLong(8)));
                    }
                }
            }
            return out;
        });
    }

    @Override
    public void close(String sessionId, long time) {
        store.write(c -> {
            if (JdbcTrackerStore.update(c, "UPDATE review_sessions SET closed = COALESCE(closed, ?) WHERE session_id = ?", time, sessionId) == 0) {
                throw MlflowException.notFound("No review session with id '" + sessionId + "'");
            }
            return null;
        });
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new MlflowException(ErrorCode.INTERNAL_ERROR, "Cannot encode " + value + ": " + e.getMessage());
        }
    }

    private static <T> T read(String text, TypeReference<T> type) {
        try {
            return JSON.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new MlflowException(ErrorCode.INTERNAL_ERROR, "Corrupt review data: " + e.getMessage());
        }
    }
}
