package yardstick.magics.finetune.hosted;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import yardstick.magics.finetune.job.JobException;

/**
 * Checks a chat-format fine-tuning file before it is uploaded, so that a mistake costs a one-line message naming the
 * file, the line and the field instead of a remote job that fails minutes later. Each non-blank line is a JSON object
 * with {@code messages}: an array of {@code {"role": "system"|"user"|"assistant", "content": "..."}} holding at least
 * one assistant message. Other keys (OpenAI's {@code weight}, {@code tools}) pass unchecked.
 */
public final class ChatJsonl {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> ROLES = Set.of("system", "user", "assistant");

    private ChatJsonl() {}

    /** Returns the number of examples in {@code file}, or throws a {@link JobException} naming the first problem. */
    public static int validate(Path file, String what) {
        if (!Files.exists(file)) throw new JobException(what + " " + file + " does not exist");
        if (!Files.isRegularFile(file)) throw new JobException(what + " " + file + " is not a file");
        String name = file.getFileName().toString();
        int examples = 0;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            for (int n = 1; (line = in.readLine()) != null; n++) {
                if (line.isBlank()) continue;
                check(name + " line " + n, line);
                examples++;
            }
        } catch (CharacterCodingException e) {
            throw new JobException(what + " " + file + " is not UTF-8 text");
        } catch (IOException e) {
            throw new JobException("cannot read " + what + " " + file + ": " + e.getMessage(), e);
        }
        if (examples == 0) throw new JobException(what + " " + file + " is empty: there is nothing to train on");
        return examples;
    }

    private static void check(String where, String line) {
        JsonNode n;
        try {
            n = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new JobException(where + " is not valid JSON: " + e.getOriginalMessage());
        }
        if (n == null || !n.isObject()) throw new JobException(where + " is not a JSON object");
        JsonNode messages = n.get("messages");
        if (messages == null) throw new JobException(where + ": 'messages' is missing");
        if (!messages.isArray()) throw new JobException(where + ": messages must be an array");
        if (messages.isEmpty()) throw new JobException(where + ": messages is empty");
        boolean assistant = false;
        for (int i = 0; i < messages.size(); i++) {
            JsonNode m = messages.get(i);
            String field = "messages[" + i + "]";
            if (!m.isObject()) throw new JobException(where + ": " + field + " must be an object with role and content");
            JsonNode role = m.get("role");
            if (role == null) throw new JobException(where + ": " + field + ".role is missing");
            if (!role.isTextual() || !ROLES.contains(role.asText())) {
                throw new JobException(where + ": " + field + ".role must be system, user or assistant, not "
                        + (role.isTextual() ? "'" + role.asText() + "'" : role.toString()));
            }
            JsonNode content = m.get("content");
            if (content == null) throw new JobException(where + ": " + field + ".content is missing");
            if (!content.isTextual()) {
                throw new JobException(where + ": " + field + ".content must be a string, not " + content.getNodeType()
                        .name().toLowerCase(java.util.Locale.ROOT));
            }
            assistant |= role.asText().equals("assistant");
        }
        if (!assistant) throw new JobException(where + ": no assistant message: each example needs one to learn from");
    }
}
