package yardstick.magics.finetune.hosted;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import yardstick.magics.llm.RetryPolicy;

class FineTuningApiTest {
    static final RetryPolicy FAST = new RetryPolicy(2, Duration.ofMillis(5), Duration.ofSeconds(2));

    @TempDir
    Path tmp;
    FakeFineTuning fake;
    FineTuningApi api;

    @BeforeEach
    void start() throws Exception {
        fake = new FakeFineTuning();
        fake.requiredKey = "sk-test";
        api = new FineTuningApi(fake.baseUrl() + "/", "sk-test", "FT_TEST_KEY", FAST, Duration.ofSeconds(10));
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    private String upload() throws Exception {
        return api.upload(Files.writeString(tmp.resolve("train.jsonl"), ChatJsonlTest.GOOD + "ünïcode \"quoted\"\n"));
    }

    @Test
    void uploadsTheFileBytesAsMultipartForFineTuning() throws Exception {
        String id = upload();
        FakeFineTuning.StoredFile f = fake.files.get(id);
        assertEquals("fine-tune", f.purpose());
        assertEquals("train.jsonl", f.filename());
        assertArrayEquals(Files.readAllBytes(tmp.resolve("train.jsonl")), f.content());
        api.deleteFile(id);
        assertEquals(0, fake.fileCount("fine-tune"));
    }

    @Test
    void unsetHyperparametersAreLeftToTheService() throws Exception {
        String file = upload();
        RemoteJob j = api.create(new CreateJob("gpt-4o-mini-2024-07-18", file, null, 2, null, null, "pirate", 7L));
        assertEquals("validating_files", j.status());
        assertFalse(j.isFinal());
        assertEquals(0, j.nEpochs(), "n_epochs is \"auto\" until the job runs");
        JsonNode sent = fake.createRequests.get(0);
        assertEquals("{\"n_epochs\":2}", sent.get("hyperparameters").toString());
        assertEquals("pirate", sent.get("suffix").asText());
        assertEquals(7, sent.get("seed").asLong());
        assertFalse(sent.has("validation_file"));
        RemoteJob none = api.create(new CreateJob("gpt-4o-mini-2024-07-18", file, null, null, null, null, null, null));
        assertFalse(fake.createRequests.get(1).has("hyperparameters"));
        assertNull(none.fineTunedModel());
    }

    @Test
    void eventsArePagedNewestFirstAndReturnedOldestFirstFromTheCursor() throws Exception {
        fake.maxPage = 3;
        RemoteJob j = api.create(new CreateJob("m", upload(), null, 2, null, null, null, null));
        while (!api.job(j.id()).isFinal()) {
            // each look moves the fake a tick on
        }
        FakeFineTuning.Job served = fake.job(j.id());
        List<JobEvent> all = api.eventsSince(j.id(), null);
        assertTrue(served.events.size() > 3 * fake.maxPage, "several pages: " + served.events.size());
        assertEquals(served.events.stream().map(e -> e.get("id").asText()).toList(), all.stream().map(JobEvent::id).toList());
        String middle = all.get(7).id();
        assertEquals(all.subList(8, all.size()), api.eventsSince(j.id(), middle));
        assertEquals(List.of(), api.eventsSince(j.id(), all.get(all.size() - 1).id()));
        JobEvent step1 = all.stream().filter(JobEvent::isMetrics).findFirst().orElseThrow();
        assertEquals(1, step1.data().get("step").asInt());
        assertEquals(served.totalSteps, step1.data().get("total_steps").asInt());
        List<Checkpoint> cps = api.checkpoints(j.id());
        assertEquals(2, cps.size());
        assertEquals(served.totalSteps, cps.get(0).stepNumber(), "newest first");
        RemoteJob done = api.job(j.id());
        assertEquals(RemoteJob.SUCCEEDED, done.status());
        assertEquals(served.fineTunedModel, done.fineTunedModel());
        assertEquals(2468, done.trainedTokens());
        assertEquals(1, done.resultFiles().size());
    }

    @Test
    void rateLimitsAreWaitedOutWithRetryAfterInSecondsOrAsADate() throws Exception {
        String soon = ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(1).format(DateTimeFormatter.RFC_1123_DATE_TIME);
        fake.then(FakeFineTuning.status(429, "Rate limit reached for requests", Map.of("Retry-After", "1")),
                FakeFineTuning.status(429, "Rate limit reached for requests", Map.of("Retry-After", soon)));
        String id = upload();
        assertEquals(3, fake.count("POST /v1/files"));
        assertEquals(1, fake.fileCount("fine-tune"));
        assertTrue(fake.files.containsKey(id));
    }

    @Test
    void serverErrorsAreRetriedABoundedNumberOfTimesThenReported() throws Exception {
        for (int i = 0; i < 3; i++) fake.then(FakeFineTuning.status(500, "The server had an error while processing your request.", Map.of()));
        HostedApiException e = assertThrows(HostedApiException.class, this::upload);
        assertEquals(500, e.status());
        assertTrue(e.transientFailure());
        assertEquals(fake.baseUrl() + " answered 500 to POST /files after 2 retries: The server had an error while processing"
                + " your request.", e.getMessage());
        assertEquals(3, fake.count("POST /v1/files"));
        assertEquals(0, fake.fileCount("fine-tune"));
    }

    @Test
    void aBadKeyNamesTheVariableToSet() {
        FineTuningApi wrong = new FineTuningApi(fake.baseUrl(), "sk-wrong", "FT_TEST_KEY", FAST, Duration.ofSeconds(10));
        HostedApiException e = assertThrows(HostedApiException.class, () -> wrong.job("ftjob-1"));
        assertEquals(401, e.status());
        assertFalse(e.transientFailure());
        assertTrue(e.getMessage().startsWith(fake.baseUrl() + " answered 401 Unauthorized: set FT_TEST_KEY to a valid API key"
                + " (%env FT_TEST_KEY=...) — the server said: Incorrect API key provided"), e.getMessage());
        assertEquals(1, fake.requests.size(), "a 401 is not retried");
    }

    @Test
    void anUnknownJobIsAClearError() {
        HostedApiException e = assertThrows(HostedApiException.class, () -> api.job("ftjob-nope"));
        assertEquals(404, e.status());
        assertTrue(e.getMessage().endsWith("answered 404 to GET /fine_tuning/jobs/ftjob-nope: Could not find fine-tune: ftjob-nope"),
                e.getMessage());
    }

    @Test
    void anUnreachableServerSaysWhere() {
        FineTuningApi down = new FineTuningApi("http://127.0.0.1:1/v1", null, null, FAST, Duration.ofSeconds(5));
        HostedApiException e = assertThrows(HostedApiException.class, () -> down.job("ftjob-1"));
        assertEquals(0, e.status());
        assertTrue(e.getMessage().startsWith("cannot reach the fine-tuning endpoint http://127.0.0.1:1/v1"), e.getMessage());
    }
}
