package yardstick.magics.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A parameter file with the human steps' answers, so a headless run (CI) can execute a notebook that asks people:
 * JSON lines, each a rating {@code {"rater","key","model","score","comment"}} or a vote
 * {@code {"rater","key","models":[A,B],"winner":A|B|"tie"|"both_bad"}}.
 */
public final class Answers {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Answers() {}

    /** The file a magic's {@code --answers} option names, quoted or not, relative to the notebook's folder. */
    public static Path path(Path workingDirectory, String option) {
        return workingDirectory.resolve(EvalMagic.unquote(option));
    }

    public static List<JsonNode> read(Path file) {
        if (!Files.isRegularFile(file)) throw new EvalException("no answers file " + file);
        List<JsonNode> out = new ArrayList<>();
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).isBlank()) continue;
                try {
                    JsonNode n = JSON.readTree(lines.get(i));
                    if (!n.isObject()) throw new EvalException(file.getFileName() + " line " + (i + 1) + " is not a JSON object");
                    out.add(n);
                } catch (IOException e) {
                    throw new EvalException(file.getFileName() + " line " + (i + 1) + " is not JSON");
                }
            }
        } catch (IOException e) {
            throw new EvalException("cannot read " + file + ": " + e.getMessage());
        }
        return out;
    }
}
