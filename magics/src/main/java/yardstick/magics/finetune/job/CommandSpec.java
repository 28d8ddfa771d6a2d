package yardstick.magics.finetune.job;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import java.util.Map;

/**
 * A job that runs any trainer's command line (a PyTorch script, {@code torchrun}, a Hugging Face or torchtune recipe)
 * instead of Yardstick's own DJL tasks. The command runs in {@code workdir} through {@code bash -c}, with {@code env}
 * added to the environment MLflow's contract sets ({@code MLFLOW_TRACKING_URI}, {@code MLFLOW_EXPERIMENT_ID},
 * {@code MLFLOW_RUN_ID}), so the trainer's own MLflow logging lands in the job's run. {@code data} are the files it
 * reads, digested into the run's inputs; {@code progressMetric} is the metric the progress bar follows;
 * {@code modelArtifact} is the artifact path a registered version points at (null: the run's first weights file).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CommandSpec(String line, String workdir, Map<String, String> env, List<String> data,
        String progressMetric, int nodes, int tasksPerNode, String modelArtifact) {

    public static final String DEFAULT_PROGRESS_METRIC = "loss";

    public CommandSpec {
        env = env == null ? Map.of() : Map.copyOf(env);
        data = data == null ? List.of() : List.copyOf(data);
        if (progressMetric == null || progressMetric.isBlank()) progressMetric = DEFAULT_PROGRESS_METRIC;
        if (nodes < 1) nodes = 1;
        if (tasksPerNode < 1) tasksPerNode = 1;
    }

    public static CommandSpec of(String line, String workdir) {
        return new CommandSpec(line, workdir, Map.of(), List.of(), DEFAULT_PROGRESS_METRIC, 1, 1, null);
    }

    public CommandSpec withEnv(Map<String, String> v) {
        return new CommandSpec(line, workdir, v, data, progressMetric, nodes, tasksPerNode, modelArtifact);
    }

    public CommandSpec withData(List<String> v) {
        return new CommandSpec(line, workdir, env, v, progressMetric, nodes, tasksPerNode, modelArtifact);
    }

    public CommandSpec withProgressMetric(String v) {
        return new CommandSpec(line, workdir, env, data, v, nodes, tasksPerNode, modelArtifact);
    }

    public CommandSpec withNodes(int nodes, int tasksPerNode) {
        return new CommandSpec(line, workdir, env, data, progressMetric, nodes, tasksPerNode, modelArtifact);
    }

    public CommandSpec withModelArtifact(String v) {
        return new CommandSpec(line, workdir, env, data, progressMetric, nodes, tasksPerNode, v);
    }

    public CommandSpec withWorkdir(String v) {
        return new CommandSpec(line, v, env, data, progressMetric, nodes, tasksPerNode, modelArtifact);
    }
}
