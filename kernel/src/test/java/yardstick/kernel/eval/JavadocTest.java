package yardstick.kernel.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class JavadocTest {
    private static final String PARSE_INT = """
            Parses the string argument as a signed decimal integer. The characters in the string
            must all be decimal digits, except that the first may be {@code '-'}.
            <p>See {@link Integer#valueOf(String) valueOf} and {@link #MAX_VALUE}; a {@code Map<K, V> {}} is fine.
            @param s    a {@code String} containing the {@code int}
                        representation to be parsed
            @return     the integer value represented by the argument in decimal.
            @throws     NumberFormatException  if the string does not contain a
                        parsable integer.
            """;

    @Test
    void plainTextHasNoJavadocSyntax() {
        String text = Javadoc.render(PARSE_INT).text();
        assertEquals("""
                Parses the string argument as a signed decimal integer. The characters in the string must all be \
                decimal digits, except that the first may be '-'.

                See valueOf and MAX_VALUE; a Map<K, V> {} is fine.

                Parameters:
                  s - a String containing the int representation to be parsed

                Returns:
                  the integer value represented by the argument in decimal.

                Throws:
                  NumberFormatException - if the string does not contain a parsable integer.""", text);
    }

    @Test
    void htmlCodeFormatsAndEscapes() {
        String html = Javadoc.render(PARSE_INT).html();
        assertTrue(html.contains("<code>Map&lt;K, V&gt; {}</code>"), html);
        assertTrue(html.contains("<dt><b>Parameters:</b></dt><dd><code>s</code> - a <code>String</code>"), html);
        assertTrue(html.contains("<code>valueOf</code>"), html);
        assertTrue(!html.contains("{@"), html);
    }
}
