package yardstick.tracker.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import yardstick.tracker.Http;
import yardstick.tracker.RunningTracker;
import yardstick.tracker.model.LifecycleStage;

/** The UI's forms post only with the token their page carries, from the tracker's own origin. */
class UiFormsTest {
    private static final Pattern TOKEN = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    private static RunningTracker tracker;
    private String runId;

    @BeforeAll
    static void start() {
        tracker = new RunningTracker();
    }

    @AfterAll
    static void stop() {
        tracker.close();
    }

    @BeforeEach
    void newRun() {
        runId = tracker.server.store().createRun("0", "ui", 1000, "form-target", List.of()).info().runId();
    }

    private LifecycleStage stage() {
        return tracker.server.store().getRun(runId).info().lifecycleStage();
    }

    /** The token in the run page's form that posts to {@code action}. */
    private String tokenOnRunPage(String formId) {
        String html = Http.get(tracker.uri() + "/runs/" + runId).body();
        int form = html.indexOf("<form id=\"" + formId + "\"");
        assertTrue(form >= 0, html);
        Matcher m = TOKEN.matcher(html.substring(form));
        assertTrue(m.find(), html);
        return m.group(1);
    }

    private static HttpResponse<String> post(String path, String contentType, String body, String origin) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(tracker.uri() + path)).POST(HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        if (origin != null) {
            b.header("Origin", origin);
        }
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> form(String path, String body, String origin) throws Exception {
        return post(path, "application/x-www-form-urlencoded", body, origin);
    }

    @Test
    void aFormPostWithoutTheTokenIs403AndChangesNothing() throws Exception {
        String path = "/runs/" + runId + "/delete";
        assertEquals(403, form(path, "", null).statusCode());
        assertEquals(403, form(path, "csrf=", null).statusCode());
        assertEquals(403, form(path, "csrf=forged", null).statusCode());
        HttpResponse<String> noToken = form(path, "confirm=yes", tracker.uri());
        assertEquals(403, noToken.statusCode());
        assertTrue(noToken.body().contains("reload the page"), noToken.body());
        assertEquals(LifecycleStage.ACTIVE, stage());
    }

    @Test
    void theTokenOpensOnlyItsOwnFormAndOnlyFromThisOrigin() throws Exception {
        String deleteToken = tokenOnRunPage("delete-run");
        String other = tracker.server.store().createRun("0", "ui", 1000, "bystander", List.of()).info().runId();
        assertEquals(403, form("/runs/" + other + "/delete", "csrf=" + deleteToken, null).statusCode(), "another run's form");
        assertEquals(403, form("/runs/" + runId + "/restore", "csrf=" + deleteToken, null).statusCode(), "another action");
        assertEquals(403, form("/runs/" + runId + "/delete", "csrf=" + deleteToken, "http://evil.example").statusCode(),
                "a foreign page that somehow holds a token still has a foreign Origin");
        assertEquals(415, post("/runs/" + runId + "/delete", "text/plain", "csrf=" + deleteToken, null).statusCode());
        assertEquals(LifecycleStage.ACTIVE, stage());
        assertEquals(LifecycleStage.ACTIVE, tracker.server.store().getRun(other).info().lifecycleStage());
    }

    @Test
    void withItsTokenTheFormWorksAndRedirectsBackToThePage() throws Exception {
        HttpResponse<String> deleted = form("/runs/" + runId + "/delete", "csrf=" + tokenOnRunPage("delete-run"), tracker.uri());
        assertEquals(303, deleted.statusCode(), deleted.body());
        assertEquals("/runs/" + runId, deleted.headers().firstValue("Location").orElse(""));
        assertEquals(LifecycleStage.DELETED, stage());
        // Without Origin too: older browsers and tools send none; the token alone is what a forger cannot have.
        HttpResponse<String> restored = form("/runs/" + runId + "/restore", "csrf=" + tokenOnRunPage("restore-run"), null);
        assertEquals(303, restored.statusCode(), restored.body());
        assertEquals(LifecycleStage.ACTIVE, stage());
    }

    /** The token in the form {@code formId} on the page at {@code path}. */
    private static String tokenOn(String path, String formId) {
        String html = Http.get(tracker.uri() + path).body();
        int form = html.indexOf("<form id=\"" + formId + "\"");
        assertTrue(form >= 0, html);
        Matcher m = TOKEN.matcher(html.substring(form));
        assertTrue(m.find(), html);
        return m.group(1);
    }

    @Test
    void renameTagAndExperimentFormsNeedTheirOwnToken() throws Exception {
        String rename = "/runs/" + runId + "/rename";
        assertEquals(403, form(rename, "name=forged", null).statusCode());
        assertEquals(403, form(rename, "name=forged&csrf=" + tokenOnRunPage("delete-run"), null).statusCode(), "another form's token");
        assertEquals("form-target", tracker.server.store().getRun(runId).info().runName());
        assertEquals(303, form(rename, "name=renamed&csrf=" + tokenOnRunPage("rename-run"), tracker.uri()).statusCode());
        assertEquals("renamed", tracker.server.store().getRun(runId).info().runName());
        assertEquals(400, form(rename, "name=+&csrf=" + tokenOnRunPage("rename-run"), null).statusCode(), "a blank name");

        String tag = "/runs/" + runId + "/tag";
        assertEquals(403, form(tag, "key=k&value=v", null).statusCode());
        assertEquals(303, form(tag, "key=k&value=v&csrf=" + tokenOnRunPage("tag-run"), null).statusCode());
        assertTrue(tracker.server.store().getRun(runId).tags().stream().anyMatch(t -> t.key().equals("k") && t.value().equals("v")));

        String experimentId = tracker.server.store().createExperiment("forms-" + runId, null, List.of()).experimentId();
        String delete = "/experiments/" + experimentId + "/delete";
        assertEquals(403, form(delete, "", null).statusCode());
        assertEquals(LifecycleStage.ACTIVE, tracker.server.store().getExperiment(experimentId).lifecycleStage());
        assertEquals(303, form(delete, "csrf=" + tokenOn("/experiments/" + experimentId, "delete-experiment"), null).statusCode());
        assertEquals(LifecycleStage.DELETED, tracker.server.store().getExperiment(experimentId).lifecycleStage());
    }

    @Test
    void pagesMayNotBeFramedByOtherSitesAndOtherMethodsAre405() throws IOException, InterruptedException {
        HttpResponse<String> page = CLIENT.send(HttpRequest.newBuilder(URI.create(tracker.uri() + "/runs/" + runId)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals("SAMEORIGIN", page.headers().firstValue("X-Frame-Options").orElse(""));
        HttpResponse<String> put = CLIENT.send(HttpRequest.newBuilder(URI.create(tracker.uri() + "/runs/" + runId + "/delete"))
                .PUT(HttpRequest.BodyPublishers.ofString("")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, put.statusCode());
        assertEquals(LifecycleStage.ACTIVE, stage());
    }
}
