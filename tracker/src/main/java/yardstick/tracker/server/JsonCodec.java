package yardstick.tracker.server;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import yardstick.tracker.model.DatasetInput;
import yardstick.tracker.model.Experiment;
import yardstick.tracker.model.Metric;
import yardstick.tracker.model.ModelAlias;
import yardstick.tracker.model.ModelVersion;
import yardstick.tracker.model.Param;
import yardstick.tracker.model.RegisteredModel;
import yardstick.tracker.model.Run;
import yardstick.tracker.model.RunInfo;
import yardstick.tracker.model.Tag;

/** Writes model values as MLflow's protobuf JSON: snake_case names, NaN and infinities as strings. */
public final class JsonCodec {
    /** Accepts Python's bare NaN and Infinity tokens too, since MLflow's Python client may send them. */
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    private JsonCodec() {}

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    public static ObjectNode experiment(Experiment e) {
        ObjectNode n = object();
        n.put("experiment_id", e.experimentId());
        n.put("name", e.name());
        n.put("artifact_location", e.artifactLocation());
        n.put("lifecycle_stage", e.lifecycleStage().word());
        n.put("last_update_time", e.lastUpdateTime());
        n.put("creation_time", e.creationTime());
        tags(n.putArray("tags"), e.tags());
        return n;
    }

    public static ObjectNode runInfo(RunInfo i) {
        ObjectNode n = object();
        n.put("run_id", i.runId());
        n.put("run_uuid", i.runId());
        n.put("run_name", i.runName());
        n.put("experiment_id", i.experimentId());
        n.put("user_id", i.userId());
        n.put("status", i.status().name());
        n.put("start_time", i.startTime());
        if (i.endTime() != null) {
            n.put("end_time", i.endTime());
        }
        n.put("artifact_uri", i.artifactUri());
        n.put("lifecycle_stage", i.lifecycleStage().word());
        return n;
    }

    public static ObjectNode run(Run r) {
        ObjectNode n = object();
        n.set("info", runInfo(r.info()));
        ObjectNode data = n.putObject("data");
        ArrayNode metrics = data.putArray("metrics");
        for (Metric m : r.latestMetrics()) {
            metrics.add(metric(m));
        }
        ArrayNode params = data.putArray("params");
        for (Param p : r.params()) {
            params.addObject().put("key", p.key()).put("value", p.value());
        }
        tags(data.putArray("tags"), r.tags());
        ArrayNode inputs = n.putObject("inputs").putArray("dataset_inputs");
        for (DatasetInput in : r.inputs()) {
            ObjectNode di = inputs.addObject();
            tags(di.putArray("tags"), in.tags());
            ObjectNode d = di.putObject("dataset");
            d.put("name", in.dataset().name());
            d.put("digest", in.dataset().digest());
            d.put("source_type", in.dataset().sourceType());
            d.put("source", in.dataset().source());
            if (in.dataset().schema() != null) {
                d.put("schema", in.dataset().schema());
            }
            if (in.dataset().profile() != null) {
                d.put("profile", in.dataset().profile());
            }
        }
        return n;
    }

    public static ObjectNode metric(Metric m) {
        ObjectNode n = object();
        n.put("key", m.key());
        double v = m.value();
        if (Double.isNaN(v)) {
            n.put("value", "NaN");
        } else if (Double.isInfinite(v)) {
            n.put("value", v > 0 ? "Infinity" : "-Infinity");
        } else {
            n.put("value", v);
        }
        n.put("timestamp", m.timestamp());
        n.put("step", m.step());
        return n;
    }

    /** A registered model as MLflow's {@code RegisteredModel} message; a null description is left out. */
    public static ObjectNode registeredModel(RegisteredModel m) {
        ObjectNode n = object();
        n.put("name", m.name());
        n.put("creation_timestamp", m.creationTimestamp());
        n.put("last_updated_timestamp", m.lastUpdatedTimestamp());
        if (m.description() != null) {
            n.put("description", m.description());
        }
        ArrayNode latest = n.putArray("latest_versions");
        for (ModelVersion v : m.latestVersions()) {
            latest.add(modelVersion(v));
        }
        tags(n.putArray("tags"), m.tags());
        ArrayNode aliases = n.putArray("aliases");
        for (ModelAlias a : m.aliases()) {
            aliases.addObject().put("alias", a.alias()).put("version", Integer.toString(a.version()));
        }
        return n;
    }

    /** A model version as MLflow's {@code ModelVersion} message: the version number is a string there. */
    public static ObjectNode modelVersion(ModelVersion v) {
        ObjectNode n = object();
        n.put("name", v.name());
        n.put("version", Integer.toString(v.version()));
        n.put("creation_timestamp", v.creationTimestamp());
        n.put("last_updated_timestamp", v.lastUpdatedTimestamp());
        if (v.description() != null) {
            n.put("description", v.description());
        }
        n.put("current_stage", v.currentStage());
        n.put("source", v.source());
        if (v.runId() != null) {
            n.put("run_id", v.runId());
        }
        if (v.runLink() != null) {
            n.put("run_link", v.runLink());
        }
        n.put("status", v.status());
        tags(n.putArray("tags"), v.tags());
        ArrayNode aliases = n.putArray("aliases");
        v.aliases().forEach(aliases::add);
        return n;
    }

    private static void tags(ArrayNode array, List<Tag> tags) {
        for (Tag t : tags) {
            array.addObject().put("key", t.key()).put("value", t.value());
        }
    }
}
