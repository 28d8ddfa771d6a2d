package yardstick.magics.eval.arena;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import yardstick.kernel.Notebook;
import yardstick.kernel.comm.CommManager;
import yardstick.kernel.magic.Args;
import yardstick.kernel.magic.Magic;
import yardstick.kernel.magic.MagicCall;
import yardstick.kernel.magic.MagicException;
import yardstick.magics.eval.Answers;
import yardstick.magics.eval.Asking;
import yardstick.magics.eval.EvalException;
import yardstick.magics.eval.Evals;
import yardstick.magics.eval.stats.Bootstrap;
import yardstick.magics.track.TrackedRun;
import yardstick.magics.track.Tracking;

/**
 * {@code %arena NAME --models A,B[,C...]}: blind pairwise votes between the models' outputs on an eval set, then a
 * Bradley–Terry leaderboard; {@code %arena leaderboard NAME --models ...} shows the leaderboard only.
 */
public final class ArenaMagic implements Magic {
    private static final Args.Spec SPEC = Args.Spec.of(Set.of("--models", "--rater", "--answers", "--rounds", "--seed"), Set.of());

    @Override
    public String name() {
        return "arena";
    }

    @Override
    public String usage() {
        return "%arena NAME --models A,B[,C...] [--rater WHO] [--answers FILE] [--rounds 1000] | %arena leaderboard NAME --models A,B[,C...]";
    }

    @Override
    public String help() {
        return "Blind A/B comparison of the models' latest %%eval outputs on a set: each row's two outputs side by side in "
                + "random order, no names; vote A, B, tie or both bad; the models are revealed after the vote. In Jupyter "
                + "with widgets (ipywidgets 8) the votes are buttons; in front ends without widgets they are asked on stdin; where "
                + "neither works (nbconvert, headless runs) they come from --answers FILE (JSON lines with rater, key, models, winner). "
                + "Votes are saved as given and a later %arena resumes. The leaderboard is a Bradley-Terry fit (ties and "
                + "both-bad as half a win each) with bootstrap 95% intervals.";
    }

    @Override
    public Object run(MagicCall call) throws Exception {
        Args a = call.args(SPEC);
        List<String> pos = a.positionals();
        boolean boardOnly = pos.size() == 2 && pos.get(0).equals("leaderboard");
        if (pos.size() != 1 && !boardOnly) throw new MagicException("usage: " + usage());
        String set = boardOnly ? pos.get(1) : pos.get(0);
        String modelList = a.option("--models", null);
        if (modelList == null) throw new MagicException("name the models to compare: --models A,B");
        List<String> models = Arrays.stream(modelList.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
        int rounds = a.intOption("--rounds", Bootstrap.DEFAULT_ROUNDS);
        long seed = a.intOption("--seed", (int) Bootstrap.DEFAULT_SEED);
        try {
            if (boardOnly) return board(call, new Arena(set, models, "-", new Random(0)), rounds, seed);
            String rater = a.option("--rater", System.getProperty("user.name", "rater"));
            Arena arena = new Arena(set, models, rater, new SecureRandom());
            CommManager comms = Notebook.comms();
            String answers = a.option("--answers", null);
            switch (Asking.here(comms, answers)) {
                case WIDGETS -> {
                    return openWidget(comms, arena, rounds, seed).view();
                }
                case STDIN -> onStdin(arena);
                case ANSWERS -> System.out.println(fromAnswers(set, models, Answers.path(call.context().workingDirectory(), answers)));
            }
            return board(call, arena, rounds, seed);
        } catch (EvalException e) {
            throw new MagicException(e.getMessage());
        }
    }

    private static Object board(MagicCall call, Arena arena, int rounds, long seed) {
        Leaderboard lb = arena.leaderboard(rounds, seed);
        log(arena, lb, call.context().cellSource());
        if (lb.regularized()) System.out.println("Some model never lost or never won: ratings use a weak prior (one virtual tie per pair).");
        call.context().display(lb.table());
        return lb.chart();
    }

    /** The Jupyter widget: two blind outputs, vote buttons and Stop; each vote is saved, revealed, and followed by the next. */
    public static ArenaWidget openWidget(CommManager comms, Arena arena, int rounds, long seed) {
        return new ArenaWidget(comms, arena, rounds, seed);
    }

    private static void onStdin(Arena arena) {
        if (arena.next() == null) {
            System.out.println("Every battle already has a vote from " + arena.rater() + ".");
            return;
        }
        System.out.println(arena.remaining() + " blind battles (A, B, tie, bad; empty to stop).");
        while (arena.next() != null) {
            Arena.Battle b = arena.next();
            StringBuilder sb = new StringBuilder("\n");
            b.row().forEach((k, v) -> sb.append(k).append(": ").append(v).append('\n'));
            sb.append("A: ").append(b.outputA()).append("\nB: ").append(b.outputB());
            System.out.println(sb);
            String answer = Notebook.input("vote> ").strip();
            if (answer.isEmpty()) break;
            try {
                Vote v = arena.vote(Vote.Choice.parse(answer));
                System.out.println("A was " + v.modelA() + ", B was " + v.modelB() + ".");
            } catch (EvalException e) {
                System.out.println(e.getMessage());
            }
        }
    }

    public static String fromAnswers(String set, List<String> models, Path file) {
        Map<String, Arena> arenas = new LinkedHashMap<>();
        int applied = 0, skipped = 0;
        for (JsonNode l : readAnswers(file)) {
            if (!l.has("winner")) continue;  // a rating, for %rate
            JsonNode pair = l.path("models");
            if (!pair.isArray() || pair.size() != 2) throw new EvalException(file.getFileName() + ": a vote names its two models: \"models\": [A, B]");
            String rater = l.path("rater").asText(System.getProperty("user.name", "rater"));
            Arena a = arenas.computeIfAbsent(rater, r -> new Arena(set, models, r, new Random(r.hashCode())));
            Vote v = a.vote(l.path("key").asText(), pair.get(0).asText(), pair.get(1).asText(), l.path("winner").asText());
            if (v == null) skipped++;
            else applied++;
        }
        return "Saved " + applied + " votes from " + file.getFileName() + " (" + skipped + " already given) by " + arenas.keySet() + ".";
    }

    private static List<JsonNode> readAnswers(Path file) {
        return yardstick.magics.eval.Answers.read(file);
    }

    static void log(Arena arena, Leaderboard lb, String cell) {
        try {
            Tracking t = Tracking.global();
            if (!t.enabled()) return;
            try (TrackedRun run = t.child("arena " + arena.set(), "arena", cell)) {
                run.param("eval_set", arena.set());
                run.param("models", String.join(",", arena.models()));
                run.metric("votes", lb.votes());
                for (Leaderboard.Entry e : lb.entries()) run.metric("rating " + e.model().replaceAll("[^A-Za-z0-9_\\-. /]", "_"), e.rating());
                run.table("leaderboard", lb.table());
                run.artifact(Evals.dir(arena.set()).resolve("votes.jsonl"));
            }
        } catch (RuntimeException e) {
            System.err.println("Yardstick: the arena was not logged: " + e.getMessage());
        }
    }
}
