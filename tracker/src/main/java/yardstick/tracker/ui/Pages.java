package yardstick.tracker.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import yardstick.tracker.artifacts.ArtifactEntry;
import yardstick.tracker.artifacts.ArtifactRepository;
import yardstick.tracker.artifacts.ArtifactUris;
import yardstick.tracker.model.DatasetInput;
import yardstick.tracker.model.Experiment;
import yardstick.tracker.model.LifecycleStage;
import yardstick.tracker.model.Metric;
import yardstick.tracker.model.MlflowException;
import yardstick.tracker.model.Page;
import yardstick.tracker.model.Param;
import yardstick.tracker.model.Run;
import yardstick.tracker.model.Tag;
import yardstick.tracker.model.ViewType;
import yardstick.tracker.server.ContentTypes;
import yardstick.tracker.store.TrackerStore;
import yardstick.tracker.ui.Views.CompareRow;
import yardstick.tracker.ui.Views.Crumb;
import yardstick.tracker.ui.Views.Entry;
import yardstick.tracker.ui.Views.PostForm;

/** Renders the history UI's pages from the store through the jte templates; every form carries its token. */
final class Pages {
    /** The tag under which Yardstick's magics record the source of the cell that produced a run. */
    static final String CELL_SOURCE_TAG = yardstick.tracker.model.Tags.CELL;
    static final int MAX_COMPARE = 10;
    private static final int RUNS_PER_PAGE = 100;

    record Response(int status, String contentType, byte[] body, Map<String, String> headers) {
        static Response html(String page) {
            return new Response(200, "text/html; charset=utf-8", page.getBytes(StandardCharsets.UTF_8), null);
        }

        /** 303 See Other: after a form post the browser loads {@code location} by GET, so a reload does not post again. */
        static Response redirect(String location) {
            return new Response(303, "text/plain; charset=utf-8", new byte[0], Map.of("Location", location));
        }
    }

    private final TrackerStore store;
    private final ArtifactRepository artifacts;
    private final ModelPages models;
    private final FormTokens tokens;
    private final MetricData metricData;
    private final SearchPage search;

    Pages(TrackerStore store, ArtifactRepository artifacts, FormTokens tokens) {
        this.store = store;
        this.artifacts = artifacts;
        this.models = new ModelPages(store.modelRegistry());
        this.tokens = tokens;
        this.metricData = new MetricData(store);
        this.search = new SearchPage(store);
    }

    /** Performs a form's action, its token already checked; answers with where to go next. */
    Response act(String path, ObjectNode fields) {
        String[] parts = path.replaceAll("^/+", "").split("/");
        if (parts.length != 3) {
            throw MlflowException.notFound("No form posts to " + path);
        }
        String id = parts[1];
        String action = parts[2];
        if (parts[0].equals("runs")) {
            String back = "/runs/" + Format.url(id);
            switch (action) {
                case "delete" -> store.deleteRun(id);
                case "restore" -> store.restoreRun(id);
                case "rename" -> store.updateRun(id, null, null, required(fields, "name"));
                case "tag" -> store.logBatch(id, List.of(), List.of(), List.of(new Tag(required(fields, "key"), value(fields))));
                case "delete-tag" -> store.deleteTag(id, required(fields, "key"));
                default -> throw MlflowException.notFound("No form posts to " + path);
            }
            return Response.redirect(back);
        }
        if (parts[0].equals("experiments")) {
            String back = "/experiments/" + Format.url(id);
            switch (action) {
                case "delete" -> store.deleteExperiment(id);
                case "restore" -> store.restoreExperiment(id);
                case "rename" -> store.renameExperiment(id, required(fields, "name"));
                case "tag" -> store.setExperimentTag(id, new Tag(required(fields, "key"), value(fields)));
                default -> throw MlflowException.notFound("No form posts to " + path);
            }
            return Response.redirect(back);
        }
        throw MlflowException.notFound("No form posts to " + path);
    }

    private static String required(ObjectNode fields, String name) {
        String v = text(fields, name);
        if (v == null || v.isBlank()) {
            throw MlflowException.invalidParameter("Fill in " + name);
        }
        return v.strip();
    }

