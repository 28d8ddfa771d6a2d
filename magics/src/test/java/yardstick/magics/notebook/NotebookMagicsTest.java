package yardstick.magics.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlflow.api.proto.Service;
import org.mlflow.tracking.MlflowClient;
import tech.tablesaw.api.Table;
import yardstick.kernel.magic.Environment;
import yardstick.magics.TestNotebook;
import yardstick.magics.YardstickHome;
import yardstick.magics.llm.FakeOpenAi;
import yardstick.magics.track.Tracking;
import yardstick.tracker.TrackerConfig;
import yardstick.tracker.TrackerServer;

/** The magics in a real notebook session (JShell), prompting the fake endpoint and logging to a real tracker. */
class NotebookMagicsTest {
    @TempDir
    static Path home;
    static TrackerServer tracker;
    static FakeOpenAi llm;
    static TestNotebook nb;
    static MlflowClient mlflow;

    @BeforeAll
    static void start() throws Exception {
        System.setProperty(YardstickHome.PROPERTY, home.toString());
        tracker = TrackerServer.start(TrackerConfig.defaults().withPort(0).withStore("sqlite:" + home.resolve("t.db"))
                .withArtifactRoot(home.resolve("artifacts")));
        llm = new FakeOpenAi();
        Environment env = Environment.shared();
        env.set("MLFLOW_TRACKING_URI", tracker.uri().toString());
        env.set("MLFLOW_EXPERIMENT_NAME", "notebook-magics");
        env.set("YARDSTICK_TRACKING", "on");
        env.set("OPENAI_BASE_URL", llm.baseUrl());
        env.set("OPENAI_API_KEY", "sk-test");
        env.set("OPENAI_MODEL", "fake-model");
        Tracking.reset();
        nb = new TestNotebook(home);
        mlflow = new MlflowClient(tracker.uri().toString());
    }

    @AfterAll
    static void stop() {
        Tracking.reset();
        nb.close();
        for (String k : List.of("MLFLOW_TRACKING_URI", "MLFLOW_EXPERIMENT_NAME", "OPENAI_BASE_URL", "OPENAI_API_KEY", "OPENAI_MODEL")) {
            Environment.shared().set(k, "");
        }
        System.clearProperty(YardstickHome.PROPERTY);
        llm.close();
        tracker.close();
    }

    static Map<String, String> tags(Service.Run r) {
        return r.getData().getTagsList().stream().collect(Collectors.toMap(Service.RunTag::getKey, Service.RunTag::getValue));
    }

    @Test
    void promptOverATableShowsProgressReturnsTheTableStoresItAndLogsAChildRun() {
        nb.ok("var questions = tech.tablesaw.api.Table.create(\"questions\", "
                + "tech.tablesaw.api.StringColumn.create(\"question\", \"What is 2+2?\", \"Capital of France?\", \"Largest ocean?\"));");
        int before = llm.count();
        String cell = "%%prompt --over questions --into answers --concurrency 2 --temperature 0\nAnswer briefly: {{question}}";
        Object value = nb.ok(cell);
        assertTrue(value instanceof Table);
        assertEquals(3, llm.count() - before);
        assertTrue(nb.displays().stream().anyMatch(d -> d.plain().contains("prompting [") && d.plain().contains("3/3")),
                "no progress bar: " + nb.displays());
        assertEquals("echo: Answer briefly: Capital of France?", nb.ok("answers.stringColumn(\"output\").get(1)"));

        assertTrue(Tracking.global().flush(Duration.ofSeconds(10)));
        String experiment = Tracking.global().experimentId();
        List<Service.RunInfo> runs = mlflow.searchRuns(List.of(experiment), "tags.`yardstick.magic` = 'prompt'");
        Service.Run run = runs.stream().map(r -> mlflow.getRun(r.getRunId()))
                .filter(r -> cell.equals(tags(r).get(yardstick.tracker.model.Tags.CELL))).findFirst().orElseThrow();
        assertEquals(Tracking.global().session().id(), tags(run).get("mlflow.parentRunId"));
        Map<String, String> params = run.getData().getParamsList().stream()
                .collect(Collectors.toMap(Service.Param::getKey, Service.Param::getValue));
        assertEquals("fake-model", params.get("model_id"));
        assertEquals("0.0", params.get("temperature"));
        Map<String, Double> metrics = run.getData().getMetricsList().stream()
                .collect(Collectors.toMap(Service.Metric::getKey, Service.Metric::getValue));
        assertEquals(3.0, metrics.get("rows"));
        assertEquals(0.0, metrics.get("failed_rows"));
        assertEquals("questions", run.getInputs().getDatasetInputs(0).getDataset().getName());
    }

