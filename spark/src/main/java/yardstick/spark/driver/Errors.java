package yardstick.spark.driver;

/** Spark's errors as one line a notebook can show: the innermost cause that says something, first line only. */
final class Errors {
    private Errors() {}

    static String oneLine(Throwable t) {
        String best = message(t);
        for (Throwable c = t.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            // A job that failed for a user-facing reason (a bad row, an endpoint's refusal) says so at the bottom.
            if (c instanceof yardstick.magics.llm.LlmException || c instanceof yardstick.magics.rag.RagException) best = message(c);
        }
        return best;
    }

    private static String message(Throwable t) {
        String m = t.getMessage() == null ? t.toString() : t.getMessage();
        int nl = m.indexOf('\n');
        return (nl < 0 ? m : m.substring(0, nl)).strip();
    }
}
