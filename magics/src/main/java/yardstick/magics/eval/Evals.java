package yardstick.magics.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import yardstick.magics.YardstickHome;
import yardstick.magics.llm.BatchProgress;
import yardstick.magics.llm.Llm;
import yardstick.magics.track.TrackedRun;
import yardstick.magics.track.Tracking;

/**
 * Evals from Java, and what the eval magics share: eval sets by name, Java systems, each set's judge, and the latest
 * outputs of every system on every set. Sets, outputs, ratings and votes are kept on disk under
 * {@code YARDSTICK_HOME/evals/NAME/}, so a later session can rate, vote and resume.
 */
public final class Evals {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, EvalSet> SETS = new ConcurrentHashMap<>();
    private static final Map<String, EvalSystem> SYSTEMS = new ConcurrentHashMap<>();
    private static final Map<String, BiFunction<Map<String, String>, String, String>> FUNCTIONS = new ConcurrentHashMap<>();
    private static final Map<String, Scorer> SCORERS = new ConcurrentHashMap<>();
    private static final Map<String, SetJudge> JUDGES = new ConcurrentHashMap<>();
    private static final Map<String, EvalResult> LAST = new ConcurrentHashMap<>();

    private Evals() {}

    /** A new, empty set, replacing any set of that name. */
    public static EvalSet create(String name) {
        EvalSet s = new EvalSet(name);
        SETS.put(name, s);
        return s;
    }

    /** Makes a set known by its name (and saves it), so magics can name it. */
    public static EvalSet register(EvalSet set) {
        SETS.put(set.name(), set);
        save(set);
        return set;
    }

    /** The set of this name: this session's, else the one saved on disk. */
    public static EvalSet set(String name) {
        EvalSet s = SETS.get(name);
        if (s != null) return s;
        Path f = dir(name).resolve("set.jsonl");
        if (Files.isRegularFile(f)) {
            s = EvalSet.fromJsonl(name, f);
            SETS.put(name, s);
            return s;
        }
        throw new EvalException("no eval set named '" + name + "': create one with %eval new " + name + " or %eval load " + name + " FILE");
    }

    public static void save(EvalSet set) {
        set.save(dir(set.name()).resolve("set.jsonl"));
    }

    /** Registers Java code as a system that {@code %%eval --model NAME} can run: it gets the row and the prompt. */
    public static void system(String name, BiFunction<Map<String, String>, String, String> answer) {
        SYSTEMS.put(name, EvalSystem.of(name, answer));
        FUNCTIONS.put(name, answer);
    }

    /** As {@link #system(String, BiFunction)}; a lambda given here is serializable, so it also answers on Spark. */
    public static void system(String name, SystemFunction answer) {
        system(name, (BiFunction<Map<String, String>, String, String>) answer);
    }

    /** The function registered as system {@code name}, or null (a model, or nothing). */
    public static BiFunction<Map<String, String>, String, String> systemFunction(String name) {
        return FUNCTIONS.get(name);
    }

    /** Registers a scorer (such as a class defined in a cell) under its name, for {@code --scorers ...,NAME}. */
    public static void scorer(Scorer scorer) {
        String name = scorer.name();
        if (name == null || !name.matches("[A-Za-z_][\\w-]*")) {
            throw new EvalException("a scorer's name is a word (letters, digits, '_' or '-'), not '" + name + "'");
        }
        if (Scorers.BUILT_IN.contains(name.toLowerCase(java.util.Locale.ROOT))) {
            throw new EvalException("'" + name + "' is a built-in scorer: give yours another name");
        }
        SCORERS.put(name.toLowerCase(java.util.Locale.ROOT), scorer);
    }

    /** Registers a lambda as the scorer {@code name}: {@code Evals.scorer("short", (row, out) -> Score.pass(out.length() < 80))}. */
    public static void scorer(String name, ScoreFunction score) {
        scorer(new Scorers.FunctionScorer(name, score));
    }

    /** The scorer registered under {@code name} (any case), or null. */
    public static Scorer registeredScorer(String name) {
        return SCORERS.get(name.toLowerCase(java.util.Locale.ROOT));
    }

    /** A registered Java system, else the model of that name from {@code llm}. */
    public static EvalSystem resolve(String name, BatchProgress progress) {
        EvalSystem s = SYSTEMS.get(name);
        if (s != null) return s;
        return new ModelSystem(name, Llm.model(name), progress);
    }

    /** Makes this the set's judge, which the {@code judge} scorer uses. */
    public static void judge(String set, SetJudge judge) {
        JUDGES.put(set, judge);
    }

    /** The judge defined for a set with {@code %%judge NAME --model M}; null when there is none. */
    public static SetJudge judge(String set) {
        return JUDGES.get(set);
    }

    /** Runs the set on each system, scores every output, logs a child run per system, and keeps the outputs. */
    public static EvalResult run(String setName, String template, List<String> systems, String scorers) {
        return run(set(setName), template, systems, scorers, null, BatchProgress.NONE);
    }

