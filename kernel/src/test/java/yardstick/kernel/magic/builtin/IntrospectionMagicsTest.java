package yardstick.kernel.magic.builtin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;
import yardstick.kernel.display.MimeBundle;
import yardstick.kernel.magic.Environment;

class IntrospectionMagicsTest {
    @TempDir
    static Path dir;
    static TestNotebook nb;

    @BeforeAll
    static void start() {
        nb = new TestNotebook(dir);
    }

    @AfterAll
    static void stop() {
        nb.close();
    }

    @Test
    void lsmagicListsEveryBuiltInMagicWithItsUsage() {
        assertNull(nb.ok("%lsmagic"));
        String out = nb.out();
        for (String name : new String[] {"lsmagic", "help", "time", "timeit", "classpath", "env", "vars", "load",
                "maven"}) {
            assertTrue(out.lines().anyMatch(l -> l.strip().startsWith(name + " ")), name + " missing in:\n" + out);
        }
        assertTrue(out.contains("%timeit [-n LOOPS] [-r RUNS]"), out);
        assertTrue(out.contains("%maven G:A:V"), out);
    }

    @Test
    void helpShowsUsageAndDescriptionWithOrWithoutPercentSigns() {
        nb.ok("%help timeit");
        String plain = nb.out();
        assertTrue(plain.startsWith("usage: %timeit [-n LOOPS]"), plain);
        assertTrue(plain.contains("0.2 s"), plain);
        nb.ok("%help %%timeit");
        assertEquals(plain, nb.out());
    }

    @Test
    void helpForAnUnknownMagicSaysSoAndShowsItsOwnUsage() {
        String tb = nb.fails("%help nosuch");
        assertTrue(tb.startsWith("MagicError: %help: no magic named 'nosuch'; %lsmagic lists them"), tb);
        assertTrue(tb.contains("usage: %help NAME"), tb);
        assertFalse(tb.contains("\tat "), tb);
    }

    @Test
    void varsIsATableOfNameTypeAndValueThatRendersAsHtml() {
        nb.ok("int answer = 42;\nString greeting = \"hi\";\nList<Integer> xs = List.of(1, 2, 3);");
        Table t = assertInstanceOf(Table.class, nb.ok("%vars"));
        assertEquals(java.util.List.of("name", "type", "value"), t.columnNames());
        int row = t.stringColumn("name").indexOf("answer");
        assertEquals("int", t.stringColumn("type").get(row));
        assertEquals("42", t.stringColumn("value").get(row));
        row = t.stringColumn("name").indexOf("xs");
        assertEquals("List<Integer>", t.stringColumn("type").get(row));
        assertEquals("[1, 2, 3]", t.stringColumn("value").get(row));
        row = t.stringColumn("name").indexOf("greeting");
        assertEquals("\"hi\"", t.stringColumn("value").get(row));
        MimeBundle b = nb.session.render(t);
        assertTrue(b.data().containsKey("text/html"), b.data().keySet().toString());
        assertTrue(b.plain().contains("answer"), b.plain());
    }

    @Test
    void varsHidesResultVariablesAndShowsArraysAndDoublesAsResultsDo() {
        nb.ok("int[][] grid = {{1, 2}, {3}};\ndouble half = 0.5;\ndouble big = 1e21;");
        nb.ok("40 + 2");
        Table t = (Table) nb.ok("%vars");
        for (String name : t.stringColumn("name")) assertFalse(name.startsWith("$"), name);
        assertEquals("[[1, 2], [3]]", t.stringColumn("value").get(t.stringColumn("name").indexOf("grid")));
        assertEquals(nb.session.render(0.5).plain(), t.stringColumn("value").get(t.stringColumn("name").indexOf("half")));
        assertEquals("1.0E21", t.stringColumn("value").get(t.stringColumn("name").indexOf("big")));
    }

    @Test
    void varsCutsLongValues() {
        nb.ok("String longText = \"x\".repeat(1000);");
        Table t = (Table) nb.ok("%vars");
        String v = t.stringColumn("value").get(t.stringColumn("name").indexOf("longText"));
        assertEquals(VarsMagic.MAX_VALUE_CHARS, v.length());
        assertTrue(v.endsWith("…"), v);
    }

    @Test
    void envSetsShowsAndListsVariablesHidingSecrets() {
        nb.ok("%env YARDSTICK_TEST_COLOR=blue");
        assertEquals("env: YARDSTICK_TEST_COLOR=blue\n", nb.out());
        assertEquals("blue", Environment.shared().get("YARDSTICK_TEST_COLOR"));
        nb.ok("%env YARDSTICK_TEST_SHAPE round");
        nb.ok("%env YARDSTICK_TEST_COLOR");
        assertEquals("blue\n", nb.out());
        assertEquals("round", nb.ok("env(\"YARDSTICK_TEST_SHAPE\")"));
        nb.ok("%env YARDSTICK_TEST_API_KEY=sk-123");
        nb.ok("%env");
        String list = nb.out();
        assertTrue(list.contains("YARDSTICK_TEST_COLOR=blue\n"), list);
        assertTrue(list.contains("YARDSTICK_TEST_API_KEY=<hidden>\n"), list);
        assertFalse(list.contains("sk-123"), list);
        nb.ok("%env YARDSTICK_TEST_API_KEY");
        assertEquals("sk-123\n", nb.out());
    }

    @Test
    void envRejectsUnknownNamesAndBadForms() {
        assertTrue(nb.fails("%env YARDSTICK_NOT_SET_ANYWHERE").contains(
                "%env: no environment variable named YARDSTICK_NOT_SET_ANYWHERE"));
        assertTrue(nb.fails("%env 9lives=1").contains("'9lives' is not a variable name"));
        assertTrue(nb.fails("%env A B C").contains("expected NAME, NAME=VALUE or NAME VALUE"));
    }
}
