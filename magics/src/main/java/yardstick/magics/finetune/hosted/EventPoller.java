package yardstick.magics.finetune.hosted;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import yardstick.magics.finetune.train.TrainerMain;
import yardstick.magics.llm.ModelCatalog;

/**
 * Follows one hosted job on a daemon thread and writes what it learns as the job's {@code progress.jsonl}, the same
 * lines a local trainer writes: a step line per {@code metrics} event (loss = {@code train_loss}, steps =
 * {@code total_steps}), a {@code metric} line for each other number in it ({@code valid_loss},
 * {@code valid_mean_token_accuracy}, ...), then {@code done} with {@code model.json} or {@code failed} with the
 * service's {@code error.message}. Each line carries the event's id ({@code ft_event}), so a poller started after a
 * restart reads the file to learn where its predecessor stopped and writes no step twice. The service's messages go to
 * {@code log.txt} as well, whose end a failed job shows.
 */
final class EventPoller implements Runnable {
    static final String LOG = "log.txt";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> NOT_METRICS = Set.of("step", "total_steps", "train_loss");
    private static final long MAX_BACKOFF_MS = Duration.ofMinutes(5).toMillis();

    private final FineTuningApi api;
    private final HostedJob job;
    private final Path dir;
    private final Duration every;
    private final Semaphore wake = new Semaphore(0);
    private volatile boolean finished;
    private volatile boolean stopped;
    private Thread thread;
    private String lastEvent;
    // The first step seen and when, for a rate and an ETA that leave out the time the job spent queued.
    private long firstStep = -1;
    private long firstAt;

    EventPoller(FineTuningApi api, HostedJob job, Path dir, Duration every) throws IOException {
        this.api = api;
        this.job = job;
        this.dir = dir;
        this.every = every;
        recover();
    }

