package yardstick.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;
import yardstick.magics.TestNotebook;
import yardstick.magics.llm.FakeOpenAi;

/** {@code %spark connect}: a master that is not there, URLs it does not take, and a {@code local[2]} driver. */
class ConnectTest {
    @TempDir
    static Path home;
    static FakeOpenAi llm;
    static TestNotebook nb;

    @BeforeAll
    static void start() throws Exception {
        llm = FakeEndpoint.start(home);
        nb = new TestNotebook(home);
    }

    @AfterAll
    static void stop() {
        nb.close();
        FakeEndpoint.stop(llm);
    }

    @Test
    void anUnreachableMasterIsAClearErrorWithinSeconds() throws Exception {
        int port = StandaloneCluster.freePort();
        long t0 = System.nanoTime();
        String e = nb.fails("%spark connect spark://127.0.0.1:" + port);
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertTrue(e.contains("the Spark master spark://127.0.0.1:" + port + " is unreachable"), e);
        assertTrue(seconds < 10, "took " + seconds + " s");
        t0 = System.nanoTime();
        e = nb.fails("%spark connect sc://127.0.0.1:" + port + "/;use_ssl=false");
        assertTrue(e.contains("the Spark Connect server sc://127.0.0.1:" + port + "/;use_ssl=false is unreachable"), e);
        assertTrue((System.nanoTime() - t0) / 1e9 < 10);
        assertTrue(nb.fails("%spark connect sc://").contains("'sc://' needs a host: sc://HOST:15002"));
        assertTrue(nb.fails("%spark connect yarn").contains("'yarn' is not a master URL"));
        assertTrue(nb.fails("%spark connect").contains("connect needs one master URL"));
    }

    @Test
    void enginesAreNamedAndNeedAConnection() {
        assertTrue(nb.fails("%%prompt --engine nosuch --over a.jsonl --output b\n{{x}}").contains("no engine named 'nosuch'"));
        Spark.stop();
        String e = nb.fails("%%prompt --engine spark --over a.jsonl --output b.parquet\n{{x}}");
        assertTrue(e.contains("not connected to Spark: run %spark connect"), e);
        assertTrue(nb.fails("%%prompt --engine spark --output b.parquet\n{{x}}").contains("--engine spark needs --over"));
    }

    @Test
    void aLocalDriverPromptsOverCsv() throws Exception {
        Files.writeString(home.resolve("q.csv"), "id,question\n1,one\n2,two\n3,three\n");
        nb.ok("%spark connect local[2]");
        assertTrue(nb.stdout().contains("at local[2]"), nb.stdout());
        nb.ok("%spark status");
        assertTrue(nb.stdout().startsWith("Spark 4."), nb.stdout());
        Table t = (Table) nb.ok("%%prompt --engine spark --over q.csv --output answers --output-format parquet\nSay {{question}}");
        assertEquals(3, t.rowCount());
        assertTrue(Files.isDirectory(home.resolve("spark/warehouse/answers")), "the table is kept under Yardstick's home");
        assertEquals(List.of("echo: Say one", "echo: Say three", "echo: Say two"), t.stringColumn("output").asList().stream().sorted().toList());
        // Delta out, Delta in: the input's version is its lineage.
        nb.ok("%%prompt --engine spark --over q.csv --output delta-out --output-format delta\nSay {{question}}");
        assertTrue(Files.isDirectory(home.resolve("delta-out/_delta_log")));
        Table again = (Table) nb.ok("%%prompt --engine spark --over delta-out --output again.parquet\nAgain {{output}}");
        assertTrue(nb.stdout().startsWith("Read " + home.resolve("delta-out") + " (delta version 0); 3 rows written"), nb.stdout());
        assertEquals(List.of("echo: Again echo: Say one", "echo: Again echo: Say three", "echo: Again echo: Say two"),
                again.stringColumn("output_2").asList().stream().sorted().toList());
        nb.ok("%spark stop");
        assertEquals("Not connected to Spark.", ((String) statusLine()).strip());
    }

    private Object statusLine() {
        nb.ok("%spark status");
        return nb.stdout();
    }
}
