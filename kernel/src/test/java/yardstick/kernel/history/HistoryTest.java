package yardstick.kernel.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryTest {
    @Test
    void sessionsAreNumberedAndInputsSurviveARestart(@TempDir Path dir) {
        Path file = dir.resolve("history.jsonl");
        History first = new History(file);
        History concurrent = new History(file);
        assertNotEquals(first.session(), concurrent.session(), "two kernels started together get their own numbers");
        first.add(1, "int x = 1;");
        first.add(2, "x + 1");
        History later = new History(file);
        assertEquals(concurrent.session() + 1, later.session());
        assertEquals(List.of("int x = 1;", "x + 1"), later.tail(5).stream().map(History.Entry::input).toList());
        assertEquals(List.of("x + 1"), later.range(first.session(), 2, 3).stream().map(History.Entry::input).toList());
        assertEquals(0, later.range(0, 1, 0).size(), "session 0 is the new, empty one");
    }

    @Test
    void searchUsesGlobsAndUniqueKeepsTheLatest(@TempDir Path dir) {
        History h = new History(dir.resolve("h.jsonl"));
        h.add(1, "print(1)");
        h.add(2, "x = 2");
        h.add(3, "print(1)");
        List<History.Entry> hits = h.search("print*", 0, true);
        assertEquals(1, hits.size());
        assertEquals(3, hits.get(0).line());
        assertEquals(2, h.search("print?1?", 0, false).size());
        assertEquals(1, h.search("*", 1, false).size());
    }

    @Test
    void damagedLinesAreSkipped(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("h.jsonl");
        Files.writeString(file, "{\"session\": 3, \"line\": 1, \"input\": \"ok\"}\n{broken\n");
        History h = new History(file);
        assertEquals(4, h.session());
        assertEquals("ok", h.tail(1).get(0).input());
    }
}
