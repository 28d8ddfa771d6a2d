package yardstick.tracker.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** SQL text built piece by piece together with its bind values, in order. */
final class SqlQuery {
    private final StringBuilder sql = new StringBuilder();
    private final List<Object> values = new ArrayList<>();

    SqlQuery append(String text, Object... binds) {
        sql.append(text);
        values.addAll(List.of(binds));
        return this;
    }

    SqlQuery appendIn(String column, List<?> items) {
        sql.append(column).append(" IN (");
        for (int i = 0; i < items.size(); i++) {
            sql.append(i == 0 ? "?" : ",?");
        }
        sql.append(')');
        values.addAll(items);
        return this;
    }

    SqlQuery append(SqlQuery other) {
        sql.append(other.sql);
        values.addAll(other.values);
        return this;
    }

    boolean isEmpty() {
        return sql.isEmpty();
    }

    PreparedStatement prepare(Connection c) throws SQLException {
        PreparedStatement p = c.prepareStatement(sql.toString());
        bind(p, values);
        return p;
    }

    static void bind(PreparedStatement p, List<Object> values) throws SQLException {
        for (int i = 0; i < values.size(); i++) {
            Object v = values.get(i);
            if (v == null) {
                p.setNull(i + 1, java.sql.Types.VARCHAR);
            } else if (v instanceof Double d) {
                p.setDouble(i + 1, d);
            } else if (v instanceof Long l) {
                p.setLong(i + 1, l);
            } else if (v instanceof Integer n) {
                p.setInt(i + 1, n);
            } else {
                p.setObject(i + 1, v);
            }
        }
    }

    @Override
    public String toString() {
        return sql.toString();
    }
}
