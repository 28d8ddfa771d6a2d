package yardstick.tracker.search;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import yardstick.tracker.model.MlflowException;

/**
 * Parses MLflow's search language: {@code metrics.x > 0.5 and params.lr = '0.1'} filters and
 * {@code metrics.acc DESC} order-by terms, for runs, experiments, registered models and model versions.
 */
public final class SearchGrammar {
    /** Attributes a run filter may name, mapped to their canonical names. */
    /** The most clauses a filter may join with AND; SQLite refuses expressions nested much deeper. */
    public static final int MAX_CLAUSES = 500;
    /** The most values one filter may compare with, IN lists included, well under the databases' bind limits. */
    public static final int MAX_VALUES = 10_000;
    /** The most order_by terms a search may have. */
    public static final int MAX_ORDER_BY_TERMS = 50;

    private static final Map<String, String> RUN_ATTRIBUTES = Map.ofEntries(
            Map.entry("run_id", "run_id"),
            Map.entry("run_uuid", "run_id"),
            Map.entry("run_name", "run_name"),
            Map.entry("status", "status"),
            Map.entry("user_id", "user_id"),
            Map.entry("artifact_uri", "artifact_uri"),
            Map.entry("start_time", "start_time"),
            Map.entry("created", "start_time"),
            Map.entry("end_time", "end_time"),
            Map.entry("lifecycle_stage", "lifecycle_stage"));

    private static final Map<String, String> EXPERIMENT_ATTRIBUTES = Map.of(
            "name", "name",
            "experiment_id", "experiment_id",
            "creation_time", "creation_time",
            "last_update_time", "last_update_time");

    /** Registered models: filters name only, orders by name or time ("timestamp" is MLflow's alias for the update time). */
    private static final Map<String, String> REGISTERED_MODEL_ATTRIBUTES = Map.of(
            "name", "name",
            "timestamp", "last_updated_timestamp",
            "last_updated_timestamp", "last_updated_timestamp",
            "creation_timestamp", "creation_timestamp");

    private static final Map<String, String> MODEL_VERSION_ATTRIBUTES = Map.of(
            "name", "name",
            "version_number", "version_number",
            "run_id", "run_id",
            "source_path", "source_path",
            "creation_timestamp", "creation_timestamp",
            "last_updated_timestamp", "last_updated_timestamp");

    private static final Set<String> NUMERIC_ATTRIBUTES = Set.of("start_time", "end_time", "creation_time", "last_update_time",
            "experiment_id", "version_number", "creation_timestamp", "last_updated_timestamp");

    private static final Set<String> DATASET_FIELDS = Set.of("name", "digest", "context");

    private static final Set<String> NUMERIC_COMPARATORS = Set.of("=", "!=", ">", ">=", "<", "<=");
    private static final Set<String> STRING_COMPARATORS = Set.of("=", "!=", "LIKE", "ILIKE");

    /** What is searched: it decides which attributes exist and which entities a key may name. */
    private enum Target {
        RUNS(RUN_ATTRIBUTES),
        EXPERIMENTS(EXPERIMENT_ATTRIBUTES),
        REGISTERED_MODELS(REGISTERED_MODEL_ATTRIBUTES),
        MODEL_VERSIONS(MODEL_VERSION_ATTRIBUTES);

        final Map<String, String> attributes;

        Target(Map<String, String> attributes) {
            this.attributes = attributes;
        }
    }

    private final Target target;
    private final List<Token> tokens;
    private int at;

    private SearchGrammar(Target target, String text) {
        this.target = target;
        this.tokens = Lexer.tokenize(text);
    }

    /** Parses a runs/search filter; null or blank means no clauses. */
    public static List<Clause> parseRunFilter(String filter) {
        return isBlank(filter) ? List.of() : new SearchGrammar(Target.RUNS, filter).filter();
    }

    /** Parses an experiments/search filter; null or blank means no clauses. */
    public static List<Clause> parseExperimentFilter(String filter) {
        return isBlank(filter) ? List.of() : new SearchGrammar(Target.EXPERIMENTS, filter).filter();
    }

    /** Parses a registered-models/search filter; null or blank means no clauses. */
    public static List<Clause> parseRegisteredModelFilter(String filter) {
        return isBlank(filter) ? List.of() : new SearchGrammar(Target.REGISTERED_MODELS, filter).filter();
    }

    /** Parses a model-versions/search filter; null or blank means no clauses. */
    public static List<Clause> parseModelVersionFilter(String filter) {
        return isBlank(filter) ? List.of() : new SearchGrammar(Target.MODEL_VERSIONS, filter).filter();
    }

    /** Parses one runs/search order_by term. */
    public static OrderBy parseRunOrderBy(String term) {
        return new SearchGrammar(Target.RUNS, term).orderBy(term);
    }

    /** Parses one experiments/search order_by term. */
    public static OrderBy parseExperimentOrderBy(String term) {
        return new SearchGrammar(Target.EXPERIMENTS, term).orderBy(term);
    }

