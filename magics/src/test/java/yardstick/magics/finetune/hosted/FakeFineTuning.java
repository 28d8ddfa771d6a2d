package yardstick.magics.finetune.hosted;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An in-process fine-tuning service speaking OpenAI's wire format: {@code POST /v1/files} (multipart/form-data with
 * {@code purpose} and {@code file}), {@code DELETE /v1/files/ID}, {@code POST /v1/fine_tuning/jobs},
 * {@code GET /v1/fine_tuning/jobs/ID} (each one moves the job a tick on: validating_files → queued → running, a few
 * steps per tick → succeeded or failed), its {@code /events} (newest first, paged with {@code after} and
 * {@code has_more}, at most {@link #maxPage} a page), {@code /checkpoints}, {@code /cancel}, and
 * {@code POST /v1/chat/completions} for the models its jobs made. It can be told to require a key (401 otherwise), to
 * answer the next requests with a scripted status (429 with Retry-After, 500), to fail a job, or to hold a job at a step.
 */
final class FakeFineTuning implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long T0 = 1_721_764_800L;

    /** A file as uploaded. */
    record StoredFile(String id, String filename, String purpose, byte[] content) {}

    /** A scripted answer for the next request, or for the next one to {@code on} ("POST /v1/files") when set. */
    record Forced(int status, Map<String, String> headers, String message, String on) {
        Forced on(String methodAndPath) {
            return new Forced(status, headers, message, methodAndPath);
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final ConcurrentLinkedQueue<Forced> script = new ConcurrentLinkedQueue<>();
    final List<String> requests = new CopyOnWriteArrayList<>();
    final List<JsonNode> createRequests = new CopyOnWriteArrayList<>();
    final Map<String, StoredFile> files = new LinkedHashMap<>();
    final Map<String, Job> jobs = new LinkedHashMap<>();
    volatile String requiredKey;
    volatile int stepsPerTick = 3;
    volatile int maxPage = 5;
    /** A job does not move past this many steps until it is raised. */
    volatile long holdAtStep = Long.MAX_VALUE;
    private String[] failNext;
    private int counter;

    /** One job's server-side state. */
    final class Job {
        final String id, model, trainingFile, validationFile, suffix;
        final Long seed;
        final int epochs, batch, totalSteps;
        final Double lrMultiplier;
        String status = "validating_files";
        long step, finishedAt, trainedTokens = -1, clock;
        int tick;
        String fineTunedModel, resultFile;
        String[] error;
        String[] failWith;
        final List<ObjectNode> events = new ArrayList<>();
        final List<ObjectNode> checkpoints = new ArrayList<>();
        final List<Double> trainLoss = new ArrayList<>();
        final Map<Long, Double> validLoss = new HashMap<>();

        Job(String id, JsonNode req, int examples) {
            this.id = id;
            model = req.path("model").asText();
            trainingFile = req.path("training_file").asText();
            validationFile = req.hasNonNull("validation_file") ? req.get("validation_file").asText() : null;
            suffix = req.hasNonNull("suffix") ? req.get("suffix").asText() : null;
            seed = req.hasNonNull("seed") ? req.get("seed").asLong() : null;
            JsonNode hp = req.path("hyperparameters");
            epochs = hp.path("n_epochs").isInt() ? hp.get("n_epochs").asInt() : 3;
            batch = hp.path("batch_size").isInt() ? hp.get("batch_size").asInt() : 1;
            lrMultiplier = hp.path("learning_rate_multiplier").isNumber() ? hp.get("learning_rate_multiplier").asDouble() : null;
            totalSteps = epochs * Math.max(1, examples / batch);
            clock = T0;
        }

        void event(String level, String message, ObjectNode data) {
            ObjectNode e = JSON.createObjectNode().put("object", "fine_tuning.job.event").put("id", "ftevent-" + (++counter))
                    .put("created_at", clock).put("level", level).put("message", message);
            if (data == null) e.putNull("data");
            else e.set("data", data);
            e.put("type", data == null ? "message" : "metrics");
            events.add(e);
        }

        boolean isFinal() {
            return status.equals("succeeded") || status.equals("failed") || status.equals("cancelled");
        }

        /** One tick of the simulated service. */
        void advance() {
            if (isFinal()) return;
            tick++;
            clock += 10;
            switch (status) {
                case "validating_files" -> {
                    if (failWith != null && failWith[3].equals("0")) {
                        fail();
                        return;
                    }
                    event("info", "Files validated, moving job to queued state", null);
                    status = "queued";
                }
                case "queued" -> {
                    event("info", "Fine-tuning job started", null);
                    status = "running";
                }
                default -> {
                    for (int i = 0; i < stepsPerTick && step < totalSteps && step < holdAtStep; i++) {
                        if (failWith != null && step >= Long.parseLong(failWith[3])) {
                            fail();
                            return;
                        }
                        metrics();
                    }
                    if (step == totalSteps) succeed();
                }
            }
        }

        private void metrics() {
            step++;
            clock += 2;
            double loss = 2.0 / (1 + 0.25 * step);
            trainLoss.add(loss);
            ObjectNode d = JSON.createObjectNode().put("step", step).put("train_loss", loss)
                    .put("train_mean_token_accuracy", Math.min(1, 0.5 + step * 0.04)).put("total_steps", totalSteps);
            String msg = "Step " + step + "/" + totalSteps + ": training loss=" + String.format("%.4f", loss);
            if (validationFile != null && step % 2 == 0) {
                double v = loss + 0.1;
                validLoss.put(step, v);
                d.put("valid_loss", v).put("valid_mean_token_accuracy", Math.min(1, 0.45 + step * 0.04));
                msg += ", validation loss=" + String.format("%.4f", v);
            }
            event("info", msg, d);
            int perEpoch = totalSteps / epochs;
            if (step % perEpoch == 0) {
                String name = "ft:" + model + ":yardstick:" + (suffix == null ? "" : suffix) + ":" + id.substring(6) + ":ckpt-step-" + step;
                ObjectNode c = JSON.createObjectNode().put("object", "fine_tuning.job.checkpoint")
                        .put("id", "ftckpt_" + id.substring(6) + "_" + step).put("created_at", clock)
                        .put("fine_tuned_model_checkpoint", name).put("fine_tuning_job_id", id).put("step_number", step);
                ObjectNode m = c.putObject("metrics").put("step", step).put("train_loss", loss)
                        .put("train_mean_token_accuracy", Math.min(1, 0.5 + step * 0.04));
                if (validationFile != null) m.put("full_valid_loss", loss + 0.12).put("full_valid_mean_token_accuracy", 0.8);
                checkpoints.add(c);
                event("info", "Checkpoint created at step " + step, null);
            }
        }

        private void succeed() {
            fineTunedModel = "ft:" + model + ":yardstick:" + (suffix == null ? "" : suffix) + ":" + id.substring(6);
            trainedTokens = 1234L * epochs;
            resultFile = storeFile("step_metrics.csv", "fine-tune-results", "step,train_loss\n".getBytes(StandardCharsets.UTF_8));
            event("info", "New fine-tuned model created: " + fineTunedModel, null);
            event("info", "The job has successfully completed", null);
            status = "succeeded";
            finishedAt = clock;
        }

        private void fail() {
            error = new String[] {failWith[0], failWith[1], failWith[2]};
            event("error", failWith[1], null);
            status = "failed";
            finishedAt = clock;
        }

        ObjectNode json() {
            ObjectNode j = JSON.createObjectNode().put("object", "fine_tuning.job").put("id", id).put("model", model)
                    .put("created_at", T0).put("organization_id", "org-yardstick");
            if (finishedAt > 0) j.put("finished_at", finishedAt);
            else j.putNull("finished_at");
            if (fineTunedModel != null) j.put("fine_tuned_model", fineTunedModel);
            else j.putNull("fine_tuned_model");
            ArrayNode results = j.putArray("result_files");
            if (resultFile != null) results.add(resultFile);
            j.put("status", status);
            j.put("training_file", trainingFile);
            if (validationFile != null) j.put("validation_file", validationFile);
            else j.putNull("validation_file");
            if (trainedTokens >= 0) j.put("trained_tokens", trainedTokens);
            else j.putNull("trained_tokens");
            ObjectNode hp = JSON.createObjectNode();
            boolean resolved = !status.equals("validating_files") && !status.equals("queued");
            if (resolved) hp.put("n_epochs", epochs).put("batch_size", batch).put("learning_rate_multiplier", lrMultiplier == null ? 1.8 : lrMultiplier);
            else hp.put("n_epochs", "auto").put("batch_size", "auto").put("learning_rate_multiplier", "auto");
            j.set("hyperparameters", hp);
            if (error != null) j.putObject("error").put("code", error[0]).put("message", error[1]).put("param", error[2]);
            else j.putNull("error");
            j.putArray("integrations");
            if (seed != null) j.put("seed", seed);
            j.putNull("estimated_finish");
            j.putNull("metadata");
            j.putObject("method").put("type", "supervised").putObject("supervised").set("hyperparameters", hp.deepCopy());
            return j;
        }
    }

    FakeFineTuning() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.setExecutor(executor);
        server.createContext("/v1/", this::handle);
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    /** Answers the next requests, whatever they are, with these statuses (and headers) instead. */
    FakeFineTuning then(Forced... replies) {
        script.addAll(List.of(replies));
        return this;
    }

    static Forced status(int status, String message, Map<String, String> headers) {
        return new Forced(status, headers, message, null);
    }

    /** The next job created fails with this error once it has run {@code atStep} steps (0: while validating files). */
    synchronized void failNextJob(String code, String message, String param, int atStep) {
        failNext = new String[] {code, message, param, Integer.toString(atStep)};
    }

    synchronized Job job(String id) {
        return jobs.get(id);
    }

    synchronized Job onlyJob() {
        if (jobs.size() != 1) throw new AssertionError("expected one job, the fake has " + jobs.keySet());
        return jobs.values().iterator().next();
    }

    synchronized int fileCount(String purpose) {
        return (int) files.values().stream().filter(f -> f.purpose().equals(purpose)).count();
    }

    synchronized int jobCount() {
        return jobs.size();
    }

    /** Requests seen, as "METHOD /path" without the query. */
    long count(String methodAndPath) {
        return requests.stream().filter(r -> r.equals(methodAndPath)).count();
    }

    private synchronized String storeFile(String filename, String purpose, byte[] content) {
        String id = "file-" + String.format("%06d", ++counter);
        files.put(id, new StoredFile(id, filename, purpose, content));
        return id;
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String method = ex.getRequestMethod();
            String path = ex.getRequestURI().getPath();
            requests.add(method + " " + path);
            byte[] body = ex.getRequestBody().readAllBytes();
            Forced forced = script.peek();
            if (forced != null && (forced.on() == null || forced.on().equals(method + " " + path)) && script.remove(forced)) {
                forced.headers().forEach((k, v) -> ex.getResponseHeaders().set(k, v));
                error(ex, forced.status(), forced.message(), forced.status() == 429 ? "rate_limit_exceeded" : null, null);
                return;
            }
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            if (requiredKey != null && !("Bearer " + requiredKey).equals(auth)) {
                String msg = auth == null ? "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY)."
                        : "Incorrect API key provided: " + auth.substring(Math.min(auth.length(), 7)) + ". You can find your API key at https://platform.openai.com/account/api-keys.";
                error(ex, 401, msg, auth == null ? null : "invalid_api_key", null);
                return;
            }
            route(ex, method, path, body);
        } catch (RuntimeException e) {
            error(ex, 500, "The fake failed: " + e, null, null);
        }
    }

    private synchronized void route(HttpExchange ex, String method, String path, byte[] body) throws IOException {
        Map<String, String> query = query(ex.getRequestURI().getRawQuery());
        Matcher m;
        if (method.equals("POST") && path.equals("/v1/files")) {
            upload(ex, body);
        } else if (method.equals("DELETE") && (m = Pattern.compile("/v1/files/([^/]+)").matcher(path)).matches()) {
            if (files.remove(m.group(1)) == null) {
                error(ex, 404, "No such File object: " + m.group(1), null, "id");
                return;
            }
            send(ex, 200, JSON.createObjectNode().put("id", m.group(1)).put("object", "file").put("deleted", true));
        } else if (method.equals("POST") && path.equals("/v1/fine_tuning/jobs")) {
            create(ex, JSON.readTree(body));
        } else if ((m = Pattern.compile("/v1/fine_tuning/jobs/([^/]+)(/events|/checkpoints|/cancel)?").matcher(path)).matches()) {
            Job j = jobs.get(m.group(1));
            if (j == null) {
                error(ex, 404, "Could not find fine-tune: " + m.group(1), "fine_tune_not_found", null);
                return;
            }
            String sub = m.group(2) == null ? "" : m.group(2);
            switch (method + " " + sub) {
                case "GET " -> {
                    j.advance();
                    send(ex, 200, j.json());
                }
                case "GET /events" -> page(ex, j.events, query);
                case "GET /checkpoints" -> page(ex, j.checkpoints, query);
                case "POST /cancel" -> {
                    if (j.isFinal()) {
                        error(ex, 400, "Job has already completed: " + j.id, null, null);
                        return;
                    }
                    j.status = "cancelled";
                    j.finishedAt = j.clock;
                    j.event("info", "Fine-tuning job cancelled", null);
                    send(ex, 200, j.json());
                }
                default -> error(ex, 404, "Invalid URL (" + method + " " + path + ")", null, null);
            }
        } else if (method.equals("POST") && path.equals("/v1/chat/completions")) {
            chat(ex, JSON.readTree(body));
        } else {
            error(ex, 404, "Invalid URL (" + method + " " + path + ")", null, null);
        }
    }

    private void upload(HttpExchange ex, byte[] body) throws IOException {
        String type = ex.getRequestHeaders().getFirst("Content-Type");
        Matcher b = type == null ? null : Pattern.compile("multipart/form-data;\\s*boundary=\"?([^\";]+)\"?").matcher(type);
        if (b == null || !b.find()) {
            error(ex, 400, "Expected multipart/form-data", null, null);
            return;
        }
        Map<String, String[]> parts = multipart(body, b.group(1));
        String[] purpose = parts.get("purpose"), file = parts.get("file");
        if (purpose == null || file == null) {
            error(ex, 400, "Missing required parameter: '" + (purpose == null ? "purpose" : "file") + "'.", null,
                    purpose == null ? "purpose" : "file");
            return;
        }
        String id = storeFile(file[0], purpose[1], file[1].getBytes(StandardCharsets.ISO_8859_1));
        StoredFile f = files.get(id);
        send(ex, 200, JSON.createObjectNode().put("object", "file").put("id", id).put("purpose", f.purpose())
                .put("filename", f.filename()).put("bytes", f.content().length).put("created_at", T0)
                .putNull("expires_at").put("status", "processed").putNull("status_details"));
    }

    /** name → {filename, value}, bytes kept as ISO-8859-1 characters so that nothing is lost. */
    private static Map<String, String[]> multipart(byte[] body, String boundary) {
        String all = new String(body, StandardCharsets.ISO_8859_1);
        Map<String, String[]> parts = new HashMap<>();
        for (String part : all.split("--" + Pattern.quote(boundary))) {
            if (part.startsWith("--") || part.isBlank()) continue;
            int headEnd = part.indexOf("\r\n\r\n");
            if (headEnd < 0) continue;
            String head = part.substring(0, headEnd);
            String value = part.substring(headEnd + 4);
            if (value.endsWith("\r\n")) value = value.substring(0, value.length() - 2);
            Matcher name = Pattern.compile("name=\"([^\"]*)\"").matcher(head);
            Matcher filename = Pattern.compile("filename=\"([^\"]*)\"").matcher(head);
            if (name.find()) parts.put(name.group(1), new String[] {filename.find() ? filename.group(1) : null, value});
        }
        return parts;
    }

    private void create(HttpExchange ex, JsonNode req) throws IOException {
        createRequests.add(req);
        if (!req.path("model").isTextual()) {
            error(ex, 400, "Missing required parameter: 'model'.", null, "model");
            return;
        }
        StoredFile training = files.get(req.path("training_file").asText());
        if (training == null || !training.purpose().equals("fine-tune")) {
            error(ex, 400, "invalid training_file: " + req.path("training_file").asText(), null, "training_file");
            return;
        }
        if (req.hasNonNull("validation_file") && !files.containsKey(req.get("validation_file").asText())) {
            error(ex, 400, "invalid validation_file: " + req.get("validation_file").asText(), null, "validation_file");
            return;
        }
        int examples = (int) new String(training.content(), StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).count();
        Job j = new Job("ftjob-" + String.format("%06d", ++counter), req, examples);
        j.failWith = failNext;
        failNext = null;
        j.event("info", "Validating training file: " + j.trainingFile
                + (j.validationFile == null ? "" : " and validation file: " + j.validationFile), null);
        jobs.put(j.id, j);
        send(ex, 200, j.json());
    }

    /** A list page as the API pages: newest first, {@code after} an id from the previous page, {@code has_more}. */
    private void page(HttpExchange ex, List<ObjectNode> items, Map<String, String> query) throws IOException {
        List<ObjectNode> newestFirst = new ArrayList<>(items);
        java.util.Collections.reverse(newestFirst);
        int from = 0;
        String after = query.get("after");
        if (after != null) {
            from = -1;
            for (int i = 0; i < newestFirst.size(); i++) if (newestFirst.get(i).path("id").asText().equals(after)) from = i + 1;
            if (from < 0) {
                error(ex, 400, "Invalid 'after': " + after, null, "after");
                return;
            }
        }
        int limit = Math.min(maxPage, Integer.parseInt(query.getOrDefault("limit", "20")));
        int to = Math.min(newestFirst.size(), from + limit);
        ObjectNode page = JSON.createObjectNode().put("object", "list");
        ArrayNode data = page.putArray("data");
        newestFirst.subList(from, to).forEach(data::add);
        page.put("has_more", to < newestFirst.size());
        if (to > from) page.put("first_id", newestFirst.get(from).path("id").asText()).put("last_id", newestFirst.get(to - 1).path("id").asText());
        send(ex, 200, page);
    }

    private void chat(HttpExchange ex, JsonNode req) throws IOException {
        String model = req.path("model").asText();
        boolean known = jobs.values().stream().anyMatch(j -> model.equals(j.fineTunedModel)
                || j.checkpoints.stream().anyMatch(c -> model.equals(c.path("fine_tuned_model_checkpoint").asText())));
        if (!known) {
            error(ex, 404, "The model `" + model + "` does not exist or you do not have access to it.", "model_not_found", null);
            return;
        }
        String user = "";
        for (JsonNode msg : req.path("messages")) if (msg.path("role").asText().equals("user")) user = msg.path("content").asText();
        ObjectNode r = JSON.createObjectNode().put("id", "chatcmpl-1").put("object", "chat.completion").put("created", T0).put("model", model);
        ObjectNode choice = r.putArray("choices").addObject().put("index", 0);
        choice.putObject("message").put("role", "assistant").put("content", "tuned " + model + " says: " + user).putNull("refusal");
        choice.putNull("logprobs").put("finish_reason", "stop");
        r.putObject("usage").put("prompt_tokens", 5).put("completion_tokens", 7).put("total_tokens", 12);
        send(ex, 200, r);
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> q = new HashMap<>();
        if (raw == null) return q;
        for (String kv : raw.split("&")) {
            int eq = kv.indexOf('=');
            if (eq > 0) q.put(URLDecoder.decode(kv.substring(0, eq), StandardCharsets.UTF_8), URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return q;
    }

    private static void error(HttpExchange ex, int status, String message, String code, String param) throws IOException {
        ObjectNode e = JSON.createObjectNode();
        ObjectNode err = e.putObject("error").put("message", message)
                .put("type", status == 429 ? "requests" : status >= 500 ? "server_error" : "invalid_request_error");
        if (param == null) err.putNull("param");
        else err.put("param", param);
        if (code == null) err.putNull("code");
        else err.put("code", code);
        send(ex, status, e);
    }

    private static void send(HttpExchange ex, int status, JsonNode body) throws IOException {
        byte[] b = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(body);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
