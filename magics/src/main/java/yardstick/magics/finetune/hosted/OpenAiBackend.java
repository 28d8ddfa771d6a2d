package yardstick.magics.finetune.hosted;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import yardstick.magics.YardstickHome;
import yardstick.magics.finetune.job.Backend;
import yardstick.magics.finetune.job.JobException;
import yardstick.magics.finetune.job.JobRecord;
import yardstick.magics.finetune.job.JobRegistry;
import yardstick.magics.finetune.job.JobSpec;
import yardstick.magics.finetune.train.TrainerMain;
import yardstick.magics.llm.Endpoint;
import yardstick.magics.llm.Llm;
import yardstick.magics.llm.LlmException;
import yardstick.magics.llm.ModelCatalog;
import yardstick.magics.llm.RetryPolicy;

/**
 * Runs a job on a hosted fine-tuning service that speaks OpenAI's API (OpenAI itself, or a compatible one named in
 * models.yaml). The job's spec is read as {@link HostedSpec} describes: {@code data} the training chat JSONL,
 * {@code validation} an optional validation JSONL, {@code base} the hosted base model, {@code endpoint} an optional
 * models.yaml entry whose base_url and key_env to use (otherwise those of {@code base} as the catalog resolves it,
 * that is OPENAI_BASE_URL and OPENAI_API_KEY for a plain model name), {@code epochs}, {@code batch} and {@code lr}
 * (the learning-rate multiplier; 0 for each: "auto"), {@code suffix} and {@code seed}.
 *
 * <p>{@code launch} checks the files, uploads them, creates the job and keeps its id in {@code hosted.json}; a daemon
 * {@link EventPoller} per job turns the service's events into {@code progress.jsonl} lines, and is started again by
 * {@link #alive} when a restarted kernel asks about the job. The finished job's model is written to
 * {@code model.json}, where {@link ModelCatalog} finds it by name.
 */
public final class OpenAiBackend implements Backend, AutoCloseable {
    public static final String NAME = "openai";
    /** The task name a hosted chat fine-tune's spec carries. */
    public static final String TASK = "chat";
    static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(2);
    static final Duration CANCEL_WAIT = Duration.ofSeconds(5);

    private final JobRegistry registry;
    private final Supplier<ModelCatalog> catalog;
    private final Function<String, String> env;
    private final RetryPolicy retry;
    private final Duration pollEvery;
    private final Map<String, EventPoller> pollers = new ConcurrentHashMap<>();

    /**
     * @param registry where job folders are (alive and cancel get only the record)
     * @param catalog the models a notebook can name, read at each launch so that {@code %env} applies at once
     * @param env the environment as the notebook sees it, for the API key
     * @param pollEvery how often a running job's status and events are fetched
     */
    public OpenAiBackend(JobRegistry registry, Supplier<ModelCatalog> catalog, Function<String, String> env,
            RetryPolicy retry, Duration pollEvery) {
        this.registry = registry;
        this.catalog = catalog;
        this.env = env;
        this.retry = retry;
        this.pollEvery = pollEvery;
    }

    /** The notebook's catalog and environment, the default retries, a poll every 5 s. */
    public static OpenAiBackend standard(JobRegistry registry) {
        return new OpenAiBackend(registry, Llm::catalog, YardstickHome::env, RetryPolicy.DEFAULT, Duration.ofSeconds(5));
    }

