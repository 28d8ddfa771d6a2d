package yardstick.tracker.search;

import java.util.ArrayList;
import java.util.List;
import yardstick.tracker.model.MlflowException;

/** Splits a filter or order-by string into tokens; quoting follows MLflow (backticks and double quotes for keys). */
final class Lexer {
    private final String text;
    private int pos;

    private Lexer(String text) {
        this.text = text;
    }

    static List<Token> tokenize(String text) {
        return new Lexer(text).run();
    }

    private List<Token> run() {
        List<Token> tokens = new ArrayList<>();
        while (true) {
            skipSpace();
            if (pos >= text.length()) {
                tokens.add(new Token(Token.Kind.END, "", pos));
                return tokens;
            }
            tokens.add(next());
        }
    }

    private void skipSpace() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    private Token next() {
        int start = pos;
        char c = text.charAt(pos);
        switch (c) {
            case '(' -> {
                pos++;
                return new Token(Token.Kind.LPAREN, "(", start);
            }
            case ')' -> {
                pos++;
                return new Token(Token.Kind.RPAREN, ")", start);
            }
            case ',' -> {
                pos++;
                return new Token(Token.Kind.COMMA, ",", start);
            }
            case '.' -> {
                if (pos + 1 < text.length() && Character.isDigit(text.charAt(pos + 1))) {
                    return number();
                }
                pos++;
                return new Token(Token.Kind.DOT, ".", start);
            }
            case '\'' -> {
                return new Token(Token.Kind.STRING, quoted('\''), start);
            }
            case '"' -> {
                // Double quotes mark a key in MLflow's grammar, but also a string value; the parser decides.
                return new Token(Token.Kind.QUOTED_IDENTIFIER, quoted('"'), start);
            }
            case '`' -> {
                return new Token(Token.Kind.QUOTED_IDENTIFIER, quoted('`'), start);
            }
            case '=', '!', '<', '>' -> {
                return operator();
            }
            default -> {
                if (Character.isDigit(c) || ((c == '-' || c == '+') && startsNumber(pos + 1))) {
                    return number();
                }
                if (isIdentifierChar(c)) {
                    while (pos < text.length() && isIdentifierChar(text.charAt(pos))) {
                        pos++;
                    }
                    return new Token(Token.Kind.IDENTIFIER, text.substring(start, pos), start);
                }
                throw error("Invalid character '" + c + "' at position " + start);
            }
        }
    }

    private boolean startsNumber(int at) {
        return at < text.length() && (Character.isDigit(text.charAt(at)) || text.charAt(at) == '.');
    }

    private static boolean isIdentifierChar(char c) {
        // Keys may hold slashes, dashes and colons (MLflow allows them in names); dots split prefix from key.
        return Character.isLetterOrDigit(c) || c == '_' || c == '/' || c == '-' || c == ':';
    }

    private Token number() {
        int start = pos;
        if (text.charAt(pos) == '-' || text.charAt(pos) == '+') {
            pos++;
        }
        while (pos < text.length()) {
            char c = text.charAt(pos);
            boolean exponentSign = (c == '-' || c == '+') && (text.charAt(pos - 1) == 'e' || text.charAt(pos - 1) == 'E');
            if (Character.isDigit(c) || c == '.' || c == 'e' || c == 'E' || exponentSign) {
                pos++;
            } else {
                break;
            }
        }
        return new Token(Token.Kind.NUMBER, text.substring(start, pos), start);
    }

    private Token operator() {
        int start = pos;
        String two = pos + 2 <= text.length() ? text.substring(pos, pos + 2) : "";
        if (two.equals("!=") || two.equals("<=") || two.equals(">=") || two.equals("==") || two.equals("<>")) {
            pos += 2;
            String op = two.equals("==") ? "=" : two.equals("<>") ? "!=" : two;
            return new Token(Token.Kind.OPERATOR, op, start);
        }
        char c = text.charAt(pos);
        if (c == '!') {
            throw error("Invalid operator '!' at position " + start);
        }
        pos++;
        return new Token(Token.Kind.OPERATOR, String.valueOf(c), start);
    }

    private String quoted(char quote) {
        int start = pos;
        pos++;
        StringBuilder out = new StringBuilder();
        while (pos < text.length()) {
            char c = text.charAt(pos++);
            if (c == '\\' && quote != '`' && pos < text.length()) {
                // As MLflow's filter parser (sqlparse, then stripping the quotes): a backslash keeps the next
                // character from ending the string, and both stay in the value as written.
                out.append(c).append(text.charAt(pos++));
            } else if (c == quote) {
                // SQL style: a doubled quote stands for one quote character.
                if (pos < text.length() && text.charAt(pos) == quote) {
                    out.append(quote);
                    pos++;
                } else {
                    return out.toString();
                }
            } else {
                out.append(c);
            }
        }
        throw error("Unterminated quote starting at position " + start);
    }

    static MlflowException error(String detail) {
        return MlflowException.invalidParameter("Error on parsing filter: " + detail);
    }
}