    private static String value(ObjectNode fields) {
        String v = text(fields, "value");
        return v == null ? "" : v;
    }

    /** A form that posts to {@code action} (a decoded path) with this server's token for it. */
    private PostForm form(String id, String action, Entry... hidden) {
        return new PostForm(id, action, tokens.token(action), List.of(hidden));
    }

    Response render(String rawPath, ObjectNode query) {
        String[] parts = rawPath.replaceAll("^/+", "").split("/");
        if (rawPath.equals("/") || rawPath.isEmpty()) {
            return Response.html(experiments("deleted".equals(text(query, "view"))));
        }
        if (parts.length == 1 && parts[0].equals("search")) {
            return Response.html(search.page(text(query, "q"), text(query, "digest")));
        }
        if (parts.length == 2 && parts[0].equals("experiments")) {
            return Response.html(runs(parts[1], query));
        }
        if (parts.length == 2 && parts[0].equals("runs")) {
            return Response.html(run(parts[1], text(query, "artifact")));
        }
        if (parts.length == 3 && parts[0].equals("runs") && parts[2].equals("artifact")) {
            return Response.html(artifact(parts[1], text(query, "path")));
        }
        if (parts.length == 3 && parts[0].equals("runs") && parts[2].equals("raw")) {
            return raw(parts[1], text(query, "path"));
        }
        if (parts.length == 1 && parts[0].equals("models")) {
            return Response.html(models.models(text(query, "page_token")));
        }
        if (parts.length == 2 && parts[0].equals("models") && !parts[1].isEmpty()) {
            return Response.html(models.model(parts[1]));
        }
        if (rawPath.equals(MetricData.PATH)) {
            return metricData.get(query);
        }
        if (parts.length == 1 && parts[0].equals("reviews")) {
            return Response.html(ReviewsPage.render(store.reviews()));
        }
        if (parts.length == 1 && parts[0].equals("compare")) {
            return Response.html(compare(list(query, "run")));
        }
        throw MlflowException.notFound("No page at " + rawPath);
    }

    /** The error page. */
    static String error(String message) {
        return Templates.render("error.jte", "message", message);
    }

    // ---- experiments ----

    private String experiments(boolean deleted) {
        Page<Experiment> page = store.searchExperiments(deleted ? ViewType.DELETED_ONLY : ViewType.ACTIVE_ONLY, null,
                List.of("name ASC"), 1000, null);
        return Templates.render("experiments.jte", "experiments", page.items(), "deleted", deleted);
    }

    /** The experiment page's forms: delete or restore, rename, set tag. */
    private List<PostForm> experimentForms(Experiment e) {
        String base = "/experiments/" + e.experimentId();
        return List.of(e.lifecycleStage() == LifecycleStage.DELETED ? form("restore-experiment", base + "/restore")
                : form("delete-experiment", base + "/delete"), form("rename-experiment", base + "/rename"),
                form("tag-experiment", base + "/tag"));
    }

    // ---- runs table ----

    String runs(String experimentId, ObjectNode query) {
        Experiment experiment = store.getExperiment(experimentId);
        String filter = text(query, "filter");
        String orderBy = text(query, "order_by");
        Page<Run> page;
        try {
            page = store.searchRuns(List.of(experimentId), filter, ViewType.ACTIVE_ONLY, RUNS_PER_PAGE,
                    orderBy == null || orderBy.isBlank() ? List.of() : List.of(orderBy), text(query, "page_token"));
        } catch (MlflowException e) {
            return Templates.render("runs.jte", "t", new RunsTable(experiment, filter, orderBy, list(query, "col"),
                    list(query, "pin"), e.getMessage(), List.of(), List.of(), null), "forms", experimentForms(experiment));
        }
        return Templates.render("runs.jte", "t", new RunsTable(experiment, filter, orderBy, list(query, "col"),
                list(query, "pin"), null, page.items(), missingParents(page.items()), page.nextPageToken()),
                "forms", experimentForms(experiment));
    }

