package yardstick.tracker.ui;

/** Builds HTML text with every inserted value escaped. */
final class Html {
    private final StringBuilder out = new StringBuilder(4096);

    static String escape(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** Appends markup written by this code, never user data. */
    Html raw(String markup) {
        out.append(markup);
        return this;
    }

    /** Appends user data as text. */
    Html text(String s) {
        out.append(escape(s));
        return this;
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
