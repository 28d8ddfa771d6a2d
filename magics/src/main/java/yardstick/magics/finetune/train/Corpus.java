package yardstick.magics.finetune.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Collects the text the bundled model learns from, all written by the project itself: markdown files, the markdown
 * cells of the notebook templates, and the prose of every javadoc and comment in the main sources.
 * {@code java ... Corpus REPO_ROOT OUT_FILE [EXTRA_FILE...]}: extra files (a hand-written guide, the design notes) come
 * first; files are read in sorted order, so the same tree gives the same corpus.
 */
public final class Corpus {
    private static final Pattern JAVADOC = Pattern.compile("/\\*\\*(.*?)\\*/", Pattern.DOTALL);
    private static final Pattern LINE_COMMENT = Pattern.compile("^\\s*// ?(.*)$", Pattern.MULTILINE);

    private Corpus() {}

    public static void main(String[] args) throws IOException {
        Path root = Path.of(args[0]);
        Path out = Path.of(args[1]);
        StringBuilder extra = new StringBuilder();
        for (int i = 2; i < args.length; i++) extra.append(Files.readString(Path.of(args[i])).strip()).append("\n\n");
        String text = extra + collect(root);
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, text, StandardCharsets.UTF_8);
        System.out.println(out + ": " + text.length() + " characters");
    }

    static String collect(Path root) throws IOException {
        StringBuilder b = new StringBuilder();
        for (Path p : files(root, ".md")) b.append(Files.readString(p).strip()).append("\n\n");
        ObjectMapper json = new ObjectMapper();
        for (Path p : files(root, ".ipynb")) {
            for (JsonNode cell : json.readTree(p.toFile()).path("cells")) {
                if (!cell.path("cell_type").asText().equals("markdown")) continue;
                StringBuilder src = new StringBuilder();
                for (JsonNode line : cell.path("source")) src.append(line.asText());
                if (cell.path("source").isTextual()) src.append(cell.path("source").asText());
                b.append(src.toString().strip()).append("\n\n");
            }
        }
        for (Path p : files(root, ".java")) {
            if (!p.toString().contains("/src/main/java/")) continue;
            String src = Files.readString(p);
            Matcher m = JAVADOC.matcher(src);
            while (m.find()) {
                String doc = prose(m.group(1));
                if (doc.length() > 20) b.append(doc).append("\n\n");
            }
            Matcher c = LINE_COMMENT.matcher(src);
            StringBuilder run = new StringBuilder();
            while (c.find()) run.append(c.group(1).strip()).append(' ');
            if (run.length() > 20) b.append(run.toString().strip()).append("\n\n");
        }
        return b.toString();
    }

    /** Javadoc without its leading stars, tags' braces or HTML. */
    static String prose(String doc) {
        StringBuilder s = new StringBuilder();
        for (String line : doc.split("\n")) {
            String l = line.strip();
            if (l.startsWith("*")) l = l.substring(1).strip();
            if (l.startsWith("@param") || l.startsWith("@return") || l.startsWith("@throws")) continue;
            s.append(l).append(' ');
        }
        return s.toString().replaceAll("\\{@(?:code|link|linkplain|literal) ([^}]*)}", "$1")
                .replaceAll("</?[a-zA-Z]+[^>]*>", "").replaceAll("\\s+", " ").strip();
    }

    private static List<Path> files(Path root, String ext) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> p.toString().endsWith(ext) && Files.isRegularFile(p))
                    .filter(p -> !p.toString().contains("/target/") && !p.toString().contains("/.git/")
                            && !p.toString().contains("/node_modules/") && !p.toString().contains("/data/local-model/"))
                    .sorted().toList();
        }
    }
}