    /** Reads what an earlier poller wrote: the newest event, the first step, and whether the job has ended. */
    private void recover() throws IOException {
        Path f = dir.resolve(TrainerMain.PROGRESS);
        if (!Files.isRegularFile(f)) return;
        try (BufferedReader in = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                JsonNode n;
                try {
                    n = JSON.readTree(line);
                } catch (JsonProcessingException halfWritten) {
                    continue;
                }
                if (n == null || !n.isObject()) continue;
                if (n.hasNonNull("ft_event")) lastEvent = n.get("ft_event").asText();
                if (!n.has("event") && n.has("ft_time") && firstStep < 0) {
                    firstStep = n.path("step").asLong();
                    firstAt = n.path("ft_time").asLong();
                }
                String event = n.path("event").asText("");
                if (event.equals("done") || event.equals("failed")) finished = true;
            }
        }
    }

    EventPoller start() {
        if (finished) return this;
        thread = new Thread(this, "yardstick-hosted-" + dir.getFileName());
        thread.setDaemon(true);
        thread.start();
        return this;
    }

    /** True once the final line (done or failed) is in the progress file. */
    boolean finished() {
        return finished;
    }

    /** Polls now rather than at the next interval (after a cancel). */
    void wake() {
        wake.release();
    }

    /** Stops polling and waits (bounded) for the thread to end; the job itself goes on remotely. */
    void stop() throws InterruptedException {
        stopped = true;
        wake.release();
        if (thread != null) thread.join(TimeUnit.SECONDS.toMillis(10));
    }

    @Override
    public void run() {
        int failures = 0;
        while (!finished && !stopped) {
            try {
                round();
                failures = 0;
            } catch (HostedApiException e) {
                if (!e.transientFailure()) {
                    end(line("failed").put("reason", "following job " + job.fineTuningJobId() + " failed: " + e.getMessage()));
                    return;
                }
                failures++;
                log("polling failed, trying again: " + e.getMessage());
            } catch (IOException e) {
                failures++;
                log("cannot write the job's progress, trying again: " + e.getMessage());
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // A bug or an answer this code cannot read: end the job rather than leave it running for ever.
                end(line("failed").put("reason", "following job " + job.fineTuningJobId() + " failed: " + e));
                return;
            }
            if (finished || stopped) return;
            long wait = failures == 0 ? every.toMillis() : Math.min(MAX_BACKOFF_MS, every.toMillis() << Math.min(failures, 10));
            try {
                wake.tryAcquire(wait, TimeUnit.MILLISECONDS);
                wake.drainPermits();
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** One look at the job: its status first, then its events, so no event before a final status is missed. */
    void round() throws InterruptedException, IOException {
        RemoteJob j = api.job(job.fineTuningJobId());
        List<JobEvent> events = api.eventsSince(job.fineTuningJobId(), lastEvent);
        for (JobEvent e : events) {
            if (stopped) return;
            write(e, j);
        }
        if (!j.isFinal() || stopped) return;
        switch (j.status()) {
            case RemoteJob.SUCCEEDED -> {
                writeModel(j, api.checkpoints(j.id()));
                end(line("done").put("result", ModelCatalog.TUNED_MODEL));
            }
            case RemoteJob.FAILED -> end(line("failed").put("reason", j.error() != null && j.error().message() != null
                    ? j.error().message() : "the job failed on " + api.baseUrl() + " without saying why"));
            default -> end(line("failed").put("reason", "job " + j.id() + " was cancelled on " + api.baseUrl()));
        }
    }

    /** The lines of one event, appended in one write; the log gets the service's message. */
    private void write(JobEvent e, RemoteJob j) throws IOException {
        StringBuilder out = new StringBuilder();
        if (e.isMetrics()) {
            JsonNode d = e.data();
            long step = d.path("step").asLong();
            ObjectNode s = JSON.createObjectNode().put("step", step);
            long total = d.path("total_steps").asLong(0);
            s.put("steps", total);
            s.put("epoch", j.nEpochs() > 0 && total > 0 ? (int) Math.min(j.nEpochs(), (step - 1) * j.nEpochs() / total + 1) : 0);
            if (d.path("train_loss").isNumber()) s.put("loss", d.get("train_loss").asDouble());
            if (firstStep < 0) {
                firstStep = step;
                firstAt = e.createdAt();
            }
            double perSecond = e.createdAt() > firstAt && step > firstStep ? (double) (step - firstStep) / (e.createdAt() - firstAt) : 0;
            s.put("throughput", perSecond * 60).put("unit", "steps/min");
            if (perSecond > 0 && total >= step) s.put("eta_s", (total - step) / perSecond);
            if (j.createdAt() > 0) s.put("elapsed_s", Math.max(0, e.createdAt() - j.createdAt()));
            s.put("ft_event", e.id()).put("ft_time", e.createdAt());
            out.append(s).append('\n');
            for (Iterator<Map.Entry<String, JsonNode>> it = d.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                if (NOT_METRICS.contains(f.getKey()) || !f.getValue().isNumber()) continue;
                out.append(line("metric").put("key", f.getKey()).put("value", f.getValue().asDouble()).put("step", step)
                        .put("ft_event", e.id())).append('\n');
            }
        } else {
            // Not read by the monitor: it keeps the event's id, so a restarted poller does not fetch it again.
            out.append(line("remote").put("level", e.level()).put("message", e.message()).put("ft_event", e.id())).append('\n');
        }
        log(e.level() + ": " + e.message(), e.createdAt());
        append(dir.resolve(TrainerMain.PROGRESS), out.toString());
        lastEvent = e.id();
    }

    /** {@code model.json}: the model's name and where it is served, so that a notebook can prompt it. */
    private void writeModel(RemoteJob j, List<Checkpoint> checkpoints) throws IOException {
        ObjectNode m = JSON.createObjectNode();
        m.put("fine_tuned_model", j.fineTunedModel());
        m.put("base_url", api.baseUrl());
        m.put("key_env", job.keyEnv());
        m.put("endpoint", job.endpoint());
        m.put("model", j.model() != null ? j.model() : job.model());
        m.put("fine_tuning_job_id", j.id());
        if (j.trainedTokens() >= 0) m.put("trained_tokens", j.trainedTokens());
        else m.putNull("trained_tokens");
        ArrayNode results = m.putArray("result_files");
        j.resultFiles().forEach(results::add);
        ArrayNode cps = m.putArray("checkpoints");
        for (Checkpoint c : checkpoints) {
            cps.addObject().put("fine_tuned_model_checkpoint", c.fineTunedModelCheckpoint()).put("step_number", c.stepNumber())
                    .set("metrics", c.metrics().isObject() ? c.metrics() : JSON.createObjectNode());
        }
        Path tmp = dir.resolve(ModelCatalog.TUNED_MODEL + ".tmp");
        JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), m);
        Files.move(tmp, dir.resolve(ModelCatalog.TUNED_MODEL), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private void end(ObjectNode last) {
        try {
            append(dir.resolve(TrainerMain.PROGRESS), last + "\n");
        } catch (IOException e) {
            log("cannot write the job's end: " + e.getMessage());
        }
        finished = true;
    }

    private static ObjectNode line(String event) {
        return JSON.createObjectNode().put("event", event);
    }

    private void log(String message) {
        log(message, Instant.now().getEpochSecond());
    }

    private void log(String message, long epochSecond) {
        try {
            append(dir.resolve(LOG), Instant.ofEpochSecond(epochSecond) + " " + message + "\n");
        } catch (IOException e) {
            System.err.println("Yardstick: hosted job " + dir.getFileName() + ": " + message);
        }
    }

    private static void append(Path f, String text) throws IOException {
        Files.writeString(f, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                StandardOpenOption.WRITE);
    }
}
