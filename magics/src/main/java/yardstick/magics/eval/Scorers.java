package yardstick.magics.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import yardstick.magics.rag.embed.Embedder;

/**
 * The built-in scorers, and the {@code --scorers} list syntax: names separated by commas, each optionally with an
 * argument after a colon: {@code exact}, {@code exact:FIELD}, {@code contains[:FIELD]}, {@code regex:PATTERN},
 * {@code json}, {@code json:SCHEMA_FILE}, {@code rouge[:FIELD]}, {@code embedding[:FIELD]}, {@code judge}. Scorers
 * that compare with a reference read the field named, else the first of {@code expected}, {@code answer},
 * {@code reference}, {@code target} the set has.
 */
public final class Scorers {
    public static final List<String> REFERENCE_FIELDS = List.of("expected", "answer", "reference", "target");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+");

    private Scorers() {}

    /**
     * How a list is turned into scorers: where files are, how to make the judge and the embedder, and the scorers
     * registered from cells by name ({@link Evals#scorer}; null when there are none).
     */
    public record Context(Path directory, List<String> setFields, Function<String, Scorer> judge,
            java.util.function.Supplier<Embedder> embedder, Function<String, Scorer> registered) {
        public Context(Path directory, List<String> setFields, Function<String, Scorer> judge,
                java.util.function.Supplier<Embedder> embedder) {
            this(directory, setFields, judge, embedder, Evals::registeredScorer);
        }
    }

    /** The names the list syntax gives built-in scorers; a registered scorer takes another name. */
    public static final List<String> BUILT_IN = List.of("exact", "contains", "regex", "json", "rouge", "rouge_l", "rouge-l",
            "embedding", "judge");

    /** The scorer names a list mentions, lower-cased, without arguments. */
    public static List<String> names(String list) {
        List<String> out = new ArrayList<>();
        for (String item : list.split(",")) {
            String s = item.strip();
            if (s.isEmpty()) continue;
            int colon = s.indexOf(':');
            out.add((colon < 0 ? s : s.substring(0, colon)).toLowerCase(Locale.ROOT));
        }
        return out;
    }

    public static List<Scorer> parse(String list, Context ctx) {
        List<Scorer> out = new ArrayList<>();
        for (String item : list.split(",")) {
            String s = item.strip();
            if (s.isEmpty()) continue;
            int colon = s.indexOf(':');
            String name = (colon < 0 ? s : s.substring(0, colon)).toLowerCase(Locale.ROOT);
            String arg = colon < 0 ? null : s.substring(colon + 1);
            out.add(switch (name) {
                case "exact" -> exact(reference(arg, ctx.setFields()));
                case "contains" -> contains(reference(arg, ctx.setFields()));
                case "regex" -> {
                    if (arg == null || arg.isEmpty()) throw new EvalException("regex needs a pattern: regex:PATTERN");
                    yield regex(arg);
                }
                case "json" -> arg == null ? validJson() : jsonSchema(ctx.directory().resolve(arg));
                case "rouge", "rouge_l", "rouge-l" -> rougeL(reference(arg, ctx.setFields()));
                case "embedding" -> embedding(reference(arg, ctx.setFields()), ctx.embedder().get());
                case "judge" -> {
                    if (ctx.judge() == null) throw new EvalException("the judge scorer needs the set's judge: define it first with %%judge NAME --model M");
                    yield ctx.judge().apply(arg);
                }
                default -> {
                    Scorer r = ctx.registered() == null ? null : ctx.registered().apply(name);
                    if (r == null) throw new EvalException("unknown scorer '" + name + "': use exact, contains, regex:PATTERN, json, "
                            + "json:SCHEMA_FILE, rouge, embedding, judge or a scorer registered with Evals.scorer");
                    yield r;
                }
            });
        }
        if (out.isEmpty()) throw new EvalException("no scorers given");
        return out;
    }

    /** The reference field: the one named, else the first conventional one the set has. */
    static String reference(String named, List<String> fields) {
        if (named != null && !named.isEmpty()) return named;
        for (String f : REFERENCE_FIELDS) if (fields.contains(f)) return f;
        throw new EvalException("this scorer compares with a reference, and the set has none of " + REFERENCE_FIELDS
                + ": name the field, e.g. exact:FIELD");
    }

    /** 1 when the output, trimmed, equals the reference, trimmed. */
    public static Scorer exact(String field) {
        return simple("exact", field, (ref, out) -> Score.pass(out.strip().equals(ref.strip())));
    }

    /** 1 when the output contains the reference, ignoring case. */
    public static Scorer contains(String field) {
        return simple("contains", field, (ref, out) -> Score.pass(out.toLowerCase(Locale.ROOT).contains(ref.strip().toLowerCase(Locale.ROOT))));
    }

    /** 1 when the pattern is found anywhere in the output. */
    public static Scorer regex(String pattern) {
        Pattern p;
        try {
            p = Pattern.compile(pattern);
        } catch (PatternSyntaxException e) {
            throw new EvalException("regex '" + pattern + "' is not a valid pattern: " + e.getDescription());
        }
        return new Scorer() {
            public String name() {
                return "regex";
            }

            public Score score(Map<String, String> row, String output) {
                return Score.pass(p.matcher(output).find());
            }
        };
    }

