package yardstick.magics.rag.read;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Source code: blocks at blank lines; a declaration at the left margin (class, def, func, ...) becomes the heading of
 * the blocks that follow it, so a hit says which type or function it is in.
 */
final class CodeReader implements DocumentReader {
    private static final Pattern DECLARATION = Pattern.compile(
            "^(?:(?:public|private|protected|internal|export|static|final|abstract|sealed|async|pub|default)\\s+)*"
                    + "(?:class|interface|record|enum|struct|trait|impl|object|fn|func|fun|def|function|module|type)\\b.*");

    @Override
    public List<SourceDocument> read(Path file, String id) throws SkippedFileException {
        String text = TextFiles.read(file);
        List<Block> paragraphs = Paragraphs.split(text, 0, text.length(), 0, "");
        List<Block> out = new ArrayList<>(paragraphs.size());
        String heading = "";
        for (Block b : paragraphs) {
            int lineStart = text.lastIndexOf('\n', b.start() - 1) + 1;
            String firstLine = text.substring(lineStart, lineEnd(text, b.start()));
            if (lineStart == b.start() && DECLARATION.matcher(firstLine).matches()) {
                heading = firstLine.replaceAll("\\s*[{:]\\s*$", "").strip();
            }
            out.add(new Block(b.start(), b.end(), 0, heading));
        }
        return List.of(new SourceDocument(id, text, out));
    }

    private static int lineEnd(String text, int from) {
        int nl = text.indexOf('\n', from);
        return nl < 0 ? text.length() : nl;
    }
}
