package yardstick.magics.track;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.mlflow.api.proto.Service;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.MlflowClientException;
import org.mlflow.tracking.MlflowHttpException;
import yardstick.tracker.client.ArtifactClient;
import yardstick.tracker.client.ArtifactClientException;

/** The logger's calls made through the unmodified MLflow Java client, and artifacts through the artifact proxy. */
final class MlflowBackend implements TrackerBackend {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final MlflowClient client;
    private final ArtifactClient artifacts;
    private final Map<String, String> experiments = new ConcurrentHashMap<>();

    MlflowBackend(MlflowClient client, ArtifactClient artifacts) {
        this.client = client;
        this.artifacts = artifacts;
    }

    @Override
    public Created createRun(String experimentName, String runName, long startTime, Map<String, String> tags)
            throws Unreachable {
        String experimentId = call(() -> experimentId(experimentName));
        Service.CreateRun.Builder b = Service.CreateRun.newBuilder().setExperimentId(experimentId).setStartTime(startTime);
        if (runName != null) b.setRunName(runName);
        String user = tags.get("mlflow.user");
        if (user != null) b.setUserId(user);
        tags.forEach((k, v) -> b.addTags(Service.RunTag.newBuilder().setKey(k).setValue(v)));
        Service.RunInfo info = call(() -> client.createRun(b.build()));
        return new Created(info.getRunId(), info.getArtifactUri());
    }

    /** The experiment's id, created when it does not exist (another kernel may create it at the same moment). */
    String experimentId(String name) {
        return experiments.computeIfAbsent(name, n -> {
            Optional<Service.Experiment> e = find(n);
            if (e.isPresent()) return e.get().getExperimentId();
            try {
                return client.createExperiment(n);
            } catch (MlflowHttpException raced) {
                if (raced.getStatusCode() >= 500) throw raced;
                return find(n).orElseThrow(() -> raced).getExperimentId();
            }
        });
    }

    /**
     * Looks an experiment up by a search, not get-by-name: the MLflow Java client retries a 404 as if it were a rate
     * limit, so asking for a new experiment by name costs seconds of back-off and logs warnings into the cell.
     */
    private Optional<Service.Experiment> find(String name) {
        if (name.contains("'")) return client.getExperimentByName(name);
        return client.searchExperiments("name = '" + name + "'").getItems().stream()
                .filter(x -> x.getName().equals(name)).findFirst();
    }

    @Override
    public void logBatch(String runId, List<LogOp.Metric> metrics, List<LogOp.Param> params, List<LogOp.Tag> tags)
            throws Unreachable {
        call(() -> {
            client.logBatch(runId,
                    metrics.stream().map(m -> Service.Metric.newBuilder().setKey(m.key()).setValue(m.value())
                            .setStep(m.step()).setTimestamp(m.timestamp()).build()).toList(),
                    params.stream().map(p -> Service.Param.newBuilder().setKey(p.key()).setValue(p.value()).build()).toList(),
                    tags.stream().map(t -> Service.RunTag.newBuilder().setKey(t.key()).setValue(t.value()).build()).toList());
            return null;
        });
    }

    @Override
    public void logInput(String runId, LogOp.Input in) throws Unreachable {
        // The Java client has no log-inputs method; its generic POST sends MLflow's request as is.
        ObjectNode body = JSON.createObjectNode().put("run_id", runId);
        ObjectNode entry = body.putArray("datasets").addObject();
        if (in.context() != null) {
            entry.putArray("tags").addObject().put("key", "mlflow.data.context").put("value", in.context());
        }
        ObjectNode ds = entry.putObject("dataset").put("name", in.name()).put("digest", in.digest())
                .put("source_type", in.sourceType()).put("source", in.source());
        if (in.schema() != null) ds.put("schema", in.schema());
        if (in.profile() != null) ds.put("profile", in.profile());
        call(() -> client.sendPost("runs/log-inputs", body.toString()));
    }

    @Override
    public void uploadArtifact(String runId, String artifactUri, Path file, String path) throws Unreachable, IOException {
        try {
            artifacts.upload(artifactUri, file, path);
        } catch (ArtifactClientException e) {
            if (e.status() >= 500 || e.status() == 429) throw new Unreachable(e.getMessage(), e);
            throw e;
        } catch (java.io.FileNotFoundException | java.nio.file.NoSuchFileException e) {
            throw e;
        } catch (IOException e) {
            // Refused, reset or timed out: the tracker is away, not refusing the file.
            throw new Unreachable(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(), e);
        }
    }

    @Override
    public void endRun(String runId, String status, long endTime) throws Unreachable {
        call(() -> {
            client.setTerminated(runId, Service.RunStatus.valueOf(status), endTime);
            return null;
        });
    }

    @Override
    public String artifactUri(String runId) throws Unreachable {
        return call(() -> client.getRun(runId).getInfo().getArtifactUri());
    }

    private interface Call<T> {
        T run();
    }

    /** 5xx, 429 and transport failures mean "later"; other HTTP errors are the tracker refusing the data. */
    private static <T> T call(Call<T> c) throws Unreachable {
        try {
            return c.run();
        } catch (MlflowHttpException e) {
            if (e.getStatusCode() >= 500 || e.getStatusCode() == 429) throw new Unreachable(message(e), e);
            throw new IllegalArgumentException(message(e), e);
        } catch (MlflowClientException e) {
            throw new Unreachable(message(e), e);
        }
    }

    static String message(MlflowClientException e) {
        if (e instanceof MlflowHttpException h) {
            String body = h.getBodyMessage();
            return h.getStatusCode() + " " + (body == null || body.isBlank() ? h.getReasonPhrase() : body);
        }
        Throwable root = e;
        while (root.getCause() != null) root = root.getCause();
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
