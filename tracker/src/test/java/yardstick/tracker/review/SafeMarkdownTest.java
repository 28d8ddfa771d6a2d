package yardstick.tracker.review;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

/** Untrusted text becomes escaped HTML with a small Markdown subset, and nothing else. */
class SafeMarkdownTest {
    /** Escaped for element content, where quotes are plain text: the result never goes into an attribute. */
    @Test
    void markupInTheTextStaysText() {
        assertEquals("<p>&lt;script&gt;alert('x')&lt;/script&gt; &amp; \"q\"</p>",
                SafeMarkdown.html("<script>alert('x')</script> & \"q\""));
        String img = SafeMarkdown.html("![a](javascript:alert(1)) [click](http://evil.example/?a=\"b\")");
        assertFalse(img.contains("<a") || img.contains("<img") || img.contains("href"), img);
        assertEquals("<p>a (javascript:alert(1)) click (http://evil.example/?a=\"b\")</p>", img);
    }

    @Test
    void theSubsetRenders() {
        assertEquals("<p class=\"md-h\"><strong>Title</strong></p><p>some <strong>bold</strong> and <em>em</em><br>next line</p>"
                + "<ul><li>one</li><li><code>a&lt;b</code></li></ul><ol><li>first</li></ol><pre><code>x &lt; y\n</code></pre>",
                SafeMarkdown.html("# Title\nsome **bold** and *em*\nnext line\n\n- one\n- `a<b`\n1. first\n```\nx < y\n```"));
        assertEquals("<p>snake_case_name stays</p>", SafeMarkdown.html("snake_case_name stays"));
        assertEquals("", SafeMarkdown.html(null));
    }
}
