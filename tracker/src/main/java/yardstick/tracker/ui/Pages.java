package yardstick.tracker.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import yardstick.tracker.artifacts.ArtifactEntry;
import yardstick.tracker.artifacts.ArtifactRepository;
import yardstick.tracker.artifacts.ArtifactUris;
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
import yardstick.tracker.server.JsonCodec;
import yardstick.tracker.store.TrackerStore;

/** Renders the history UI's pages from the store; no JavaScript, every value escaped, every form carrying its token. */
final class Pages {
    /** The tag under which Yardstick's kernel records the source of the cell that produced a run. */
    static final String CELL_SOURCE_TAG = yardstick.tracker.model.Tags.CELL;
    static final int MAX_COMPARE = 10;
    private static final int RUNS_PER_PAGE = 100;
    private static final long MAX_INLINE_BYTES = 2L * 1024 * 1024;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

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

    Pages(TrackerStore store, ArtifactRepository artifacts, FormTokens tokens) {
        this.store = store;
        this.artifacts = artifacts;
        this.models = new ModelPages(store.modelRegistry());
        this.tokens = tokens;
    }

    /** Performs a form's action, its token already checked; answers with where to go next. */
    Response act(String path, ObjectNode fields) {
        String[] parts = path.replaceAll("^/+", "").split("/");
        if (parts.length == 3 && parts[0].equals("runs") && parts[2].equals("delete")) {
            store.deleteRun(parts[1]);
            return Response.redirect("/runs/" + url(parts[1]));
        }
        if (parts.length == 3 && parts[0].equals("runs") && parts[2].equals("restore")) {
            store.restoreRun(parts[1]);
            return Response.redirect("/runs/" + url(parts[1]));
        }
        throw MlflowException.notFound("No form posts to " + path);
    }

    /** A form that posts to {@code action} with this server's token for it, around {@code inner} markup. */
    private void postForm(Html h, String id, String action, String inner) {
        h.raw("<form id=\"").text(id).raw("\" method=\"post\" action=\"").text(action).raw("\"><input type=\"hidden\" name=\"")
                .raw(FormTokens.FIELD).raw("\" value=\"").text(tokens.token(action)).raw("\">").raw(inner).raw("</form>");
    }

