package yardstick.tracker.store;

import java.util.List;
import yardstick.tracker.model.DatasetInput;
import yardstick.tracker.model.Experiment;
import yardstick.tracker.model.Metric;
import yardstick.tracker.model.MetricSeries;
import yardstick.tracker.model.Page;
import yardstick.tracker.model.Param;
import yardstick.tracker.model.Run;
import yardstick.tracker.model.RunInfo;
import yardstick.tracker.model.RunStatus;
import yardstick.tracker.model.Tag;
import yardstick.tracker.model.ViewType;

/**
 * The tracking store: experiments, runs and what runs log, with MLflow's semantics. Every method is
 * atomic: it either applies entirely or throws {@link yardstick.tracker.model.MlflowException} and
 * changes nothing.
 */
public interface TrackerStore extends AutoCloseable {
    Experiment createExperiment(String name, String artifactLocation, List<Tag> tags);

    Experiment getExperiment(String experimentId);

    Experiment getExperimentByName(String name);

    Page<Experiment> searchExperiments(ViewType viewType, String filter, List<String> orderBy, int maxResults, String pageToken);

    void renameExperiment(String experimentId, String newName);

    void deleteExperiment(String experimentId);

    void restoreExperiment(String experimentId);

    void setExperimentTag(String experimentId, Tag tag);

    Run createRun(String experimentId, String userId, long startTime, String runName, List<Tag> tags);

    Run getRun(String runId);

    RunInfo updateRun(String runId, RunStatus status, Long endTime, String runName);

    void deleteRun(String runId);

    void restoreRun(String runId);

    /** Logs metrics, params and tags together, all or nothing. */
    void logBatch(String runId, List<Metric> metrics, List<Param> params, List<Tag> tags);

    void deleteTag(String runId, String key);

    void logInputs(String runId, List<DatasetInput> inputs);

    /** A metric's points in the order they were logged; a null {@code maxResults} returns them all. */
    Page<Metric> getMetricHistory(String runId, String key, Integer maxResults, String pageToken);

    /** A metric's finite points ordered by step then timestamp, as a chart draws them. */
    MetricSeries getMetricSeries(String runId, String key);

    Page<Run> searchRuns(List<String> experimentIds, String filter, ViewType viewType, int maxResults,
            List<String> orderBy, String pageToken);

    /** MLflow's Model Registry, kept in the same database. */
    ModelRegistry modelRegistry();

    /** Review sessions (people rating and voting from links), kept in the same database. */
    yardstick.tracker.review.ReviewStore reviews();

    /** Where the data lives, without credentials, for logs. */
    String describe();

    @Override
    void close();
}
