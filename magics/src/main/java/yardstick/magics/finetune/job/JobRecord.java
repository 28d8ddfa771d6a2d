package yardstick.magics.finetune.job;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * What the registry knows of a job beyond its spec: which backend runs it and its handle there (a process id and its
 * start time, or a Slurm job id), the tracker's run id, its state, why it ended, whether a cancel was asked for, and
 * the GPUs it holds. Immutable; {@code job.json} in the job's folder holds the latest.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record JobRecord(String id, String backend, long pid, long pidStart, String slurmId, String runId,
        JobState state, String reason, boolean cancelRequested, long created, long ended, int attempt, List<Integer> gpus) {

    public JobRecord {
        gpus = gpus == null ? List.of() : List.copyOf(gpus);
    }

    /** A new job in {@code state} (RUNNING, or QUEUED until its GPUs are free). */
    public static JobRecord created(String id, String backend, JobState state) {
        return new JobRecord(id, backend, 0, 0, null, null, state, null, false, System.currentTimeMillis(), 0, 1, List.of());
    }

    /** Started on these GPUs (physical indices; empty: none). */
    public JobRecord running(List<Integer> v) {
        return new JobRecord(id, backend, pid, pidStart, slurmId, runId, JobState.RUNNING, reason, cancelRequested, created,
                ended, attempt, v);
    }

    public JobRecord withProcess(long pid, long pidStart) {
        return new JobRecord(id, backend, pid, pidStart, slurmId, runId, state, reason, cancelRequested, created, ended, attempt, gpus);
    }

    public JobRecord withSlurmId(String v) {
        return new JobRecord(id, backend, pid, pidStart, v, runId, state, reason, cancelRequested, created, ended, attempt, gpus);
    }

    public JobRecord withRunId(String v) {
        return new JobRecord(id, backend, pid, pidStart, slurmId, v, state, reason, cancelRequested, created, ended, attempt, gpus);
    }

    public JobRecord withCancelRequested() {
        return new JobRecord(id, backend, pid, pidStart, slurmId, runId, state, reason, true, created, ended, attempt, gpus);
    }

    public JobRecord ended(JobState s, String why) {
        return new JobRecord(id, backend, pid, pidStart, slurmId, runId, s, why, cancelRequested, created,
                System.currentTimeMillis(), attempt, gpus);
    }

    /** Running again (a resume): a new attempt, no end, no cancel. */
    public JobRecord restarted() {
        return new JobRecord(id, backend, 0, 0, null, runId, JobState.RUNNING, null, false, created, 0, attempt + 1, gpus);
    }
}
