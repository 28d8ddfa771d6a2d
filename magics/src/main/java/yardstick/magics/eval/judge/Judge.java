package yardstick.magics.eval.judge;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import yardstick.magics.eval.EvalException;
import yardstick.magics.eval.EvalSet;
import yardstick.magics.eval.Evals;
import yardstick.magics.eval.Rating;
import yardstick.magics.eval.Ratings;
import yardstick.magics.eval.Score;
import yardstick.magics.eval.Scorer;
import yardstick.magics.eval.SetJudge;
import yardstick.magics.llm.LlmException;
import yardstick.magics.llm.Message;
import yardstick.magics.llm.Model;

/**
 * An LLM judge: a model, a rubric, and up to {@code shots} examples people already rated, which grades an output 1–5
 * with a rationale. An answer without a 1–5 score is a judge failure (recorded as such, never as a zero). Few-shot
 * examples never include the item being judged, so calibrating on rated rows does not show the judge the answer.
 */
public final class Judge implements SetJudge {
    static final String SYSTEM = "You grade one answer against a rubric. Reply with exactly two lines:\n"
            + "Score: N   (an integer from 1, worst, to 5, best)\nRationale: one or two sentences.";
    private static final Pattern SCORE_LINE = Pattern.compile("(?im)^[\\s*#>_-]*score[\\s*_]*[:=][\\s*_]*([0-9]+(?:\\.[0-9]+)?)(\\s*/\\s*5)?");
    private static final Pattern JSON_SCORE = Pattern.compile("\"score\"\\s*:\\s*\"?([0-9]+(?:\\.[0-9]+)?)");
    private static final Pattern RATIONALE = Pattern.compile("(?is)rationale[\\s*_]*[:=][\\s*_]*(.+)");
    private static final Pattern JSON_RATIONALE = Pattern.compile("\"rationale\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

    private final String set;
    private final String rubric;
    private final Model model;
    private final String modelName;
    private final int shots;
    /** The examples to draw from; null: read from Yardstick's home when grading. */
    private final Examples given;

    /**
     * What a judge with shots draws its examples from, kept in Yardstick's home: the set's ratings, and the set's rows
     * by key (a rated item's fields).
     */
    public record Examples(List<Rating> rated, Map<String, Map<String, String>> rows) implements Serializable {
        static final Examples NONE = new Examples(List.of(), Map.of());

        /** The set's as they are now. */
        public static Examples of(String set) {
            List<Rating> rated = Ratings.all(set);
            Map<String, Map<String, String>> rows = new HashMap<>();
            if (!rated.isEmpty()) {
                for (var r : Evals.set(set).rows()) rows.putIfAbsent(EvalSet.key(r), new LinkedHashMap<>(r));
            }
            return new Examples(new ArrayList<>(rated), rows);
        }
    }

    public Judge(String set, String rubric, Model model, String modelName, int shots) {
        this(set, rubric, model, modelName, shots, null);
    }

    private Judge(String set, String rubric, Model model, String modelName, int shots, Examples given) {
        if (rubric == null || rubric.isBlank()) throw new EvalException("a judge needs a rubric: write it in the cell body");
        if (shots < 0) throw new EvalException("--shots must be 0 or more, not " + shots);
        this.set = set;
        this.rubric = rubric.strip();
        this.model = model;
        this.modelName = modelName;
        this.shots = shots;
        this.given = given;
    }

    /** This judge drawing its examples from {@code examples} rather than the home it runs with (Spark's executors). */
    public Judge withExamples(Examples examples) {
        return new Judge(set, rubric, model, modelName, shots, examples);
    }

    public String rubric() {
        return rubric;
    }

    public String modelName() {
        return modelName;
    }

    /** The model that grades, with its options (Spark rebuilds it on executors). */
    public Model model() {
        return model;
    }

    public String set() {
        return set;
    }

    public int shots() {
        return shots;
    }

    /** Reads a judge's answer: "Score: 4" (also "**Score:** 4/5" or {"score": 4}) and its rationale; anything else fails. */
    public static Score parse(String answer) {
        if (answer == null) return Score.failure("the judge gave no answer");
        String s = answer.strip();
        String number = null;
        Matcher m = SCORE_LINE.matcher(s);
        if (m.find()) number = m.group(1);
        else if ((m = JSON_SCORE.matcher(s)).find()) number = m.group(1);
        else if (s.matches("[1-5](\\s*/\\s*5)?\\.?")) number = s.substring(0, 1);
        if (number == null) return Score.failure("judge failure: no score in \"" + abbreviate(s) + "\"");
        double v = Double.parseDouble(number);
        if (v != Math.rint(v) || v < 1 || v > 5) return Score.failure("judge failure: score " + number + " is not an integer 1-5");
        String rationale = "";
        Matcher r = RATIONALE.matcher(s);
        if (r.find()) rationale = r.group(1).strip();
        else if ((r = JSON_RATIONALE.matcher(s)).find()) rationale = r.group(1);
        return Score.of(v, rationale);
    }

    /** The messages sent to grade one output: rubric, examples (not this item), the row's fields and the output. */
    public List<Message> messages(Map<String, String> row, String key, String output, List<Rating> rated, Map<String, Map<String, String>> rowsByKey) {
        StringBuilder u = new StringBuilder("Rubric:\n").append(rubric).append("\n\n");
        List<Rating> examples = examples(rated, key, output);
        if (!examples.isEmpty()) {
            u.append("Examples people graded:\n\n");
            for (Rating e : examples) {
                Map<String, String> er = rowsByKey.get(e.key());
                u.append(fields(er)).append("Answer:\n").append(e.output()).append("\nScore: ").append(e.score());
                if (!e.comment().isBlank()) u.append("\nRationale: ").append(e.comment());
                u.append("\n\n");
            }
        }
        u.append("Now grade this.\n\n").append(fields(row)).append("Answer:\n").append(output);
        return List.of(Message.system(SYSTEM), Message.user(u.toString()));
    }

    /** Up to {@code shots} rated examples spread over the scale (one per score first), never the item itself. */
    List<Rating> examples(List<Rating> rated, String key, String output) {
        if (shots == 0) return List.of();
        List<Rating> pool = new ArrayList<>();
        for (Rating r : rated) if (!(r.key().equals(key) && r.output().equals(output))) pool.add(r);
        pool.sort(Comparator.comparing(Rating::key).thenComparing(Rating::model).thenComparing(Rating::rater));
        List<Rating> picked = new ArrayList<>();
        for (int score = 5; score >= 1 && picked.size() < shots; score--) {
            for (Rating r : pool) {
                if (r.score() == score) {
                    picked.add(r);
                    break;
                }
            }
        }
        for (Rating r : pool) {
            if (picked.size() >= shots) break;
            if (!picked.contains(r)) picked.add(r);
        }
        return picked;
    }

    private static String fields(Map<String, String> row) {
        StringBuilder sb = new StringBuilder();
        if (row == null) return "";
        row.forEach((k, v) -> {
            if (!k.equals("id")) sb.append(k).append(":\n").append(v).append("\n");
        });
        return sb.toString();
    }

    /** Grades each (row, output); null outputs are failures. Calls run {@code model.concurrency()} at a time. */
    public List<Score> grade(List<Map<String, String>> rows, List<String> keys, List<String> outputs) {
        Examples examples = shots == 0 ? Examples.NONE : given != null ? given : Examples.of(set);
        List<Rating> rated = examples.rated();
        Map<String, Map<String, String>> rowsByKey = new HashMap<>();
        for (int i = 0; i < rows.size(); i++) rowsByKey.put(keys.get(i), rows.get(i));
        examples.rows().forEach(rowsByKey::putIfAbsent);
        List<Score> out = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(model.concurrency(), rows.size())),
                Thread.ofVirtual().name("judge-", 0).factory())) {
            List<Future<Score>> futures = new ArrayList<>();
            for (int i = 0; i < rows.size(); i++) {
                int k = i;
                futures.add(pool.submit(() -> {
                    if (outputs.get(k) == null) return Score.failure("no output");
                    try {
                        return parse(model.complete(messages(rows.get(k), keys.get(k), outputs.get(k), rated, rowsByKey), null).text());
                    } catch (LlmException e) {
                        return Score.failure("judge call failed: " + e.getMessage());
                    }
                }));
            }
            for (Future<Score> f : futures) out.add(f.get());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EvalException("interrupted while judging");
        } catch (java.util.concurrent.ExecutionException e) {
            throw new EvalException("the judge failed: " + e.getCause());
        }
        return out;
    }

    /** The judge as the {@code judge} scorer of {@code %%eval}. */
    @Override
    public Scorer scorer() {
        return new Scorer() {
            public String name() {
                return "judge";
            }

            public Score score(Map<String, String> row, String output) {
                return scoreAll(List.of(row), java.util.Collections.singletonList(output)).get(0);
            }

            public List<Score> scoreAll(List<Map<String, String>> rows, List<String> outputs) {
                List<String> keys = rows.stream().map(yardstick.magics.eval.EvalSet::key).toList();
                return grade(rows, keys, outputs);
            }
        };
    }

    private static String abbreviate(String s) {
        String one = s.replaceAll("\\s+", " ");
        return one.length() <= 80 ? one : one.substring(0, 77) + "...";
    }
}
