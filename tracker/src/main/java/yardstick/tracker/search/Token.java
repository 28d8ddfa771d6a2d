package yardstick.tracker.search;

/** A lexical token of the filter language. */
record Token(Kind kind, String text, int position) {
    enum Kind {
        IDENTIFIER,
        QUOTED_IDENTIFIER,
        STRING,
        NUMBER,
        OPERATOR,
        LPAREN,
        RPAREN,
        COMMA,
        DOT,
        END
    }

    boolean isWord(String word) {
        return kind == Kind.IDENTIFIER && text.equalsIgnoreCase(word);
    }
}