    /** Parses one registered-models/search order_by term. */
    public static OrderBy parseRegisteredModelOrderBy(String term) {
        return new SearchGrammar(Target.REGISTERED_MODELS, term).orderBy(term);
    }

    /** Parses one model-versions/search order_by term. */
    public static OrderBy parseModelVersionOrderBy(String term) {
        return new SearchGrammar(Target.MODEL_VERSIONS, term).orderBy(term);
    }

    /**
     * Refuses more order_by terms than {@link #MAX_ORDER_BY_TERMS}: each term may join a table, and SQLite
     * joins at most 64.
     */
    public static void checkOrderByCount(List<String> orderBy) {
        if (orderBy != null && orderBy.size() > MAX_ORDER_BY_TERMS) {
            throw MlflowException.invalidParameter("Invalid order_by: " + orderBy.size() + " terms; the limit is "
                    + MAX_ORDER_BY_TERMS + ".");
        }
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    private List<Clause> filter() {
        List<Clause> clauses = new ArrayList<>();
        clauses.add(clause());
        while (peek().isWord("and")) {
            at++;
            clauses.add(clause());
            if (clauses.size() > MAX_CLAUSES) {
                throw MlflowException.invalidParameter("Invalid filter: it joins more than " + MAX_CLAUSES
                        + " clauses with AND; the limit is " + MAX_CLAUSES + ".");
            }
        }
        int values = clauses.stream().mapToInt(c -> c.value() instanceof List<?> l ? l.size() : 1).sum();
        if (values > MAX_VALUES) {
            throw MlflowException.invalidParameter("Invalid filter: it compares with " + values
                    + " values in all; the limit is " + MAX_VALUES + ".");
        }
        if (peek().kind() != Token.Kind.END) {
            throw Lexer.error("unexpected '" + peek().text() + "' at position " + peek().position()
                    + " (only AND joins clauses)");
        }
        return clauses;
    }

    private OrderBy orderBy(String term) {
        Key key = key();
        boolean ascending = true;
        if (peek().isWord("asc")) {
            at++;
        } else if (peek().isWord("desc")) {
            ascending = false;
            at++;
        }
        if (peek().kind() != Token.Kind.END) {
            throw MlflowException.invalidParameter("Invalid order_by clause '" + term + "'. Could not be parsed.");
        }
        if (key.entity == Entity.DATASET) {
            throw MlflowException.invalidParameter("Invalid order_by clause '" + term + "': datasets cannot be ordered by");
        }
        return new OrderBy(key.entity, key.name, ascending);
    }

    private record Key(Entity entity, String name) {}

    private Key key() {
        Token first = take();
        if (first.kind() != Token.Kind.IDENTIFIER && first.kind() != Token.Kind.QUOTED_IDENTIFIER) {
            throw Lexer.error("expected a key at position " + first.position() + " but found '" + first.text() + "'");
        }
        Entity entity = null;
        String name;
        if (first.kind() == Token.Kind.IDENTIFIER && peek().kind() == Token.Kind.DOT) {
            entity = Entity.fromPrefix(first.text());
            if (entity == null) {
                throw MlflowException.invalidParameter("Invalid entity type '" + first.text()
                        + "'. Valid values are ['metrics', 'params', 'tags', 'attributes', 'datasets']");
            }
            at++;
            Token keyToken = take();
            if (keyToken.kind() != Token.Kind.IDENTIFIER && keyToken.kind() != Token.Kind.QUOTED_IDENTIFIER) {
                throw Lexer.error("expected a key after '" + first.text() + ".'");
            }
            StringBuilder joined = new StringBuilder(keyToken.text());
            // An unquoted key may itself hold dots: metrics.val.loss names the metric "val.loss".
            while (keyToken.kind() == Token.Kind.IDENTIFIER && peek().kind() == Token.Kind.DOT) {
                at++;
                Token part = take();
                if (part.kind() != Token.Kind.IDENTIFIER) {
                    throw Lexer.error("unexpected '" + part.text() + "' in key");
                }
                joined.append('.').append(part.text());
            }
            name = joined.toString();
        } else {
            entity = Entity.ATTRIBUTE;
            name = first.text();
        }
        if (entity == Entity.ATTRIBUTE) {
            Map<String, String> known = target.attributes;
            String canonical = known.get(name.toLowerCase(Locale.ROOT));
            if (canonical == null) {
                throw MlflowException.invalidParameter("Invalid attribute key '" + name + "' specified. Valid keys are "
                        + known.keySet().stream().sorted().toList());
            }
            name = canonical;
        } else if (entity == Entity.DATASET) {
            if (target != Target.RUNS || !DATASET_FIELDS.contains(name.toLowerCase(Locale.ROOT))) {
                throw MlflowException.invalidParameter("Invalid dataset key '" + name
                        + "' specified. Valid keys are [name, digest, context]");
            }
            name = name.toLowerCase(Locale.ROOT);
        } else if (target != Target.RUNS && entity != Entity.TAG) {
            throw MlflowException.invalidParameter("Invalid entity type '" + entity.name().toLowerCase(Locale.ROOT)
                    + "' for a search of " + target.name().toLowerCase(Locale.ROOT).replace('_', ' ') + "; use attributes or tags");
        }
        return new Key(entity, name);
    }

    private Clause clause() {
        Key key = key();
        String comparator = comparator();
        boolean numeric = key.entity == Entity.METRIC
                || (key.entity == Entity.ATTRIBUTE && NUMERIC_ATTRIBUTES.contains(key.name));
        Object value;
        switch (comparator) {
            case "IS NULL", "IS NOT NULL" -> {
                if (key.entity != Entity.PARAM && key.entity != Entity.TAG) {
                    throw badComparator(comparator, key);
                }
                value = null;
            }
            case "IN", "NOT IN" -> {
                boolean allowed = key.entity == Entity.DATASET
                        || (key.entity == Entity.ATTRIBUTE && !numeric);
                if (!allowed) {
                    throw badComparator(comparator, key);
                }
                value = list();
            }
            default -> {
                Set<String> allowed = numeric ? NUMERIC_COMPARATORS : STRING_COMPARATORS;
                if (!allowed.contains(comparator)) {
                    throw badComparator(comparator, key);
                }
                value = numeric ? number(key) : string(key);
            }
        }
        return new Clause(key.entity, key.name, comparator, value);
    }

    private static MlflowException badComparator(String comparator, Key key) {
        return MlflowException.invalidParameter("Invalid comparator '" + comparator + "' for "
                + key.entity.name().toLowerCase(Locale.ROOT) + " key '" + key.name + "'");
    }

    private String comparator() {
        Token t = take();
        if (t.kind() == Token.Kind.OPERATOR) {
            return t.text();
        }
        if (t.isWord("like") || t.isWord("ilike") || t.isWord("in")) {
            return t.text().toUpperCase(Locale.ROOT);
        }
        if (t.isWord("not") && peek().isWord("in")) {
            at++;
            return "NOT IN";
        }
        if (t.isWord("is")) {
            boolean not = false;
            if (peek().isWord("not")) {
                at++;
                not = true;
            }
            if (!take().isWord("null")) {
                throw Lexer.error("expected NULL after IS");
            }
            return not ? "IS NOT NULL" : "IS NULL";
        }
        throw Lexer.error("expected a comparator at position " + t.position() + " but found '" + t.text() + "'");
    }

    private Double number(Key key) {
        Token t = take();
        if (t.kind() != Token.Kind.NUMBER) {
            throw MlflowException.invalidParameter("Expected numeric value type for " + key.entity.name().toLowerCase(Locale.ROOT)
                    + " '" + key.name + "'. Found '" + t.text() + "'");
        }
        try {
            return Double.valueOf(t.text());
        } catch (NumberFormatException e) {
            throw Lexer.error("invalid number '" + t.text() + "'");
        }
    }

    private String string(Key key) {
        Token t = take();
        if (t.kind() != Token.Kind.STRING && t.kind() != Token.Kind.QUOTED_IDENTIFIER) {
            throw MlflowException.invalidParameter("Value for " + key.entity.name().toLowerCase(Locale.ROOT) + " '"
                    + key.name + "' must be a quoted string. Found '" + t.text() + "'");
        }
        return t.text();
    }

    private List<String> list() {
        if (take().kind() != Token.Kind.LPAREN) {
            throw Lexer.error("expected '(' after IN");
        }
        List<String> values = new ArrayList<>();
        while (true) {
            Token t = take();
            if (t.kind() != Token.Kind.STRING && t.kind() != Token.Kind.QUOTED_IDENTIFIER) {
                throw Lexer.error("IN lists hold quoted strings; found '" + t.text() + "'");
            }
            // MLflow reads an IN list as a Python tuple literal, so backslash escapes mean what they mean in Python.
            values.add(t.kind() == Token.Kind.STRING ? pythonUnescape(t.text()) : t.text());
            Token sep = take();
            if (sep.kind() == Token.Kind.RPAREN) {
                return values;
            }
            if (sep.kind() != Token.Kind.COMMA) {
                throw Lexer.error("expected ',' or ')' in IN list");
            }
        }
    }

    private static String pythonUnescape(String raw) {
        if (raw.indexOf('\\') < 0) {
            return raw;
        }
        StringBuilder out = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c != '\\' || i + 1 == raw.length()) {
                out.append(c);
                continue;
            }
            char next = raw.charAt(++i);
            switch (next) {
                case '\\', '\'', '"' -> out.append(next);
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                case 'r' -> out.append('\r');
                case '0' -> out.append('\0');
                default -> out.append('\\').append(next); // Python keeps an unknown escape as written
            }
        }
        return out.toString();
    }

    private Token peek() {
        return tokens.get(at);
    }

    private Token take() {
        Token t = tokens.get(at);
        if (t.kind() != Token.Kind.END) {
            at++;
        }
        return t;
    }
}
