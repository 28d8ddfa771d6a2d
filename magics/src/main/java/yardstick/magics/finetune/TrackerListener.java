package yardstick.magics.finetune;

import java.nio.file.Files;
import java.nio.file.Path;
import org.mlflow.api.proto.Service.RunStatus;
import org.mlflow.tracking.MlflowClient;
import yardstick.magics.finetune.job.JobListener;
import yardstick.magics.finetune.job.JobRecord;
import yardstick.magics.finetune.job.Progress;
import yardstick.magics.track.TrackedRun;
import yardstick.tracker.client.ArtifactClient;

/**
 * Sends a job's progress to its run: loss and throughput per step, the trainer's own metrics, and at the end the
 * model, the progress file and the log as artifacts and the run's final status. A command job's trainer logs its own
 * metrics, so for it only the end is sent ({@code relay} false). Tracking must never stop a job, so errors are printed
 * once and the job goes on.
 */
abstract class TrackerListener implements JobListener {
    private final Path dir;
    private final boolean relay;
    private boolean warned;

    TrackerListener(Path dir, boolean relay) {
        this.dir = dir;
        this.relay = relay;
    }

    abstract void log(String key, double value, long step);

    abstract void artifact(Path file);

    abstract void end(String status);

    @Override
    public void step(Progress p) {
        if (!relay) return;
        guard(() -> {
            if (!Double.isNaN(p.loss())) log("loss", p.loss(), p.step());
            log("throughput", p.throughput(), p.step());
        });
    }

    @Override
    public void metric(String key, double value, long step) {
        if (relay) guard(() -> log(key, value, step));
    }

    @Override
    public void ended(JobRecord r, Progress last, Path result, String logTail) {
        guard(() -> {
            if (result != null && Files.isRegularFile(result)) artifact(result);
            for (String f : new String[] {"progress.jsonl", "log.txt", "spec.json"}) {
                if (Files.isRegularFile(dir.resolve(f))) artifact(dir.resolve(f));
            }
            end(r.state().name());
        });
    }

    private void guard(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            if (!warned) System.err.println("Yardstick: fine-tune tracking failed, the job goes on: " + e.getMessage());
            warned = true;
        }
    }

    /** Through a run this JVM opened. */
    static TrackerListener of(TrackedRun run, Path dir, boolean relay) {
        return new TrackerListener(dir, relay) {
            @Override
            void log(String key, double value, long step) {
                run.metric(key, value, step);
            }

            @Override
            void artifact(Path file) {
                run.artifact(file);
            }

            @Override
            void end(String status) {
                run.end(status);
            }
        };
    }

    /** Through the tracker's client, for a job re-attached after a restart (its run was opened by an earlier kernel). */
    static TrackerListener of(MlflowClient client, ArtifactClient artifacts, String runId, Path dir, boolean relay) {
        return new TrackerListener(dir, relay) {
            @Override
            void log(String key, double value, long step) {
                client.logMetric(runId, key, value, System.currentTimeMillis(), step);
            }

            @Override
            void artifact(Path file) {
                try {
                    artifacts.upload(artifacts.artifactUri(runId), file, null);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }

            @Override
            void end(String status) {
                client.setTerminated(runId, RunStatus.valueOf(status), System.currentTimeMillis());
            }
        };
    }
}