    Response render(String rawPath, ObjectNode query) {
        String[] parts = rawPath.replaceAll("^/+", "").split("/");
        if (rawPath.equals("/") || rawPath.isEmpty()) {
            return Response.html(experiments());
        }
        if (parts.length == 2 && parts[0].equals("experiments")) {
            return Response.html(runs(parts[1], query));
        }
        if (parts.length == 2 && parts[0].equals("runs")) {
            return Response.html(run(parts[1]));
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
        if (parts.length == 1 && parts[0].equals("compare")) {
            return Response.html(compare(list(query, "run")));
        }
        throw MlflowException.notFound("No page at " + rawPath);
    }

    // ---- experiments ----

    private String experiments() {
        Page<Experiment> page = store.searchExperiments(ViewType.ACTIVE_ONLY, null, List.of("name ASC"), 1000, null);
        Html h = new Html().raw("<h1>Experiments</h1><table id=\"experiments\"><thead><tr><th>Name</th><th>ID</th>"
                + "<th>Created</th><th>Artifact location</th></tr></thead><tbody>");
        for (Experiment e : page.items()) {
            h.raw("<tr><td><a class=\"experiment\" href=\"/experiments/").text(e.experimentId()).raw("\">").text(e.name())
                    .raw("</a></td><td>").text(e.experimentId()).raw("</td><td>").text(time(e.creationTime()))
                    .raw("</td><td>").text(e.artifactLocation()).raw("</td></tr>");
        }
        h.raw("</tbody></table>");
        return layout("Experiments", h.toString());
    }

    // ---- runs table ----

    private String runs(String experimentId, ObjectNode query) {
        Experiment experiment = store.getExperiment(experimentId);
        String filter = text(query, "filter");
        String orderBy = text(query, "order_by");
        String pageToken = text(query, "page_token");
        List<String> chosen = list(query, "col");
        Html h = new Html().raw("<p><a href=\"/\">Experiments</a></p><h1>").text(experiment.name()).raw("</h1>");
        h.raw("<form id=\"filter-form\" method=\"get\" action=\"/experiments/").text(experimentId).raw("\">")
                .raw("<label>Filter <input id=\"filter\" name=\"filter\" size=\"60\" placeholder=\"metrics.acc &gt; 0.9 and params.lr = '0.1'\" value=\"")
                .text(filter == null ? "" : filter).raw("\"></label> <label>Order by <input id=\"order_by\" name=\"order_by\" value=\"")
                .text(orderBy == null ? "" : orderBy).raw("\"></label>");
        for (String c : chosen) {
            h.raw("<input type=\"hidden\" name=\"col\" value=\"").text(c).raw("\">");
        }
        h.raw(" <button id=\"apply\" type=\"submit\">Apply</button></form>");
        Page<Run> page;
        try {
            page = store.searchRuns(List.of(experimentId), filter, ViewType.ACTIVE_ONLY, RUNS_PER_PAGE,
                    orderBy == null || orderBy.isBlank() ? List.of() : List.of(orderBy), pageToken);
        } catch (MlflowException e) {
            h.raw("<p class=\"error\" id=\"filter-error\">").text(e.getMessage()).raw("</p>");
            return layout(experiment.name(), h.toString());
        }
        Set<String> paramKeys = new TreeSet<>();
        Set<String> metricKeys = new TreeSet<>();
        for (Run r : page.items()) {
            r.params().forEach(p -> paramKeys.add(p.key()));
            r.latestMetrics().forEach(m -> metricKeys.add(m.key()));
        }
        List<String> columns = new ArrayList<>();
        if (chosen.isEmpty()) {
            paramKeys.forEach(k -> columns.add("params." + k));
            metricKeys.forEach(k -> columns.add("metrics." + k));
        } else {
            columns.addAll(chosen);
        }
        columnPicker(h, experimentId, filter, orderBy, paramKeys, metricKeys, columns);
        h.raw("<form id=\"compare-form\" method=\"get\" action=\"/compare\"><table id=\"runs\"><thead><tr><th></th>")
                .raw(sortHeader(experimentId, filter, chosen, "attributes.run_name", "Run", orderBy))
                .raw("<th>Status</th>")
                .raw(sortHeader(experimentId, filter, chosen, "attributes.start_time", "Started", orderBy));
        for (String c : columns) {
            h.raw(sortHeader(experimentId, filter, chosen, quoteKey(c), c, orderBy));
        }
        h.raw("</tr></thead><tbody>");
        for (Run r : page.items()) {
            h.raw("<tr class=\"run-row\"><td><input type=\"checkbox\" name=\"run\" value=\"").text(r.info().runId())
                    .raw("\"></td><td><a class=\"run-link\" href=\"/runs/").text(r.info().runId()).raw("\">")
                    .text(r.info().runName()).raw("</a></td><td>").text(r.info().status().name()).raw("</td><td>")
                    .text(time(r.info().startTime())).raw("</td>");
            for (String c : columns) {
                h.raw("<td>").text(cell(r, c)).raw("</td>");
            }
            h.raw("</tr>");
        }
        h.raw("</tbody></table><p><button id=\"compare\" type=\"submit\">Compare selected (2 to ")
                .raw(Integer.toString(MAX_COMPARE)).raw(")</button></p></form>");
        h.raw("<p id=\"run-count\">").text(page.items().size() + " runs shown").raw("</p>");
        if (page.nextPageToken() != null) {
            h.raw("<p><a id=\"next-page\" href=\"").text(runsUrl(experimentId, filter, orderBy, chosen)
                    + "&page_token=" + url(page.nextPageToken())).raw("\">Next page</a></p>");
        }
        return layout(experiment.name(), h.toString());
    }

    private static void columnPicker(Html h, String experimentId, String filter, String orderBy, Set<String> paramKeys,
            Set<String> metricKeys, List<String> columns) {
        h.raw("<details id=\"column-picker\"><summary>Columns</summary><form method=\"get\" action=\"/experiments/")
                .text(experimentId).raw("\">");
        h.raw("<input type=\"hidden\" name=\"filter\" value=\"").text(filter == null ? "" : filter).raw("\">");
        h.raw("<input type=\"hidden\" name=\"order_by\" value=\"").text(orderBy == null ? "" : orderBy).raw("\">");
        List<String> all = new ArrayList<>();
        paramKeys.forEach(k -> all.add("params." + k));
        metricKeys.forEach(k -> all.add("metrics." + k));
        for (String c : all) {
            h.raw("<label><input type=\"checkbox\" name=\"col\" value=\"").text(c).raw("\"")
                    .raw(columns.contains(c) ? " checked" : "").raw("> ").text(c).raw("</label> ");
        }
        h.raw("<button id=\"apply-columns\" type=\"submit\">Show columns</button></form></details>");
    }

    private static String sortHeader(String experimentId, String filter, List<String> chosen, String key, String label,
            String currentOrder) {
        boolean desc = currentOrder != null && currentOrder.equals(key + " DESC");
        String next = desc ? key + " ASC" : key + " DESC";
        String arrow = currentOrder != null && currentOrder.startsWith(key + " ") ? (desc ? " ▼" : " ▲") : "";
        return "<th><a class=\"sort\" href=\"" + Html.escape(runsUrl(experimentId, filter, next, chosen)) + "\">"
                + Html.escape(label) + arrow + "</a></th>";
    }

    private static String runsUrl(String experimentId, String filter, String orderBy, List<String> cols) {
        StringBuilder u = new StringBuilder("/experiments/").append(url(experimentId)).append("?filter=")
                .append(url(filter == null ? "" : filter)).append("&order_by=").append(url(orderBy == null ? "" : orderBy));
        for (String c : cols) {
            u.append("&col=").append(url(c));
        }
        return u.toString();
    }

    /** Quotes a column's key for order_by, so keys with spaces or dots still parse. */
    private static String quoteKey(String column) {
        int dot = column.indexOf('.');
        return column.substring(0, dot) + ".`" + column.substring(dot + 1) + "`";
    }

    private static String cell(Run r, String column) {
        if (column.startsWith("params.")) {
            String key = column.substring("params.".length());
            return r.params().stream().filter(p -> p.key().equals(key)).map(Param::value).findFirst().orElse("");
        }
        if (column.startsWith("metrics.")) {
            String key = column.substring("metrics.".length());
            return r.latestMetrics().stream().filter(m -> m.key().equals(key)).map(m -> number(m.value())).findFirst().orElse("");
        }
        if (column.startsWith("tags.")) {
            String key = column.substring("tags.".length());
            return r.tags().stream().filter(t -> t.key().equals(key)).map(Tag::value).findFirst().orElse("");
        }
        return "";
    }

    // ---- one run ----

    private String run(String runId) {
        Run r = store.getRun(runId);
        Html h = new Html().raw("<p><a href=\"/\">Experiments</a> / <a href=\"/experiments/").text(r.info().experimentId())
                .raw("\">experiment ").text(r.info().experimentId()).raw("</a></p><h1 id=\"run-name\">").text(r.info().runName())
                .raw("</h1><table class=\"info\"><tr><th>Run ID</th><td id=\"run-id\">").text(runId)
                .raw("</td></tr><tr><th>Status</th><td>").text(r.info().status().name())
                .raw("</td></tr><tr><th>Started</th><td>").text(time(r.info().startTime()))
                .raw("</td></tr><tr><th>Ended</th><td>").text(r.info().endTime() == null ? "" : time(r.info().endTime()))
                .raw("</td></tr><tr><th>Artifacts</th><td>").text(r.info().artifactUri())
                .raw("</td></tr><tr><th>Lifecycle</th><td id=\"lifecycle\">").text(r.info().lifecycleStage().word())
                .raw("</td></tr></table>");
        if (r.info().lifecycleStage() == LifecycleStage.DELETED) {
            postForm(h, "restore-run", "/runs/" + runId + "/restore", "<button type=\"submit\">Restore run</button>");
        } else {
            postForm(h, "delete-run", "/runs/" + runId + "/delete", "<button type=\"submit\">Delete run</button>");
        }
        h.raw("<h2>Parameters</h2><table id=\"params\"><tbody>");
        for (Param p : r.params()) {
            h.raw("<tr><th>").text(p.key()).raw("</th><td>").text(p.value()).raw("</td></tr>");
        }
        h.raw("</tbody></table><h2>Tags</h2><table id=\"tags\"><tbody>");
        String cellSource = null;
        for (Tag t : r.tags()) {
            if (t.key().equals(CELL_SOURCE_TAG)) {
                cellSource = t.value();
                continue;
            }
            h.raw("<tr><th>").text(t.key()).raw("</th><td>").text(t.value()).raw("</td></tr>");
        }
        h.raw("</tbody></table>");
        if (cellSource != null) {
            h.raw("<h2>Cell source</h2><pre id=\"cell-source\">").text(cellSource).raw("</pre>");
        }
        h.raw("<h2>Metrics</h2><div id=\"metrics\">");
        for (Metric latest : r.latestMetrics()) {
            List<Metric> history = store.getMetricHistory(runId, latest.key(), null, null).items();
            h.raw("<div class=\"metric\" data-key=\"").text(latest.key()).raw("\"><h3>").text(latest.key()).raw(" = ")
                    .text(number(latest.value())).raw(" <small>(step ").text(Long.toString(latest.step()))
                    .raw(", ").text(history.size() + " points").raw(")</small></h3>")
                    .raw(Charts.lineChart(latest.key(), List.of(new Charts.Series(r.info().runName(), history)), 640, 320))
                    .raw("</div>");
        }
        h.raw("</div><h2>Artifacts</h2>");
        artifactTree(h, r, "", 0);
        return layout(r.info().runName(), h.toString());
    }

    private void artifactTree(Html h, Run r, String path, int depth) {
        String base = runArtifactPath(r);
        if (base == null) {
            h.raw("<p>Artifacts live at ").text(r.info().artifactUri()).raw(", outside this tracker.</p>");
            return;
        }
        List<ArtifactEntry> entries = artifacts.list(path.isEmpty() ? base : base + "/" + path);
        if (entries.isEmpty() && depth == 0) {
            h.raw("<p>No artifacts.</p>");
            return;
        }
        h.raw("<ul class=\"artifacts\">");
        for (ArtifactEntry e : entries) {
            String child = path.isEmpty() ? e.name() : path + "/" + e.name();
            if (e.directory()) {
                h.raw("<li>").text(e.name() + "/");
                if (depth < 4) {
                    artifactTree(h, r, child, depth + 1);
                }
                h.raw("</li>");
            } else {
                h.raw("<li><a class=\"artifact\" href=\"/runs/").text(r.info().runId()).raw("/artifact?path=").text(url(child))
                        .raw("\">").text(e.name()).raw("</a> <small>").text(e.size() + " bytes").raw("</small></li>");
            }
        }
        h.raw("</ul>");
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
        Path file = artifacts.file(base + "/" + clean);
        String rawUrl = "/runs/" + url(runId) + "/raw?path=" + url(clean);
        Html h = new Html().raw("<p><a href=\"/runs/").text(runId).raw("\">").text(r.info().runName()).raw("</a></p><h1>")
                .text(clean).raw("</h1><p><a id=\"download\" href=\"").text(rawUrl).raw("\" download>Download</a></p>");
        String type = ContentTypes.of(clean);
        try {
            long size = Files.size(file);
            if (type.startsWith("image/")) {
                h.raw("<img id=\"artifact-image\" alt=\"").text(clean).raw("\" src=\"").text(rawUrl).raw("\">");
            } else if (type.startsWith("text/html")) {
                // Sandboxed without allow-same-origin: the page renders but cannot act as this site.
                h.raw("<iframe id=\"artifact-html\" sandbox src=\"").text(rawUrl).raw("\" width=\"100%\" height=\"600\"></iframe>");
            } else if (size > MAX_INLINE_BYTES) {
                h.raw("<p>Too large to show inline (").text(size + " bytes").raw(").</p>");
            } else if (type.startsWith("text/csv")) {
                csvTable(h, Files.readString(file, StandardCharsets.UTF_8));
            } else if (type.startsWith("application/json")) {
                String content = Files.readString(file, StandardCharsets.UTF_8);
                try {
                    JsonNode node = JsonCodec.MAPPER.readTree(content);
                    content = JsonCodec.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node);
                } catch (IOException e) {
                    // Not valid JSON after all: show it as it is.
                }
                h.raw("<pre id=\"artifact-text\" class=\"json\">").text(content).raw("</pre>");
            } else if (type.startsWith("text/")) {
                h.raw("<pre id=\"artifact-text\">").text(Files.readString(file, StandardCharsets.UTF_8)).raw("</pre>");
            } else {
                h.raw("<p>Binary file, ").text(size + " bytes").raw(": use Download.</p>");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return layout(clean, h.toString());
    }

    private static void csvTable(Html h, String content) {
        List<List<String>> rows = Csv.parse(content);
        h.raw("<table id=\"artifact-table\">");
        for (int i = 0; i < rows.size(); i++) {
            String cellTag = i == 0 ? "th" : "td";
            h.raw("<tr>");
            for (String c : rows.get(i)) {
                h.raw("<" + cellTag + ">").text(c).raw("</" + cellTag + ">");
            }
            h.raw("</tr>");
        }
        h.raw("</table>");
    }

    private Response raw(String runId, String path) {
        Run r = store.getRun(runId);
        String base = runArtifactPath(r);
        if (base == null || path == null) {
            throw MlflowException.notFound("No such artifact");
        }
        Path file = artifacts.file(base + "/" + ArtifactRepository.checkRelative(path));
        try {
            return new Response(200, ContentTypes.of(file.getFileName().toString()), Files.readAllBytes(file),
                    Map.of("Content-Security-Policy", "sandbox", "X-Content-Type-Options", "nosniff"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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
        Html h = new Html().raw("<p><a href=\"/experiments/").text(runs.getFirst().info().experimentId())
                .raw("\">Back to runs</a></p><h1>Compare ").text(Integer.toString(runs.size())).raw(" runs</h1>");
        h.raw("<h2>Parameters</h2><table id=\"compare-params\"><thead><tr><th>Param</th>");
        for (Run r : runs) {
            h.raw("<th><a href=\"/runs/").text(r.info().runId()).raw("\">").text(r.info().runName()).raw("</a></th>");
        }
        h.raw("</tr></thead><tbody>");
        Set<String> keys = new TreeSet<>();
        runs.forEach(r -> r.params().forEach(p -> keys.add(p.key())));
        for (String key : keys) {
            List<String> values = runs.stream().map(r -> cell(r, "params." + key)).toList();
            boolean differs = values.stream().distinct().count() > 1;
            h.raw(differs ? "<tr class=\"diff\">" : "<tr>").raw("<th>").text(key).raw("</th>");
            for (String v : values) {
                h.raw("<td>").text(v).raw("</td>");
            }
            h.raw("</tr>");
        }
        h.raw("</tbody></table><h2>Metrics</h2>");
        Set<String> metricKeys = new TreeSet<>();
        runs.forEach(r -> r.latestMetrics().forEach(m -> metricKeys.add(m.key())));
        for (String key : metricKeys) {
            List<Charts.Series> series = new ArrayList<>();
            for (Run r : runs) {
                if (r.latestMetrics().stream().anyMatch(m -> m.key().equals(key))) {
                    series.add(new Charts.Series(r.info().runName(), store.getMetricHistory(r.info().runId(), key, null, null).items()));
                }
            }
            h.raw("<div class=\"compare-chart\" data-key=\"").text(key).raw("\" data-series=\"").text(Integer.toString(series.size()))
                    .raw("\"><h3>").text(key).raw("</h3>").raw(Charts.lineChart(key, series, 800, 400)).raw("</div>");
        }
        return layout("Compare runs", h.toString());
    }

    // ---- helpers ----

    static String layout(String title, String body) {
        return "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + Html.escape(title)
                + " · Yardstick</title><style>body{font-family:system-ui,sans-serif;margin:1.5em;color:#222}"
                + "table{border-collapse:collapse;margin:.5em 0}th,td{border:1px solid #ccc;padding:.25em .5em;text-align:left;"
                + "font-size:14px}tr.diff td{background:#fff3bf}.error{color:#b00020}pre{background:#f6f8fa;padding:.75em;"
                + "overflow:auto}.metric,.compare-chart{display:inline-block;margin:.5em}nav{margin-bottom:1em}</style></head>"
                + "<body><nav id=\"nav\"><a href=\"/\">Experiments</a> · <a id=\"nav-models\" href=\"/models\">Models</a></nav>"
                + body + "</body></html>";
    }

    private static String text(ObjectNode query, String name) {
        JsonNode n = query.get(name);
        if (n == null) {
            return null;
        }
        return n.isArray() ? n.get(0).asText() : n.asText();
    }

    private static List<String> list(ObjectNode query, String name) {
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
        out.removeIf(s -> s.isEmpty());
        return out;
    }

    private static String time(long millis) {
        return millis <= 0 ? "" : TIME.format(Instant.ofEpochMilli(millis));
    }

    private static String number(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return Double.toString(v);
        }
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Objects.toString(v);
    }

    private static String url(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