    @Test
    void oneStreamedPromptFilledFromAVariable() {
        llm.then(FakeOpenAi.stream(List.of("Bon", "jour"), 3, 2, 0));
        nb.ok("String lang = \"French\";");
        assertEquals(null, nb.ok("%%prompt --into greeting --system \"Be terse\"\nSay hello in {{lang}}"));
        assertEquals("Bonjour\n", nb.stdout());
        assertEquals("Bonjour", nb.ok("greeting"));
        var req = llm.requests.get(llm.count() - 1);
        assertEquals("Be terse", req.path("messages").path(0).path("content").asText());
        assertEquals("Say hello in French", req.path("messages").path(1).path("content").asText());
    }

    @Test
    void badInputGetsOneClearLineAndNoCall() {
        int before = llm.count();
        assertTrue(nb.fails("%%prompt\nTell me about {{nosuchvar}}").contains("placeholder {{nosuchvar}} has no value"));
        nb.ok("int notATable = 3;");
        assertTrue(nb.fails("%%prompt --over notATable\n{{x}}").contains("is a Integer, not a Tablesaw Table"));
        assertTrue(nb.fails("%%prompt --temprature 1\nhi").contains("unknown option --temprature"));
        assertTrue(nb.fails("%%prompt --max-tokens many\nhi").contains("--max-tokens needs an integer"));
        assertTrue(nb.fails("%%prompt --temperature 7\nhi").contains("temperature must be between 0 and 2"));
        assertTrue(nb.fails("%%prompt\n   ").contains("empty"));
        assertTrue(nb.fails("%%prompt --into 1x\nhi").contains("--into needs a variable name"));
        assertEquals(before, llm.count());
    }

    @Test
    void aDownEndpointOrABadKeyIsOneMessage() {
        llm.then(FakeOpenAi.error(401, "Incorrect API key provided", Map.of()));
        String e = nb.fails("%%prompt --no-cache\nhello there");
        assertTrue(e.contains("401 Unauthorized: set OPENAI_API_KEY"), e);
        assertFalse(e.contains("\n"));
    }

    @Test
    void modelsListsTheEnvironmentEndpointWithoutItsKey() {
        Table t = (Table) nb.ok("%models");
        assertTrue(t.stringColumn("base_url").asList().contains(llm.baseUrl()));
        assertTrue(t.stringColumn("key").asList().contains("OPENAI_API_KEY (set)"));
        assertFalse(t.print().contains("sk-test"));
    }

    @Test
    void runStartTagEndThenRunsAndCompare() {
        nb.ok("%run start baseline");
        nb.ok("%run tag team=evals stage=dev");
        nb.ok("yardstick.magics.track.Runs.log(\"lr\", \"0.1\"); for (int s = 0; s < 3; s++) yardstick.magics.track.Runs.log(\"loss\", 1.0 / (s + 1), s);");
        String first = Tracking.global().current().id();
        nb.ok("%run end");
        nb.ok("%run start tuned");
        nb.ok("yardstick.magics.track.Runs.log(\"lr\", \"0.01\"); yardstick.magics.track.Runs.log(\"loss\", 0.2, 0);");
        String second = Tracking.global().current().id();
        nb.ok("%run end");
        assertTrue(nb.fails("%run end").contains("no run started with %run start is open"));
        assertTrue(nb.fails("%run tag oops").contains("expected KEY=VALUE, got 'oops'"));
        assertTrue(nb.fails("%run launch").contains("unknown subcommand 'launch'"));

        Table runs = (Table) nb.ok("%runs --filter \"params.lr = '0.01'\" --max 5");
        assertEquals(1, runs.rowCount());
        assertEquals(second, runs.stringColumn("run_id").get(0));
        assertEquals(0.2, runs.doubleColumn("metrics.loss").get(0));
        assertTrue(nb.fails("%runs --filter \"params.lr ==== 1\"").contains("bad filter"));
        assertTrue(nb.fails("%runs --max 0").contains("--max must be at least 1"));

        Map<String, String> t = tags(mlflow.getRun(first));
        assertEquals("evals", t.get("team"));
        assertEquals("dev", t.get("stage"));

        Table diff = (Table) nb.ok("%compare " + first + " " + second);
        assertEquals(List.of("lr"), diff.stringColumn("param").asList());
        assertEquals("0.1", diff.stringColumn(1).get(0));
        assertEquals("0.01", diff.stringColumn(2).get(0));
        assertTrue(nb.displays().stream().anyMatch(d -> d.data().containsKey("image/png")), "no metric chart");
        assertTrue(nb.fails("%compare " + first).contains("at least two run ids"));
        assertTrue(nb.fails("%compare " + first + " 0123456789abcdef").contains("no run with id '0123456789abcdef'"));
    }
}
