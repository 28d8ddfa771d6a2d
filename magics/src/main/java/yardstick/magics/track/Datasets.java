package yardstick.magics.track;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/** Content digests of data sets, so a run records exactly which data it read (MLflow's dataset digest). */
public final class Datasets {
    private Datasets() {}

    /** SHA-256 over the column names, types and every value, as 16 hex digits: equal tables, equal digests. */
    public static String digest(Table t) {
        MessageDigest sha = sha256();
        for (Column<?> c : t.columns()) {
            update(sha, c.name());
            update(sha, c.type().name());
        }
        for (int r = 0; r < t.rowCount(); r++) {
            for (Column<?> c : t.columns()) update(sha, c.getString(r));
        }
        return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
    }

    /** SHA-256 of a file's bytes, as 16 hex digits. */
    public static String digest(Path file) {
        MessageDigest sha = sha256();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) sha.update(buf, 0, n);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
    }

    /** MLflow's schema field for a table: its columns and types as JSON. */
    static String schema(Table t) {
        StringBuilder sb = new StringBuilder("{\"columns\":[");
        for (int i = 0; i < t.columnCount(); i++) {
            Column<?> c = t.column(i);
            if (i > 0) sb.append(',');
            sb.append("{\"name\":").append(quote(c.name())).append(",\"type\":").append(quote(c.type().name())).append('}');
        }
        return sb.append("]}").toString();
    }

    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char ch : s.toCharArray()) {
            if (ch == '"' || ch == '\\') sb.append('\\').append(ch);
            else if (ch < 0x20) sb.append(String.format("\\u%04x", (int) ch));
            else sb.append(ch);
        }
        return sb.append('"').toString();
    }

    private static void update(MessageDigest sha, String s) {
        byte[] b = (s == null ? "\u0000" : s).getBytes(StandardCharsets.UTF_8);
        // Length-prefixed, so ("ab","c") and ("a","bc") differ.
        sha.update(new byte[] {(byte) (b.length >>> 24), (byte) (b.length >>> 16), (byte) (b.length >>> 8), (byte) b.length});
        sha.update(b);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
