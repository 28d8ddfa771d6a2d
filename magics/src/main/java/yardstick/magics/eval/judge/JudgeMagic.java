package yardstick.magics.eval.judge;

import java.util.Set;
import yardstick.kernel.magic.Args;
import yardstick.kernel.magic.Magic;
import yardstick.kernel.magic.MagicCall;
import yardstick.kernel.magic.MagicException;
import yardstick.magics.eval.EvalException;
import yardstick.magics.eval.Evals;
import yardstick.magics.eval.stats.Bootstrap;
import yardstick.magics.llm.Llm;
import yardstick.magics.llm.LlmException;
import yardstick.magics.track.TrackedRun;
import yardstick.magics.track.Tracking;

/**
 * {@code %%judge NAME --model M [--shots N]} defines a set's LLM judge (the body is the rubric);
 * {@code %judge calibrate NAME} measures it against the people's ratings.
 */
public final class JudgeMagic implements Magic {
    private static final Args.Spec DEFINE = Args.Spec.of(Set.of("--model", "--shots"), Set.of());
    private static final Args.Spec CALIBRATE = Args.Spec.of(Set.of("--rounds", "--seed"), Set.of());

    @Override
    public String name() {
        return "judge";
    }

    @Override
    public String usage() {
        return "%%judge NAME --model M [--shots N]  (body: the rubric) | %judge calibrate NAME [--rounds 1000] [--seed 42]";
    }

    @Override
    public String help() {
        return "%%judge defines the LLM judge of an eval set: the model, the rubric in the cell body, and up to --shots "
                + "(default 3) examples people rated, shown to the judge as graded examples. The judge answers a 1-5 score "
                + "and a rationale; an answer without one is a judge failure, not a zero. Use it with %%eval --scorers judge. "
                + "%judge calibrate grades every output people rated and reports quadratic-weighted kappa, Spearman and "
                + "exact agreement with bootstrap 95% intervals per rater, the raters' agreement with each other as the "
                + "ceiling (with Krippendorff's alpha over all raters), and a confusion matrix. Ratings from %review pages count.";
    }

    @Override
    public Object run(MagicCall call) throws Exception {
        try {
            if (call.isCell()) return define(call);
            Args a = call.args(CALIBRATE);
            if (a.positionals().size() != 2 || !a.positionals().get(0).equals("calibrate")) throw new MagicException("usage: " + usage());
            String set = a.positionals().get(1);
            Evals.set(set);  // an unknown set is named as such, not as a set without a judge
            if (!(Evals.judge(set) instanceof Judge j)) throw new MagicException("set " + set + " has no judge: define one with %%judge " + set + " --model M");
            Bootstrap bootstrap;
            try {
                bootstrap = new Bootstrap(a.intOption("--rounds", Bootstrap.DEFAULT_ROUNDS), a.intOption("--seed", (int) Bootstrap.DEFAULT_SEED));
            } catch (IllegalArgumentException e) {
                throw new MagicException(e.getMessage());
            }
            Calibration c = Calibration.run(set, j, bootstrap);
            log(set, j, c, call.context().cellSource());
            int failures = c.judgeFailures();
            if (failures == 1) System.out.println("1 judge answer has no 1-5 score and is left out.");
            if (failures > 1) System.out.println(failures + " judge answers have no 1-5 score and are left out.");
            call.context().display(c.table());
            if (c.raterAgreement() != null) {
                System.out.println("The raters' agreement with each other, the ceiling for the judge:");
                call.context().display(c.raterAgreement().table());
            }
            return c.chart();
        } catch (EvalException | LlmException e) {
            throw new MagicException(e.getMessage());
        }
    }

    private Object define(MagicCall call) throws MagicException {
        Args a = call.args(DEFINE);
        if (a.positionals().size() != 1) throw new MagicException("usage: %%judge NAME --model M [--shots N]");
        String set = a.positionals().get(0);
        String model = a.option("--model", null);
        if (model == null) throw new MagicException("name the judge's model: --model M");
        Evals.set(set);
        Judge j = new Judge(set, call.body(), Llm.model(model).withTemperature(0), model, a.intOption("--shots", 3));
        Evals.judge(set, j);
        return "Judge for " + set + ": " + model + ", " + a.intOption("--shots", 3) + " rated examples at most.";
    }

    private static void log(String set, Judge j, Calibration c, String cell) {
        try {
            Tracking t = Tracking.global();
            if (!t.enabled()) return;
            try (TrackedRun run = t.child("judge calibration " + set, "judge", cell)) {
                run.param("eval_set", set);
                run.param("judge_model", j.modelName());
                run.param("rubric", j.rubric());
                run.metric("judge_failures", c.judgeFailures());
                for (Calibration.Row r : c.rows()) {
                    String p = r.comparison().replaceAll("[^A-Za-z0-9_\\-. /]", "_");
                    if (!Double.isNaN(r.kappa().value())) run.metric(p + " kappa", r.kappa().value());
                    if (!Double.isNaN(r.spearman().value())) run.metric(p + " spearman", r.spearman().value());
                    if (!Double.isNaN(r.exact().value())) run.metric(p + " exact", r.exact().value());
                }
                run.table("calibration", c.table());
                if (c.raterAgreement() != null && Double.isFinite(c.raterAgreement().alpha().value())) {
                    run.metric("raters alpha", c.raterAgreement().alpha().value());
                }
            }
        } catch (RuntimeException e) {
            System.err.println("Yardstick: the calibration was not logged: " + e.getMessage());
        }
    }
}
