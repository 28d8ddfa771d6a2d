package yardstick.tracker.store;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import yardstick.tracker.model.MlflowException;
import yardstick.tracker.model.ModelStage;
import yardstick.tracker.search.Clause;
import yardstick.tracker.search.Entity;
import yardstick.tracker.search.OrderBy;

/**
 * Translates parsed registered-models/search and model-versions/search requests into SQL, with the
 * filters, comparators and orderings MLflow's SQL registry store accepts.
 */
final class ModelSearchQuery {
    private static final Set<String> STRING_COMPARATORS = Set.of("=", "!=", "LIKE", "ILIKE");

    private final SqlDialect dialect;

    ModelSearchQuery(SqlDialect dialect) {
        this.dialect = dialect;
    }

    /** Selects the names of matching registered models. */
    SqlQuery registeredModels(List<Clause> clauses, List<OrderBy> orderBy, long offset, int limit) {
        SqlQuery q = new SqlQuery().append("SELECT m.name FROM registered_models m WHERE 1 = 1");
        for (Clause c : clauses) {
            q.append(" AND ");
            if (c.entity() == Entity.TAG) {
                tag("registered_model_tags t WHERE t.name = m.name", c, q);
            } else if (c.key().equals("name")) {
                compare("m.name", stringComparator(c, "attribute"), q);
            } else {
                throw MlflowException.invalidParameter("Invalid attribute name: " + c.key());
            }
        }
        SqlQuery order = new SqlQuery();
        Set<String> seen = new HashSet<>();
        for (OrderBy o : orderBy) {
            String column = switch (o.key()) {
                case "name" -> "m.name";
                case "last_updated_timestamp" -> "m.last_updated_time";
                case "creation_timestamp" -> "m.creation_time";
                default -> throw MlflowException.invalidParameter("Invalid order by key '" + o.key()
                        + "' specified. Valid keys are 'name', 'timestamp' and 'last_updated_timestamp'");
            };
            orderTerm(column, o, seen, order);
        }
        if (!seen.contains("m.name")) {
            order.append(order.isEmpty() ? "" : ", ").append("m.name ASC");
        }
        return q.append(" ORDER BY ").append(order).append(" LIMIT ? OFFSET ?", limit, offset);
    }

    /** Selects the name and version number of matching, undeleted model versions. */
    SqlQuery modelVersions(List<Clause> clauses, List<OrderBy> orderBy, long offset, int limit) {
        SqlQuery q = new SqlQuery().append("SELECT v.name, v.version FROM model_versions v WHERE v.current_stage <> ?",
                ModelStage.DELETED_INTERNAL);
        for (Clause c : clauses) {
            q.append(" AND ");
            if (c.entity() == Entity.TAG) {
                tag("model_version_tags t WHERE t.name = v.name AND t.version = v.version", c, q);
                continue;
            }
            switch (c.key()) {
                case "name" -> compare("v.name", stringComparator(c, "attribute"), q);
                case "source_path" -> compare("v.source", stringComparator(c, "attribute"), q);
                case "run_id" -> {
                    if (c.comparator().equals("IN")) {
                        q.appendIn("v.run_id", c.listValue());
                    } else {
                        compare("v.run_id", stringComparator(c, "attribute"), q);
                    }
                }
                case "version_number" -> q.append("v.version " + numeric(c.comparator()) + " ?", (long) c.numberValue());
                case "creation_timestamp" -> q.append("v.creation_time " + numeric(c.comparator()) + " ?", (long) c.numberValue());
                case "last_updated_timestamp" ->
                        q.append("v.last_updated_time " + numeric(c.comparator()) + " ?", (long) c.numberValue());
                default -> throw MlflowException.invalidParameter("Invalid attribute name: " + c.key());
            }
        }
        SqlQuery order = new SqlQuery();
        Set<String> seen = new HashSet<>();
        for (OrderBy o : orderBy) {
            String column = switch (o.key()) {
                case "name" -> "v.name";
                case "version_number" -> "v.version";
                case "creation_timestamp" -> "v.creation_time";
                case "last_updated_timestamp" -> "v.last_updated_time";
                default -> throw MlflowException.invalidParameter("Invalid order by key '" + o.key() + "' specified. Valid keys"
                        + " are ['creation_timestamp', 'last_updated_timestamp', 'name', 'version_number']");
            };
            orderTerm(column, o, seen, order);
        }
        if (!seen.contains("v.name")) {
            order.append(order.isEmpty() ? "" : ", ").append("v.name ASC");
        }
        if (!seen.contains("v.version")) {
            order.append(", v.version DESC");
        }
        return q.append(" ORDER BY ").append(order).append(" LIMIT ? OFFSET ?", limit, offset);
    }

    private static void orderTerm(String column, OrderBy o, Set<String> seen, SqlQuery order) {
        if (o.entity() != Entity.ATTRIBUTE) {
            throw MlflowException.invalidParameter("Invalid order by key '" + o.key() + "': only attributes can be ordered by");
        }
        if (!seen.add(column)) {
            throw MlflowException.invalidParameter("`order_by` contains duplicate fields: " + o.key());
        }
        order.append(order.isEmpty() ? "" : ", ").append(column + (o.ascending() ? " ASC" : " DESC"));
    }

    private void tag(String fromWhere, Clause c, SqlQuery q) {
        q.append("EXISTS (SELECT 1 FROM " + fromWhere + " AND t.key = ? AND ", c.key());
        compare("t.value", stringComparator(c, "tag"), q);
        q.append(")");
    }

    private static Clause stringComparator(Clause c, String kind) {
        if (!STRING_COMPARATORS.contains(c.comparator())) {
            throw MlflowException.invalidParameter("Invalid comparator for " + kind + ": " + c.comparator());
        }
        return c;
    }

    private static String numeric(String comparator) {
        return comparator.equals("!=") ? "<>" : comparator;
    }

    private void compare(String column, Clause c, SqlQuery q) {
        switch (c.comparator()) {
            case "LIKE", "ILIKE" -> {
                boolean caseSensitive = c.comparator().equals("LIKE");
                q.append(dialect.like(column, caseSensitive), dialect.likePattern(c.stringValue(), caseSensitive));
            }
            case "!=" -> q.append(column + " <> ?", c.stringValue());
            default -> q.append(column + " = ?", c.stringValue());
        }
    }
}
