package yardstick.magics.rag.read;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.NodeTraversor;
import org.jsoup.select.NodeVisitor;

/**
 * HTML: the visible text of the body, one block per block-level element (paragraph, list item, cell, ...), with
 * h1–h6 as headings. Scripts and styles are not text. Offsets point into the extracted text, blocks separated by a
 * blank line.
 */
final class HtmlReader implements DocumentReader {
    @Override
    public List<SourceDocument> read(Path file, String id) throws SkippedFileException {
        byte[] bytes = TextFiles.bytes(file);
        if (TextFiles.looksBinary(bytes)) throw new SkippedFileException("binary file");
        Document doc = Jsoup.parse(new String(bytes, StandardCharsets.UTF_8));
        Extractor x = new Extractor();
        NodeTraversor.traverse(x, doc.body());
        x.flush();
        return List.of(new SourceDocument(id, x.text.toString(), x.blocks));
    }

    private static final class Extractor implements NodeVisitor {
        final StringBuilder text = new StringBuilder();
        final List<Block> blocks = new ArrayList<>();
        final StringBuilder pending = new StringBuilder();
        String heading = "";

        @Override
        public void head(Node node, int depth) {
            if (node instanceof TextNode t) {
                pending.append(t.text());
            } else if (node instanceof Element e) {
                if (e.nameIs("br")) pending.append('\n');
                else if (e.isBlock()) flush();
            }
        }

        @Override
        public void tail(Node node, int depth) {
            if (!(node instanceof Element e) || !e.isBlock() || e.nameIs("br")) return;
            if (isHeading(e)) {
                heading = collapse(pending.toString());
                pending.setLength(0);
            } else {
                flush();
            }
        }

        void flush() {
            String s = collapse(pending.toString());
            pending.setLength(0);
            if (s.isEmpty()) return;
            if (!text.isEmpty()) text.append("\n\n");
            int start = text.length();
            text.append(s);
            blocks.add(new Block(start, text.length(), 0, heading));
        }

        static boolean isHeading(Element e) {
            String n = e.normalName();
            return n.length() == 2 && n.charAt(0) == 'h' && n.charAt(1) >= '1' && n.charAt(1) <= '6';
        }

        /** Runs of spaces become one; line breaks from br stay. */
        static String collapse(String s) {
            return s.replaceAll("[ \\t\\x0B\\f\\r\\u00A0]+", " ").replaceAll(" ?\\n ?", "\n").strip();
        }
    }
}
