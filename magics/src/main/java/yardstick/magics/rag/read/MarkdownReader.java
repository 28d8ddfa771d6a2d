package yardstick.magics.rag.read;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Markdown: ATX headings ({@code # Title}) start sections and name the blocks under them; fenced code blocks stay
 * whole and are never read as headings.
 */
final class MarkdownReader implements DocumentReader {
    private static final Pattern HEADING = Pattern.compile("^ {0,3}(#{1,6})\\s+(.*?)\\s*#*\\s*$");

    @Override
    public List<SourceDocument> read(Path file, String id) throws SkippedFileException {
        String text = TextFiles.read(file);
        return List.of(new SourceDocument(id, text, blocks(text)));
    }

    static List<Block> blocks(String text) {
        List<Block> out = new ArrayList<>();
        String heading = "";
        int sectionStart = 0;
        boolean inFence = false;
        int fenceStart = 0;
        int pos = 0;
        while (pos < text.length()) {
            int nl = text.indexOf('\n', pos);
            int lineEnd = nl < 0 ? text.length() : nl;
            String line = text.substring(pos, lineEnd);
            int next = nl < 0 ? text.length() : nl + 1;
            String stripped = line.strip();
            if (stripped.startsWith("```") || stripped.startsWith("~~~")) {
                if (!inFence) {
                    out.addAll(Paragraphs.split(text, sectionStart, pos, 0, heading));
                    fenceStart = pos;
                } else {
                    Paragraphs.add(out, text, fenceStart, lineEnd, 0, heading);
                    sectionStart = next;
                }
                inFence = !inFence;
            } else if (!inFence) {
                Matcher m = HEADING.matcher(line);
                if (m.matches()) {
                    out.addAll(Paragraphs.split(text, sectionStart, pos, 0, heading));
                    heading = m.group(2);
                    sectionStart = next;
                }
            }
            pos = next;
        }
        if (inFence) Paragraphs.add(out, text, fenceStart, text.length(), 0, heading);
        else out.addAll(Paragraphs.split(text, sectionStart, text.length(), 0, heading));
        return out;
    }
}