    /** The parents of shown nested runs that the page itself does not hold, so their children still sit under them. */
    private List<Run> missingParents(List<Run> runs) {
        Set<String> shown = new HashSet<>();
        runs.forEach(r -> shown.add(r.info().runId()));
        Set<String> missing = new LinkedHashSet<>();
        for (Run r : runs) {
            String parent = RunsTable.parentOf(r);
            if (parent != null && !shown.contains(parent)) {
                missing.add(parent);
            }
        }
        List<Run> out = new ArrayList<>();
        for (String id : missing) {
            try {
                out.add(store.getRun(id));
            } catch (MlflowException e) {
                // A parent that is gone: its children stay top-level.
            }
        }
        return out;
    }

    // ---- one run ----

    private List<Crumb> runCrumbs(Run r, boolean last) {
        String experimentName = experimentName(r.info().experimentId());
        return List.of(new Crumb("Experiments", "/"), new Crumb(experimentName, "/experiments/" + Format.url(r.info().experimentId())),
                new Crumb(r.info().runName(), last ? null : "/runs/" + Format.url(r.info().runId())));
    }

    private String experimentName(String experimentId) {
        try {
            return store.getExperiment(experimentId).name();
        } catch (MlflowException e) {
            return "experiment " + experimentId;
        }
    }

    private String run(String runId, String artifact) {
        Run r = store.getRun(runId);
        String base = "/runs/" + runId;
        boolean deleted = r.info().lifecycleStage() == LifecycleStage.DELETED;
        RunPage.Forms forms = new RunPage.Forms(deleted ? form("restore-run", base + "/restore") : form("delete-run", base + "/delete"),
                form("rename-run", base + "/rename"), form("tag-run", base + "/tag"));
        List<CodeHighlighter.Span> cell = null;
        List<RunPage.TagLine> tags = new ArrayList<>();
        for (Tag t : r.tags()) {
            if (t.key().equals(CELL_SOURCE_TAG)) {
                cell = CodeHighlighter.spans(t.value());
            } else {
                boolean deletable = !deleted && !t.key().startsWith("mlflow.");
                tags.add(new RunPage.TagLine(t, deletable ? form("delete-tag-" + tags.size(), base + "/delete-tag",
                        new Entry("key", t.key())) : null));
            }
        }
        List<Metric> singles = new ArrayList<>();
        List<Metric> charts = new ArrayList<>();
        for (Metric latest : r.latestMetrics()) {
            // Two points are enough to tell a history from a single value, without reading the whole history.
            boolean history = store.getMetricHistory(runId, latest.key(), 2, null).items().size() > 1;
            (history ? charts : singles).add(latest);
        }
        String artifactBase = runArtifactPath(r);
        List<RunPage.ArtifactLine> lines = new ArrayList<>();
        ArtifactPreview preview = null;
        if (artifactBase != null) {
            artifactTree(lines, artifactBase, "", 0);
            if (artifact != null && !artifact.isEmpty()) {
                String clean = ArtifactRepository.checkRelative(artifact);
                preview = ArtifactPreview.of(runId, clean, artifacts.file(artifactBase + "/" + clean), ArtifactPreview.MAX_INLINE_BYTES);
            }
        }
        return Templates.render("run.jte", "p", new RunPage(r, runCrumbs(r, true), forms, tags, cell, singles, charts,
                inputs(r), artifactBase == null, lines, preview));
    }

    /** The run's datasets, each with a few other runs (in any live experiment) that used data of the same digest. */
    private List<RunPage.Input> inputs(Run r) {
        if (r.inputs().isEmpty()) {
            return List.of();
        }
        List<String> experimentIds = store.searchExperiments(ViewType.ACTIVE_ONLY, null, List.of(), 1000, null).items()
                .stream().map(Experiment::experimentId).toList();
        List<RunPage.Input> out = new ArrayList<>();
        for (DatasetInput in : r.inputs()) {
            String digest = in.dataset().digest();
            List<Run> same = List.of();
            if (digest != null && !digest.isEmpty() && !experimentIds.isEmpty()) {
                same = store.searchRuns(experimentIds, "datasets.digest = '" + digest.replace("'", "''") + "'",
                        ViewType.ACTIVE_ONLY, 11, List.of(), null).items().stream()
                        .filter(o -> !o.info().runId().equals(r.info().runId())).limit(10).toList();
            }
            String context = in.tags().stream().filter(t -> t.key().equals("mlflow.data.context")).map(Tag::value)
                    .findFirst().orElse("");
            out.add(new RunPage.Input(in, context, same, "/search?digest=" + Format.url(digest)));
        }
        return out;
    }

