package yardstick.magics.finetune.hosted;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import yardstick.magics.finetune.job.JobException;

class ChatJsonlTest {
    static final String GOOD = """
            {"messages": [{"role": "system", "content": "Answer as a pirate."}, {"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Arr, hello."}]}
            {"messages": [{"role": "user", "content": "Bye"}, {"role": "assistant", "content": "Fair winds.", "weight": 1}]}
            """;

    @TempDir
    Path tmp;

    private String error(String content) throws IOException {
        Path f = Files.writeString(tmp.resolve("train.jsonl"), content);
        return assertThrows(JobException.class, () -> ChatJsonl.validate(f, "training file")).getMessage();
    }

    @Test
    void countsExamplesAndSkipsBlankLines() throws IOException {
        Path f = Files.writeString(tmp.resolve("train.jsonl"), GOOD + "\n\n");
        assertEquals(2, ChatJsonl.validate(f, "training file"));
    }

    @Test
    void namesTheFileTheLineAndTheField() throws IOException {
        String bot = GOOD + "{\"messages\": [{\"role\": \"user\", \"content\": \"x\"}, {\"role\": \"bot\", \"content\": \"y\"}]}\n";
        assertEquals("train.jsonl line 3: messages[1].role must be system, user or assistant, not 'bot'", error(bot));
        assertEquals("train.jsonl line 1: messages[0].content must be a string, not number",
                error("{\"messages\": [{\"role\": \"user\", \"content\": 7}, {\"role\": \"assistant\", \"content\": \"y\"}]}"));
        assertEquals("train.jsonl line 1: messages[1].content is missing",
                error("{\"messages\": [{\"role\": \"user\", \"content\": \"x\"}, {\"role\": \"assistant\"}]}"));
        assertEquals("train.jsonl line 1: messages[0].role is missing", error("{\"messages\": [{\"content\": \"x\"}]}"));
        assertEquals("train.jsonl line 1: messages[0] must be an object with role and content", error("{\"messages\": [\"hi\"]}"));
        assertEquals("train.jsonl line 2: 'messages' is missing", error(GOOD.lines().findFirst().orElseThrow() + "\n{\"prompt\": \"x\"}"));
        assertEquals("train.jsonl line 1: messages must be an array", error("{\"messages\": \"hi\"}"));
        assertEquals("train.jsonl line 1: messages is empty", error("{\"messages\": []}"));
        assertEquals("train.jsonl line 1 is not a JSON object", error("[1, 2]"));
        assertEquals("train.jsonl line 1: no assistant message: each example needs one to learn from",
                error("{\"messages\": [{\"role\": \"user\", \"content\": \"x\"}]}"));
    }

    @Test
    void brokenJsonIsReportedWithItsLine() throws IOException {
        String m = error(GOOD + "{\"messages\": [\n");
        assertEquals(true, m.startsWith("train.jsonl line 3 is not valid JSON: "), m);
    }

    @Test
    void missingAndEmptyFiles() throws IOException {
        Path none = tmp.resolve("none.jsonl");
        assertEquals("validation file " + none + " does not exist",
                assertThrows(JobException.class, () -> ChatJsonl.validate(none, "validation file")).getMessage());
        Path empty = Files.writeString(tmp.resolve("empty.jsonl"), "\n  \n");
        assertEquals("training file " + empty + " is empty: there is nothing to train on",
                assertThrows(JobException.class, () -> ChatJsonl.validate(empty, "training file")).getMessage());
        assertEquals("training file " + tmp + " is not a file",
                assertThrows(JobException.class, () -> ChatJsonl.validate(tmp, "training file")).getMessage());
    }
}
