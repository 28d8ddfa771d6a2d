package yardstick.tracker.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import yardstick.tracker.artifacts.ArtifactRepository;
import yardstick.tracker.artifacts.ArtifactUris;
import yardstick.tracker.model.Dataset;
import yardstick.tracker.model.DatasetInput;
import yardstick.tracker.model.Experiment;
import yardstick.tracker.model.Metric;
import yardstick.tracker.model.Page;
import yardstick.tracker.model.Param;
import yardstick.tracker.model.Run;
import yardstick.tracker.model.RunStatus;
import yardstick.tracker.model.Tag;
import yardstick.tracker.model.ViewType;
import yardstick.tracker.store.TrackerStore;

/** MLflow's REST API 2.0 tracking endpoints, each a function from request fields to a JSON response. */
final class RestApi {
    private static final int DEFAULT_SEARCH_RESULTS = 1000;
    /** The endpoints that only read; every other one changes state. */
    private static final Set<String> READ_ONLY = Set.of("experiments/get", "experiments/get-by-name", "experiments/search",
            "runs/get", "runs/search", "metrics/get-history", "artifacts/list");

    private final TrackerStore store;
    private final ArtifactRepository artifacts;

    /**
     * Binds the tracking endpoints into {@code routes}: what changes state takes POST only, as in MLflow 2.x; what
     * reads takes GET, and also POST where MLflow binds POST ({@code experiments/search}, {@code runs/search}).
     */
    RestApi(TrackerStore store, ArtifactRepository artifacts, Routes routes) {
        this.store = store;
        this.artifacts = artifacts;
        Map<String, Routes.Endpoint> endpoints = new HashMap<>();
        endpoints.put("experiments/create", this::createExperiment);
        endpoints.put("experiments/get", r -> wrap("experiment", JsonCodec.experiment(store.getExperiment(r.requiredString("experiment_id")))));
        endpoints.put("experiments/get-by-name", r -> wrap("experiment",
                JsonCodec.experiment(store.getExperimentByName(r.requiredString("experiment_name")))));
        endpoints.put("experiments/search", this::searchExperiments);
        endpoints.put("experiments/update", r -> {
            store.renameExperiment(r.requiredString("experiment_id"), r.requiredString("new_name"));
            return JsonCodec.object();
        });
        endpoints.put("experiments/delete", r -> {
            store.deleteExperiment(r.requiredString("experiment_id"));
            return JsonCodec.object();
        });
        endpoints.put("experiments/restore", r -> {
            store.restoreExperiment(r.requiredString("experiment_id"));
            return JsonCodec.object();
        });
        endpoints.put("experiments/set-experiment-tag", r -> {
            store.setExperimentTag(r.requiredString("experiment_id"), new Tag(r.requiredString("key"), valueOrEmpty(r)));
            return JsonCodec.object();
        });
        endpoints.put("runs/create", this::createRun);
        endpoints.put("runs/get", r -> wrap("run", JsonCodec.run(store.getRun(r.runId()))));
        endpoints.put("runs/update", this::updateRun);
        endpoints.put("runs/delete", r -> {
            store.deleteRun(r.runId());
            return JsonCodec.object();
        });
        endpoints.put("runs/restore", r -> {
            store.restoreRun(r.runId());
            return JsonCodec.object();
        });
        endpoints.put("runs/log-metric", r -> {
            store.logBatch(r.runId(), List.of(metric(r)), List.of(), List.of());
            return JsonCodec.object();
        });
        endpoints.put("runs/log-parameter", r -> {
            store.logBatch(r.runId(), List.of(), List.of(new Param(r.requiredString("key"), r.string("value") == null
                    ? "" : r.string("value"))), List.of());
            return JsonCodec.object();
        });
        endpoints.put("runs/set-tag", r -> {
            store.logBatch(r.runId(), List.of(), List.of(), List.of(new Tag(r.requiredString("key"), valueOrEmpty(r))));
            return JsonCodec.object();
        });
        endpoints.put("runs/delete-tag", r -> {
            store.deleteTag(r.runId(), r.requiredString("key"));
            return JsonCodec.object();
        });
        endpoints.put("runs/log-batch", this::logBatch);
        endpoints.put("runs/log-inputs", this::logInputs);
        endpoints.put("runs/search", this::searchRuns);
        endpoints.put("metrics/get-history", this::metricHistory);
        endpoints.put("artifacts/list", this::listRunArtifacts);
        endpoints.forEach((path, endpoint) -> {
            if (READ_ONLY.contains(path)) {
                routes.read(path, endpoint, path.endsWith("/search") ? new String[] {"POST"} : new String[0]);
            } else {
                routes.on("POST", path, endpoint);
            }
        });
    }

    private static ObjectNode wrap(String name, ObjectNode value) {
        ObjectNode n = JsonCodec.object();
        n.set(name, value);
        return n;
    }

    private static String valueOrEmpty(Request r) {
        String v = r.string("value");
        return v == null ? "" : v;
    }

    private ObjectNode createExperiment(Request r) {
        Experiment e = store.createExperiment(r.requiredString("name"), r.string("artifact_location"), tags(r.objects("tags")));
        return JsonCodec.object().put("experiment_id", e.experimentId());
    }

    private ObjectNode searchExperiments(Request r) {
        Integer max = r.int32("max_results");
        Page<Experiment> page = store.searchExperiments(ViewType.parse(r.string("view_type")), r.string("filter"),
                r.stringList("order_by"), max == null ? DEFAULT_SEARCH_RESULTS : max, r.string("page_token"));
        ObjectNode out = JsonCodec.object();
        ArrayNode list = out.putArray("experiments");
        for (Experiment e : page.items()) {
            list.add(JsonCodec.experiment(e));
        }
        if (page.nextPageToken() != null) {
            out.put("next_page_token", page.nextPageToken());
        }
        return out;
    }