    public static EvalResult run(EvalSet set, String template, List<String> systems, String scorerList, String cell,
            BatchProgress progress) {
        Scorers.Context ctx = new Scorers.Context(workingDirectory(), set.fields(), arg -> {
            SetJudge j = judge(set.name());
            if (j == null) throw new EvalException("set " + set.name() + " has no judge: define one with %%judge " + set.name() + " --model M");
            return j.scorer();
        }, SharedEmbedder::get);
        List<Scorer> scorers = Scorers.parse(scorerList, ctx);
        List<EvalSystem> resolved = new ArrayList<>();
        for (String s : systems) resolved.add(resolve(s, progress));
        EvalResult r = new EvalRunner(set, template, scorers).run(resolved, cell);
        save(set);
        SETS.put(set.name(), set);
        LAST.put(set.name(), r);
        return r;
    }

    /** The latest eval of a set in this session (its rows and summary tables), for plotting and comparing. */
    public static EvalResult last(String set) {
        EvalResult r = LAST.get(set);
        if (r == null) throw new EvalException("set " + set + " has not been run in this session: run %%eval " + set + " first");
        return r;
    }

    /** The directory of a set's saved state. */
    public static Path dir(String set) {
        return YardstickHome.resolve().resolve("evals").resolve(set);
    }

    /** Appends one JSON object as a line to a set's file (ratings, votes, outputs): saved as soon as it is given. */
    public static synchronized void append(String set, String file, ObjectNode line) {
        Path f = dir(set).resolve(file);
        try {
            Files.createDirectories(f.getParent());
            Files.writeString(f, line.toString() + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new EvalException("cannot save to " + f + ": " + e.getMessage(), e);
        }
    }

    /** Every line of a set's file, parsed; an unreadable last line (a crash mid-write) is skipped. */
    public static synchronized List<JsonNode> lines(String set, String file) {
        Path f = dir(set).resolve(file);
        List<JsonNode> out = new ArrayList<>();
        if (!Files.isRegularFile(f)) return out;
        try {
            List<String> all = Files.readAllLines(f, StandardCharsets.UTF_8);
            for (int i = 0; i < all.size(); i++) {
                if (all.get(i).isBlank()) continue;
                try {
                    out.add(JSON.readTree(all.get(i)));
                } catch (IOException e) {
                    if (i < all.size() - 1) throw new EvalException(f + " line " + (i + 1) + " is not JSON");
                }
            }
        } catch (IOException e) {
            throw new EvalException("cannot read " + f + ": " + e.getMessage(), e);
        }
        return out;
    }

    /**
     * The latest output of each system on each row of a set, as {@code system -> key -> output}; with {@code runId},
     * only the outputs logged to that run.
     */
    public static Map<String, Map<String, String>> outputs(String set, String runId) {
        Map<String, Map<String, String>> m = new LinkedHashMap<>();
        for (JsonNode l : lines(set, "outputs.jsonl")) {
            if (runId != null && !runId.equals(l.path("run_id").asText())) continue;
            if (l.path("output").isNull() || l.path("output").isMissingNode()) continue;
            m.computeIfAbsent(l.path("model").asText(), k -> new LinkedHashMap<>()).put(l.path("key").asText(), l.path("output").asText());
        }
        return m;
    }

    static void log(EvalResult r, String system, Map<String, String> params, String cell, String[] runId) {
        try {
            Tracking t = Tracking.global();
            if (!t.enabled()) return;
            try (TrackedRun run = t.child("eval " + r.set().name() + " · " + system, "eval", cell)) {
                run.params(params);
                run.param("eval_set", r.set().name());
                run.param("eval_set_digest", r.digest());
                run.param("template", r.template());
                run.param("scorers", String.join(",", r.scorers()));
                run.input(r.set().name(), r.set().toTable(), "eval set " + r.set().name());
                r.metrics(system).forEach(run::metric);
                run.table("rows", r.rows(system));
                try {
                    runId[0] = run.id();
                } catch (IllegalStateException slowTracker) {
                    runId[0] = null;
                }
            }
        } catch (RuntimeException e) {
            // Logging must never cost the person their scores.
            System.err.println("Yardstick: the eval of " + system + " was not logged: " + e.getMessage());
        }
    }

    static void keepOutputs(EvalResult r, String system, String runId) {
        EvalResult.Outputs o = r.outputs(system);
        for (int i = 0; i < r.set().size(); i++) {
            ObjectNode l = JSON.createObjectNode();
            l.put("model", system).put("key", r.set().key(i)).put("digest", r.digest());
            if (o.outputs()[i] == null) l.putNull("output");
            else l.put("output", o.outputs()[i]);
            if (o.errors()[i] != null) l.put("error", o.errors()[i]);
            if (runId != null) l.put("run_id", runId);
            l.put("time", System.currentTimeMillis());
            append(r.set().name(), "outputs.jsonl", l);
        }
    }

    static Path workingDirectory() {
        try {
            return yardstick.kernel.Session.active().workingDirectory();
        } catch (IllegalStateException noNotebook) {
            return Path.of(System.getProperty("user.dir"));
        }
    }
}
