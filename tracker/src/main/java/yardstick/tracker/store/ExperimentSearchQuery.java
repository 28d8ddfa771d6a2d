package yardstick.tracker.store;

import java.util.List;
import yardstick.tracker.model.MlflowException;
import yardstick.tracker.model.ViewType;
import yardstick.tracker.search.Clause;
import yardstick.tracker.search.Entity;
import yardstick.tracker.search.OrderBy;

/** Translates a parsed experiments/search request into SQL over {@code experiments e} that returns ids. */
final class ExperimentSearchQuery {
    private final SqlDialect dialect;

    ExperimentSearchQuery(SqlDialect dialect) {
        this.dialect = dialect;
    }

    SqlQuery build(List<Clause> clauses, ViewType viewType, List<OrderBy> orderBy, long offset, int limit) {
        SqlQuery q = new SqlQuery().append("SELECT e.experiment_id FROM experiments e WHERE 1 = 1");
        switch (viewType) {
            case ACTIVE_ONLY -> q.append(" AND e.lifecycle_stage = 'active'");
            case DELETED_ONLY -> q.append(" AND e.lifecycle_stage = 'deleted'");
            case ALL -> { }
        }
        for (Clause c : clauses) {
            q.append(" AND ");
            if (c.entity() == Entity.TAG) {
                q.append("EXISTS (SELECT 1 FROM experiment_tags t WHERE t.experiment_id = e.experiment_id AND t.key = ?", c.key());
                switch (c.comparator()) {
                    case "IS NULL" -> throw MlflowException.invalidParameter("IS NULL is not supported for experiment tags");
                    case "IS NOT NULL" -> q.append(")");
                    default -> {
                        q.append(" AND ");
                        compare("t.value", c, q);
                        q.append(")");
                    }
                }
            } else {
                compare("e." + c.key(), c, q);
            }
        }
        q.append(" ORDER BY ");
        for (OrderBy o : orderBy) {
            if (o.entity() != Entity.ATTRIBUTE) {
                throw MlflowException.invalidParameter("Invalid order_by entity for experiments: only attributes can be ordered by");
            }
            q.append("e." + o.key() + (o.ascending() ? " ASC, " : " DESC, "));
        }
        q.append("e.creation_time DESC, e.experiment_id ASC LIMIT ? OFFSET ?", limit, offset);
        return q;
    }

    private void compare(String column, Clause c, SqlQuery q) {
        switch (c.comparator()) {
            case "LIKE", "ILIKE" -> {
                boolean caseSensitive = c.comparator().equals("LIKE");
                q.append(dialect.like(column, caseSensitive), dialect.likePattern(c.stringValue(), caseSensitive));
            }
            case "IN" -> q.appendIn(column, c.listValue());
            case "NOT IN" -> q.appendIn(column + " NOT", c.listValue());
            default -> {
                Object v = c.value() instanceof Double d ? (Object) d.longValue() : c.value();
                q.append(column + " " + (c.comparator().equals("!=") ? "<>" : c.comparator()) + " ?", v);
            }
        }
    }
}