    /** 1 when the output (with surrounding whitespace and a Markdown code fence removed) parses as JSON. */
    public static Scorer validJson() {
        return new Scorer() {
            public String name() {
                return "json";
            }

            public Score score(Map<String, String> row, String output) {
                try {
                    JSON.readTree(unfence(output));
                    return Score.of(1);
                } catch (IOException e) {
                    return Score.of(0, "not JSON: " + jsonError(e));
                }
            }
        };
    }

    /** 1 when the output is JSON that the schema (draft 2020-12 unless it says otherwise) accepts; the note says why not. */
    public static Scorer jsonSchema(Path schemaFile) {
        Schema schema;
        try {
            JsonNode node = JSON.readTree(Files.readString(schemaFile));
            schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(node);
        } catch (IOException e) {
            throw new EvalException("cannot read the JSON schema " + schemaFile + ": " + EvalSet.firstLine(e.getMessage()));
        } catch (RuntimeException e) {
            throw new EvalException(schemaFile + " is not a valid JSON schema: " + EvalSet.firstLine(e.getMessage()));
        }
        return new Scorer() {
            public String name() {
                return "json_schema";
            }

            public Score score(Map<String, String> row, String output) {
                JsonNode value;
                try {
                    value = JSON.readTree(unfence(output));
                } catch (IOException e) {
                    return Score.of(0, "not JSON: " + jsonError(e));
                }
                if (value == null) return Score.of(0, "empty output");
                List<Error> errors = schema.validate(value);
                return errors.isEmpty() ? Score.of(1) : Score.of(0, errors.get(0).toString());
            }
        };
    }

    /** ROUGE-L F1 (beta 1) between the output's and the reference's lower-cased words: 1 for the same word sequence. */
    public static Scorer rougeL(String field) {
        return simple("rouge_l", field, (ref, out) -> Score.of(rougeL(words(out), words(ref))));
    }

    /**
     * Cosine similarity of the output's and the reference's embeddings, -1 to 1: near 1 for the same meaning, near 0
     * (and sometimes just below) for unrelated text. Outputs are embedded in batches.
     */
    public static Scorer embedding(String field, Embedder embedder) {
        return new Scorer() {
            public String name() {
                return "embedding";
            }

            public List<String> fields() {
                return List.of(field);
            }

            public Score score(Map<String, String> row, String output) {
                return scoreAll(List.of(row), java.util.Collections.singletonList(output)).get(0);
            }

            public List<Score> scoreAll(List<Map<String, String>> rows, List<String> outputs) {
                List<String> texts = new ArrayList<>();
                for (int i = 0; i < rows.size(); i++) {
                    texts.add(outputs.get(i) == null ? "" : outputs.get(i));
                    texts.add(rows.get(i).getOrDefault(field, ""));
                }
                List<float[]> v = embedder.embed(texts);
                List<Score> s = new ArrayList<>();
                for (int i = 0; i < rows.size(); i++) {
                    if (outputs.get(i) == null) {
                        s.add(Score.failure("no output"));
                        continue;
                    }
                    float[] a = v.get(2 * i), b = v.get(2 * i + 1);
                    double dot = 0;
                    for (int d = 0; d < a.length; d++) dot += a[d] * b[d];
                    // Unit vectors in float: the same text can land a hair above 1.
                    s.add(Score.of(Math.max(-1, Math.min(1, dot))));
                }
                return s;
            }
        };
    }

    private static String jsonError(IOException e) {
        return e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : EvalSet.firstLine(e.getMessage());
    }

    static List<String> words(String s) {
        List<String> w = new ArrayList<>();
        var m = WORD.matcher(s.toLowerCase(Locale.ROOT));
        while (m.find()) w.add(m.group());
        return w;
    }

    /** ROUGE-L F1 from the longest common subsequence of two word lists. */
    static double rougeL(List<String> candidate, List<String> reference) {
        if (candidate.isEmpty() || reference.isEmpty()) return 0;
        int n = candidate.size(), m = reference.size();
        int[] prev = new int[m + 1], cur = new int[m + 1];
        for (int i = 1; i <= n; i++) {
            for (int j = 1; j <= m; j++) {
                cur[j] = candidate.get(i - 1).equals(reference.get(j - 1)) ? prev[j - 1] + 1 : Math.max(prev[j], cur[j - 1]);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        int lcs = prev[m];
        if (lcs == 0) return 0;
        double p = (double) lcs / n, r = (double) lcs / m;
        return 2 * p * r / (p + r);
    }

    /** The text inside a Markdown code fence, if the output is one; else the output, trimmed. */
    static String unfence(String s) {
        String t = s.strip();
        if (t.startsWith("```")) {
            int nl = t.indexOf('\n');
            int end = t.lastIndexOf("```");
            if (nl > 0 && end > nl) return t.substring(nl + 1, end).strip();
        }
        return t;
    }

    /** A cell's lambda as a scorer of that name. */
    record FunctionScorer(String name, ScoreFunction function) implements Scorer {
        @Override
        public Score score(Map<String, String> row, String output) {
            return function.score(row, output);
        }
    }

    private interface Compare extends java.io.Serializable {
        Score apply(String reference, String output);
    }

    private static Scorer simple(String name, String field, Compare c) {
        return new Scorer() {
            public String name() {
                return name;
            }

            public List<String> fields() {
                return List.of(field);
            }

            public Score score(Map<String, String> row, String output) {
                return c.apply(row.getOrDefault(field, ""), output);
            }
        };
    }
}
