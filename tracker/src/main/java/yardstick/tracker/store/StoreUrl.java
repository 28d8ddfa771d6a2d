package yardstick.tracker.store;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns a {@code --store} value into a dialect: {@code sqlite:PATH}, {@code sqlite:///PATH}, or a PostgreSQL URL. */
public final class StoreUrl {
    private static final Pattern POSTGRES_URI =
            Pattern.compile("postgres(?:ql)?://(?:([^:@/]*)(?::([^@/]*))?@)?([^/]+)/([^?]+)(\\?.*)?");

    private StoreUrl() {}

    public static SqlDialect parse(String store) {
        if (store.startsWith("jdbc:postgresql:")) {
            return new PostgresDialect(store);
        }
        Matcher m = POSTGRES_URI.matcher(store);
        if (m.matches()) {
            // MLflow's SQLAlchemy form: postgresql://user:password@host:port/db
            StringBuilder jdbc = new StringBuilder("jdbc:postgresql://").append(m.group(3)).append('/').append(m.group(4));
            String query = m.group(5) == null ? "" : m.group(5).substring(1);
            StringBuilder params = new StringBuilder(query);
            appendParam(params, "user", m.group(1));
            appendParam(params, "password", m.group(2));
            if (!params.isEmpty()) {
                jdbc.append('?').append(params);
            }
            return new PostgresDialect(jdbc.toString());
        }
        if (store.startsWith("jdbc:sqlite:")) {
            return new SqliteDialect(Path.of(store.substring("jdbc:sqlite:".length())));
        }
        if (store.startsWith("sqlite:")) {
            String rest = store.substring("sqlite:".length());
            // SQLAlchemy's sqlite:///relative and sqlite:////absolute forms.
            if (rest.startsWith("///")) {
                rest = rest.substring(3);
            }
            if (rest.isEmpty()) {
                throw new IllegalArgumentException("sqlite store needs a file path: sqlite:PATH");
            }
            return new SqliteDialect(Path.of(rest));
        }
        throw new IllegalArgumentException("Unsupported store '" + store
                + "': use sqlite:PATH or jdbc:postgresql://HOST:PORT/DB?user=U&password=P");
    }

    private static void appendParam(StringBuilder params, String name, String value) {
        if (value == null || value.isEmpty()) {
            return;
        }
        if (!params.isEmpty()) {
            params.append('&');
        }
        params.append(name).append('=').append(value);
    }
}