    private ObjectNode createRun(Request r) {
        String experimentId = r.string("experiment_id");
        Long start = r.int64("start_time");
        Run run = store.createRun(experimentId == null || experimentId.isEmpty() ? "0" : experimentId, r.string("user_id"),
                start == null ? System.currentTimeMillis() : start, r.string("run_name"), tags(r.objects("tags")));
        return wrap("run", JsonCodec.run(run));
    }

    private ObjectNode updateRun(Request r) {
        String status = r.string("status");
        var info = store.updateRun(r.runId(), status == null ? null : RunStatus.parse(status), r.int64("end_time"),
                r.string("run_name"));
        return wrap("run_info", JsonCodec.runInfo(info));
    }

    private ObjectNode logBatch(Request r) {
        String runId = r.runId();
        List<Request> metricFields = r.objects("metrics");
        List<Request> paramFields = r.objects("params");
        List<Request> tagFields = r.objects("tags");
        // Sizes are checked before the entries are read, so an oversized batch is refused cheaply.
        yardstick.tracker.store.Validation.batch(
                java.util.Collections.nCopies(metricFields.size(), new Metric("m", 0, 0, 0)),
                java.util.Collections.nCopies(paramFields.size(), new Param("p", "")),
                java.util.Collections.nCopies(tagFields.size(), new Tag("t", "")));
        List<Metric> metrics = new ArrayList<>(metricFields.size());
        for (Request m : metricFields) {
            metrics.add(metric(m));
        }
        List<Param> params = new ArrayList<>(paramFields.size());
        for (Request p : paramFields) {
            params.add(new Param(p.requiredString("key"), p.string("value") == null ? "" : p.string("value")));
        }
        store.logBatch(runId, metrics, params, tags(tagFields));
        return JsonCodec.object();
    }

    private static Metric metric(Request m) {
        Long step = m.int64("step");
        return new Metric(m.requiredString("key"), m.requiredDouble("value"), m.requiredInt64("timestamp"),
                step == null ? 0 : step);
    }

    private static List<Tag> tags(List<Request> fields) {
        List<Tag> tags = new ArrayList<>(fields.size());
        for (Request t : fields) {
            tags.add(new Tag(t.requiredString("key"), t.string("value") == null ? "" : t.string("value")));
        }
        return tags;
    }

    private ObjectNode logInputs(Request r) {
        String runId = r.runId();
        List<DatasetInput> inputs = new ArrayList<>();
        for (Request d : r.objects("datasets")) {
            Request ds = d.object("dataset");
            if (ds == null) {
                throw Request.missing("dataset");
            }
            inputs.add(new DatasetInput(tags(d.objects("tags")), new Dataset(ds.requiredString("name"),
                    ds.requiredString("digest"), ds.requiredString("source_type"), ds.requiredString("source"),
                    ds.string("schema"), ds.string("profile"))));
        }
        store.logInputs(runId, inputs);
        return JsonCodec.object();
    }

    private ObjectNode searchRuns(Request r) {
        Integer max = r.int32("max_results");
        Page<Run> page = store.searchRuns(r.stringList("experiment_ids"), r.string("filter"),
                ViewType.parse(r.string("run_view_type")), max == null ? DEFAULT_SEARCH_RESULTS : max,
                r.stringList("order_by"), r.string("page_token"));
        ObjectNode out = JsonCodec.object();
        ArrayNode runs = out.putArray("runs");
        for (Run run : page.items()) {
            runs.add(JsonCodec.run(run));
        }
        if (page.nextPageToken() != null) {
            out.put("next_page_token", page.nextPageToken());
        }
        return out;
    }

    private ObjectNode metricHistory(Request r) {
        Integer maxResults = r.int32("max_results");
        if (isJavaClientHistoryCall(r, maxResults)) {
            maxResults = null;
        }
        Page<Metric> page = store.getMetricHistory(r.runId(), r.requiredString("metric_key"), maxResults,
                r.string("page_token"));
        ObjectNode out = JsonCodec.object();
        ArrayNode list = out.putArray("metrics");
        for (Metric m : page.items()) {
            list.add(JsonCodec.metric(m));
        }
        if (page.nextPageToken() != null) {
            out.put("next_page_token", page.nextPageToken());
        }
        return out;
    }

    /**
     * MLflow's Java client (2.x) asks for pages of 25000 but cannot follow a next_page_token: it appends the
     * second page to the first page's unmodifiable list and throws. MLflow's own 2.x server never pages this
     * endpoint, so for exactly that call the whole history is returned in one answer; every other caller pages.
     */
    private static boolean isJavaClientHistoryCall(Request r, Integer maxResults) {
        return r.userAgent().startsWith("mlflow-java-client") && maxResults != null && maxResults == 25_000
                && (r.string("page_token") == null || r.string("page_token").isEmpty());
    }

    private ObjectNode listRunArtifacts(Request r) {
        Run run = store.getRun(r.runId());
        String root = run.info().artifactUri();
        String runPath = ArtifactUris.repositoryPath(root);
        String sub = r.string("path");
        String dir = sub == null || sub.isEmpty() ? runPath : runPath + "/" + ArtifactRepository.checkRelative(sub);
        ObjectNode out = JsonCodec.object().put("root_uri", root);
        ArrayNode files = out.putArray("files");
        for (var f : artifacts.list(dir)) {
            ObjectNode n = files.addObject();
            n.put("path", sub == null || sub.isEmpty() ? f.name() : sub + "/" + f.name());
            n.put("is_dir", f.directory());
            if (!f.directory()) {
                n.put("file_size", f.size());
            }
        }
        return out;
    }
}