    private void artifactTree(List<RunPage.ArtifactLine> out, String base, String path, int depth) {
        for (ArtifactEntry e : artifacts.list(path.isEmpty() ? base : base + "/" + path)) {
            String child = path.isEmpty() ? e.name() : path + "/" + e.name();
            out.add(new RunPage.ArtifactLine(e.name(), child, e.directory(), e.size(), depth));
            if (e.directory() && depth < 4) {
                artifactTree(out, base, child, depth + 1);
            }
        }
    }

    private static String runArtifactPath(Run r) {
        String uri = r.info().artifactUri();
        return uri != null && uri.startsWith(ArtifactUris.SCHEME) ? ArtifactUris.repositoryPath(uri) : null;
    }

    // ---- one artifact ----

    private String artifact(String runId, String path) {
        Run r = store.getRun(runId);
        if (path == null || path.isEmpty()) {
            throw MlflowException.invalidParameter("Missing value for required parameter 'path'");
        }
        String clean = ArtifactRepository.checkRelative(path);
        String base = runArtifactPath(r);
        if (base == null) {
            throw MlflowException.notFound("This run's artifacts are not stored by this tracker");
        }
        ArtifactPreview preview = ArtifactPreview.of(runId, clean, artifacts.file(base + "/" + clean), ArtifactPreview.MAX_INLINE_BYTES);
        List<Crumb> crumbs = new ArrayList<>(runCrumbs(r, false));
        crumbs.add(new Crumb(clean, null));
        return Templates.render("artifact.jte", "crumbs", crumbs, "path", clean, "preview", preview);
    }

    private Response raw(String runId, String path) {
        Run r = store.getRun(runId);
        String base = runArtifactPath(r);
        if (base == null || path == null) {
            throw MlflowException.notFound("No such artifact");
        }
        java.nio.file.Path file = artifacts.file(base + "/" + ArtifactRepository.checkRelative(path));
        try {
            return new Response(200, ContentTypes.of(file.getFileName().toString()), java.nio.file.Files.readAllBytes(file),
                    Map.of("Content-Security-Policy", "sandbox", "X-Content-Type-Options", "nosniff"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    // ---- compare ----

    private String compare(List<String> runIds) {
        List<String> ids = new ArrayList<>(new LinkedHashSet<>(runIds));
        if (ids.size() < 2 || ids.size() > MAX_COMPARE) {
            throw MlflowException.invalidParameter("Select between 2 and " + MAX_COMPARE + " runs to compare; got " + ids.size());
        }
        List<Run> runs = new ArrayList<>();
        for (String id : ids) {
            runs.add(store.getRun(id));
        }
        Set<String> metricKeys = new TreeSet<>();
        runs.forEach(r -> r.latestMetrics().forEach(m -> metricKeys.add(m.key())));
        List<Entry> charts = new ArrayList<>();
        for (String key : metricKeys) {
            charts.add(new Entry(key, String.join(" ", runs.stream()
                    .filter(r -> r.latestMetrics().stream().anyMatch(m -> m.key().equals(key))).map(r -> r.info().runId()).toList())));
        }
        String experimentId = runs.getFirst().info().experimentId();
        List<Crumb> crumbs = List.of(new Crumb("Experiments", "/"),
                new Crumb(experimentName(experimentId), "/experiments/" + Format.url(experimentId)), new Crumb("Compare", null));
        return Templates.render("compare.jte", "c", ComparePage.of(crumbs, runs, charts));
    }

    // ---- helpers ----

    static String text(ObjectNode query, String name) {
        JsonNode n = query.get(name);
        if (n == null) {
            return null;
        }
        return n.isArray() ? n.get(0).asText() : n.asText();
    }

    static List<String> list(ObjectNode query, String name) {
        JsonNode n = query.get(name);
        List<String> out = new ArrayList<>();
        if (n == null) {
            return out;
        }
        if (n.isArray()) {
            n.forEach(v -> out.add(v.asText()));
        } else {
            out.add(n.asText());
        }
        out.removeIf(String::isEmpty);
        return out;
    }
}
