package yardstick.tracker.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import yardstick.tracker.Http;
import yardstick.tracker.RunningTracker;
import yardstick.tracker.model.Tag;
import yardstick.tracker.store.ModelRegistry;

/** The history UI's Models pages, read over plain HTTP: what they list, their links, and that names are escaped. */
class ModelPagesTest {
    private static final String HOSTILE = "<script>alert('x')</script> & co";

    private static RunningTracker tracker;
    private static String runId;

    @BeforeAll
    static void start() {
        tracker = new RunningTracker();
        runId = tracker.server.store().createRun("0", "ui", 1000, "trainer", List.of()).info().runId();
        ModelRegistry registry = tracker.server.store().modelRegistry();
        registry.createRegisteredModel("summarizer", List.of(new Tag("team", "nlp")), "Summarizes <b>news</b>");
        registry.createModelVersion("summarizer", "runs:/" + runId + "/model", runId, List.of(), null, null);
        registry.createModelVersion("summarizer", "runs:/" + runId + "/model-v2", runId, List.of(), null, null);
        registry.createModelVersion("summarizer", "s3://bucket/external", null, List.of(), null, null);
        registry.transitionModelVersionStage("summarizer", "2", "Production", false);
        registry.setRegisteredModelAlias("summarizer", "champion", "2");
        registry.createRegisteredModel(HOSTILE, List.of(), null);
    }

    @AfterAll
    static void stop() {
        tracker.close();
    }

    private static String page(String path) {
        Http.Answer a = Http.get(tracker.uri() + path);
        assertEquals(200, a.status(), a.body());
        return a.body();
    }

    @Test
    void modelsPageListsModelsWithLatestVersionAndAliases() {
        String html = page("/models");
        assertTrue(html.contains("<h1>Models</h1>"), html);
        int row = html.indexOf("href=\"/models/summarizer\">summarizer</a>");
        assertTrue(row > 0, html);
        String summarizerRow = html.substring(row, html.indexOf("</tr>", row));
        assertTrue(summarizerRow.contains("Version 3"), summarizerRow);
        assertTrue(summarizerRow.contains("champion \u2192 v2"), summarizerRow);
        assertFalse(html.contains("<script>alert"), "a model name is escaped");
        assertTrue(html.contains("&lt;script&gt;alert('x')&lt;/script&gt; &amp; co"), html);
        assertTrue(html.contains("href=\"/models/" + URLEncoder.encode(HOSTILE, StandardCharsets.UTF_8).replace("&", "&amp;")
                .replace("'", "&#39;") + "\""), html);
    }

    @Test
    void modelPageShowsVersionsWithStagesAliasesAndRunLinks() {
        String html = page("/models/summarizer");
        assertTrue(html.contains("<h1 id=\"model-name\">summarizer</h1>"), html);
        assertTrue(html.contains("Summarizes &lt;b&gt;news&lt;/b&gt;"), html);
        assertTrue(html.indexOf("data-version=\"3\"") < html.indexOf("data-version=\"2\"")
                && html.indexOf("data-version=\"2\"") < html.indexOf("data-version=\"1\""), "newest version first");
        String v2 = html.substring(html.indexOf("data-version=\"2\""), html.indexOf("data-version=\"1\""));
        assertTrue(v2.contains("<td class=\"stage\">Production</td>"), v2);
        assertTrue(v2.contains("<td class=\"aliases\">champion</td>"), v2);
        assertTrue(v2.contains("<a class=\"run-link\" href=\"/runs/" + runId + "\">" + runId + "</a>"), v2);
        assertTrue(v2.contains("runs:/" + runId + "/model-v2"), v2);
        String v3 = html.substring(html.indexOf("data-version=\"3\""), html.indexOf("data-version=\"2\""));
        assertFalse(v3.contains("run-link"), "a version without a run links to none: " + v3);
        assertTrue(page("/runs/" + runId).contains("trainer"), "the run link leads to the run page");
    }

    @Test
    void hostileNamesRoundTripThroughTheirLinks() {
        String html = page("/models/" + URLEncoder.encode(HOSTILE, StandardCharsets.UTF_8));
        assertTrue(html.contains("<h1 id=\"model-name\">&lt;script&gt;alert('x')&lt;/script&gt; &amp; co</h1>"), html);
        assertFalse(html.contains("<script>alert"));
    }

    @Test
    void everyPageLinksToModelsAndAnUnknownModelIs404() {
        assertTrue(page("/").contains("<a id=\"nav-models\" href=\"/models\">Models</a>"));
        assertTrue(page("/runs/" + runId).contains("href=\"/models\""));
        Http.Answer missing = Http.get(tracker.uri() + "/models/no-such-model");
        assertEquals(404, missing.status());
        assertTrue(missing.body().contains("Registered Model with name=no-such-model not found"), missing.body());
    }
}