    /** A hosted job's spec with every hyperparameter left to the service ("auto"). */
    public static JobSpec spec(String data, String base) {
        return JobSpec.of(TASK, data).withBase(base).withTraining(0, 0, 0, 0, 0).withPlacement("auto", NAME, 0);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public JobRecord launch(JobRecord record, Path dir) {
        HostedSpec s = HostedSpec.read(dir.resolve(TrainerMain.SPEC));
        Endpoint e = endpoint(s);
        Path training = Path.of(s.training()).toAbsolutePath();
        Path validation = s.validation() == null ? null : Path.of(s.validation()).toAbsolutePath();
        ChatJsonl.validate(training, "training file");
        if (validation != null) ChatJsonl.validate(validation, "validation file");
        String keyEnv = e.keyEnv() == null ? "OPENAI_API_KEY" : e.keyEnv();
        FineTuningApi api = api(e.baseUrl(), keyEnv);
        List<String> uploaded = new ArrayList<>();
        String remoteId = null;
        try {
            uploaded.add(api.upload(training));
            if (validation != null) uploaded.add(api.upload(validation));
            RemoteJob j = api.create(new CreateJob(e.model(), uploaded.get(0), validation == null ? null : uploaded.get(1),
                    s.nEpochs(), s.batchSize(), s.learningRateMultiplier(), s.suffix(), s.seed()));
            remoteId = j.id();
            HostedJob h = new HostedJob(j.id(), api.baseUrl(), keyEnv, e.source().equals("models.yaml") ? e.name() : null,
                    e.model(), uploaded.get(0), validation == null ? null : uploaded.get(1));
            h.write(dir);
            follow(record.id(), api, h, dir);
            return record;
        } catch (HostedApiException ex) {
            undo(api, uploaded, remoteId);
            throw new JobException(ex.getMessage(), ex);
        } catch (IOException ex) {
            undo(api, uploaded, remoteId);
            throw new JobException("cannot keep the job's id in " + dir.resolve(HostedJob.FILE) + ": " + ex.getMessage(), ex);
        } catch (InterruptedException ex) {
            undo(api, uploaded, remoteId);
            Thread.currentThread().interrupt();
            throw new JobException("interrupted while launching the job on " + api.baseUrl(), ex);
        }
    }

    /** The endpoint that trains: {@code endpoint} from models.yaml with {@code base} as the model, or {@code base} resolved. */
    private Endpoint endpoint(HostedSpec s) {
        if (s.base() == null && s.endpoint() == null) {
            throw new JobException("--base MODEL is required: the hosted model to fine-tune (such as gpt-4.1-mini-2025-04-14)");
        }
        Endpoint e;
        try {
            ModelCatalog c = catalog.get();
            e = s.endpoint() != null ? c.resolve(s.endpoint()) : c.resolve(s.base());
        } catch (LlmException ex) {
            throw new JobException(ex.getMessage(), ex);
        }
        if (s.endpoint() != null && s.base() != null) e = e.withModel(s.base());
        if (!"openai".equals(e.provider()) || e.baseUrl() == null) {
            throw new JobException("model '" + e.name() + "' runs in this JVM, not on a fine-tuning service: use --backend local,"
                    + " or name an OpenAI-compatible endpoint (OPENAI_BASE_URL, or models.yaml with --endpoint NAME)");
        }
        if (e.model() == null) throw new JobException("no base model: use --base MODEL");
        return e;
    }

    /** Best effort after a failed launch: nothing should stay behind on the service (a job, uploaded files). */
    private static void undo(FineTuningApi api, List<String> files, String remoteId) {
        boolean interrupted = Thread.interrupted();
        try {
            if (remoteId != null) api.cancel(remoteId);
            for (String f : files) api.deleteFile(f);
        } catch (HostedApiException | InterruptedException ignored) {
            // The launch's own error says more than a failed clean-up.
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    private FineTuningApi api(String baseUrl, String keyEnv) {
        try {
            return new FineTuningApi(baseUrl, env.apply(keyEnv), keyEnv, retry, REQUEST_TIMEOUT);
        } catch (HostedApiException e) {
            throw new JobException(e.getMessage(), e);
        }
    }

    private EventPoller follow(String id, FineTuningApi api, HostedJob h, Path dir) throws IOException {
        EventPoller p = new EventPoller(api, h, dir, pollEvery);
        EventPoller old = pollers.put(id, p);
        if (old != null) stopQuietly(old);
        return p.start();
    }

    /** True until the job's final line is written; a job this JVM does not follow yet (a restart) is followed again. */
    @Override
    public boolean alive(JobRecord record) {
        EventPoller p = poller(record.id());
        return p != null && !p.finished();
    }

    private EventPoller poller(String id) {
        EventPoller p = pollers.get(id);
        if (p != null) return p;
        synchronized (this) {
            p = pollers.get(id);
            if (p != null) return p;
            Path dir = registry.dir(id);
            try {
                HostedJob h = HostedJob.read(dir);
                if (h == null) return null;
                p = new EventPoller(api(h.baseUrl(), h.keyEnv()), h, dir, pollEvery);
            } catch (IOException e) {
                throw new JobException("cannot read " + dir.resolve(HostedJob.FILE) + ": " + e.getMessage(), e);
            }
            pollers.put(id, p);
            return p.start();
        }
    }

    /** Cancels the remote job and waits up to 5 s for the service to report it {@code cancelled}. */
    @Override
    public void cancel(JobRecord record) {
        Path dir = registry.dir(record.id());
        HostedJob h;
        try {
            h = HostedJob.read(dir);
        } catch (IOException e) {
            throw new JobException("cannot read " + dir.resolve(HostedJob.FILE) + ": " + e.getMessage(), e);
        }
        if (h == null) return;
        FineTuningApi api = api(h.baseUrl(), h.keyEnv());
        try {
            RemoteJob j;
            try {
                j = api.cancel(h.fineTuningJobId());
            } catch (HostedApiException e) {
                // Already ended (the service refuses to cancel a finished job): the poller records how it ended.
                j = api.job(h.fineTuningJobId());
                if (!j.isFinal()) throw e;
            }
            long deadline = System.nanoTime() + CANCEL_WAIT.toNanos();
            while (!j.isFinal() && System.nanoTime() < deadline) {
                Thread.sleep(250);
                j = api.job(h.fineTuningJobId());
            }
            if (!j.isFinal()) {
                throw new JobException("asked " + api.baseUrl() + " to cancel job " + h.fineTuningJobId() + ", but it is still "
                        + j.status() + " after " + CANCEL_WAIT.toSeconds() + " s");
            }
        } catch (HostedApiException e) {
            throw new JobException("cannot cancel job " + h.fineTuningJobId() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JobException("interrupted while cancelling job " + h.fineTuningJobId(), e);
        } finally {
            EventPoller p = poller(record.id());
            if (p != null) p.wake();
        }
    }

    /** Stops following every job (the jobs go on remotely; a later {@link #alive} follows them again). */
    @Override
    public void close() {
        for (String id : List.copyOf(pollers.keySet())) {
            EventPoller p = pollers.remove(id);
            if (p != null) stopQuietly(p);
        }
    }

    private static void stopQuietly(EventPoller p) {
        try {
            p.stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
