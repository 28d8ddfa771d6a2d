package yardstick.tracker.store;

import java.util.List;
import yardstick.tracker.model.LifecycleStage;
import yardstick.tracker.model.MlflowException;
import yardstick.tracker.model.ViewType;
import yardstick.tracker.search.Clause;
import yardstick.tracker.search.OrderBy;

/** Translates a parsed runs/search request into one SQL query over {@code runs r} that returns run ids. */
final class RunSearchQuery {
    private final SqlDialect dialect;

    RunSearchQuery(SqlDialect dialect) {
        this.dialect = dialect;
    }

    SqlQuery build(List<Long> experimentIds, List<Clause> clauses, ViewType viewType, List<OrderBy> orderBy,
            long offset, int limit) {
        SqlQuery joins = new SqlQuery();
        SqlQuery order = new SqlQuery();
        for (int i = 0; i < orderBy.size(); i++) {
            orderTerm(orderBy.get(i), "o" + i, joins, order);
        }
        SqlQuery q = new SqlQuery().append("SELECT r.run_uuid FROM runs r").append(joins).append(" WHERE ");
        q.appendIn("r.experiment_id", experimentIds);
        switch (viewType) {
            case ACTIVE_ONLY -> q.append(" AND r.lifecycle_stage = ?", LifecycleStage.ACTIVE.word());
            case DELETED_ONLY -> q.append(" AND r.lifecycle_stage = ?", LifecycleStage.DELETED.word());
            case ALL -> { }
        }
        for (Clause c : clauses) {
            q.append(" AND ");
            predicate(c, q);
        }
        q.append(" ORDER BY ").append(order).append(order.isEmpty() ? "" : ", ")
                .append("r.start_time DESC, r.run_uuid ASC LIMIT ? OFFSET ?", limit, offset);
        return q;
    }

    private void predicate(Clause c, SqlQuery q) {
        switch (c.entity()) {
            case METRIC -> q.append("EXISTS (SELECT 1 FROM latest_metrics m WHERE m.run_uuid = r.run_uuid AND m.key = ?"
                    + " AND m.is_nan = 0 AND m.value " + sqlComparator(c.comparator()) + " ?)", c.key(), c.numberValue());
            case PARAM -> keyValue("params", c, q);
            case TAG -> keyValue("tags", c, q);
            case ATTRIBUTE -> attribute(c, q);
            case DATASET -> dataset(c, q);
        }
    }

    private void keyValue(String table, Clause c, SqlQuery q) {
        String exists = "EXISTS (SELECT 1 FROM " + table + " kv WHERE kv.run_uuid = r.run_uuid AND kv.key = ?";
        switch (c.comparator()) {
            case "IS NULL" -> q.append("NOT " + exists + ")", c.key());
            case "IS NOT NULL" -> q.append(exists + ")", c.key());
            default -> {
                q.append(exists + " AND ", c.key());
                stringComparison("kv.value", c, q);
                q.append(")");
            }
        }
    }

    /** The runs-table column of a run attribute a filter or an order_by names; {@code what} names it in the error. */
    private static String attributeColumn(String key, String what) {
        return switch (key) {
            case "run_id" -> "r.run_uuid";
            case "run_name" -> "r.name";
            case "status" -> "r.status";
            case "user_id" -> "r.user_id";
            case "artifact_uri" -> "r.artifact_uri";
            case "lifecycle_stage" -> "r.lifecycle_stage";
            case "start_time" -> "r.start_time";
            case "end_time" -> "r.end_time";
            default -> throw MlflowException.invalidParameter("Invalid " + what + " key '" + key + "'");
        };
    }

    private void attribute(Clause c, SqlQuery q) {
        String column = attributeColumn(c.key(), "attribute");
        if (c.value() instanceof Double d) {
            q.append(column + " " + sqlComparator(c.comparator()) + " ?", d.longValue());
        } else {
            stringComparison(column, c, q);
        }
    }

    private void dataset(Clause c, SqlQuery q) {
        q.append("EXISTS (SELECT 1 FROM inputs i JOIN datasets d ON d.dataset_uuid = i.source_id");
        String column;
        if (c.key().equals("context")) {
            q.append(" JOIN input_tags it ON it.input_uuid = i.input_uuid AND it.name = 'mlflow.data.context'");
            column = "it.value";
        } else {
            column = "d." + c.key();
        }
        q.append(" WHERE i.destination_id = r.run_uuid AND ");
        stringComparison(column, c, q);
        q.append(")");
    }

    private void stringComparison(String column, Clause c, SqlQuery q) {
        switch (c.comparator()) {
            case "=", "!=" -> q.append(column + " " + sqlComparator(c.comparator()) + " ?", c.stringValue());
            case "LIKE", "ILIKE" -> {
                boolean caseSensitive = c.comparator().equals("LIKE");
                q.append(dialect.like(column, caseSensitive), dialect.likePattern(c.stringValue(), caseSensitive));
            }
            case "IN" -> q.appendIn(column, c.listValue());
            case "NOT IN" -> q.appendIn(column + " NOT", c.listValue());
            default -> throw MlflowException.invalidParameter("Invalid comparator '" + c.comparator() + "'");
        }
    }

    private static String sqlComparator(String comparator) {
        return comparator.equals("!=") ? "<>" : comparator;
    }

    private void orderTerm(OrderBy o, String alias, SqlQuery joins, SqlQuery order) {
        String dir = o.ascending() ? " ASC" : " DESC";
        if (!order.isEmpty()) {
            order.append(", ");
        }
        switch (o.entity()) {
            case METRIC -> {
                joins.append(" LEFT JOIN latest_metrics " + alias + " ON " + alias + ".run_uuid = r.run_uuid AND "
                        + alias + ".key = ?", o.key());
                // Runs without the metric sort last, then NaN, as MLflow orders them.
                order.append("(CASE WHEN " + alias + ".run_uuid IS NULL THEN 2 WHEN " + alias + ".is_nan = 1 THEN 1 ELSE 0 END) ASC, "
                        + alias + ".value" + dir);
            }
            case PARAM, TAG -> {
                String table = o.entity() == yardstick.tracker.search.Entity.PARAM ? "params" : "tags";
                joins.append(" LEFT JOIN " + table + " " + alias + " ON " + alias + ".run_uuid = r.run_uuid AND "
                        + alias + ".key = ?", o.key());
                order.append("(CASE WHEN " + alias + ".value IS NULL THEN 1 ELSE 0 END) ASC, " + alias + ".value" + dir);
            }
            case ATTRIBUTE -> {
                String column = attributeColumn(o.key(), "order_by");
                order.append("(CASE WHEN " + column + " IS NULL THEN 1 ELSE 0 END) ASC, " + column + dir);
            }
            case DATASET -> throw MlflowException.invalidParameter("Cannot order by datasets");
        }
    }
}
