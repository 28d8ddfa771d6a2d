package yardstick.magics.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import yardstick.magics.llm.LlmException;
import yardstick.magics.llm.Template;

/** Runs one eval: checks every row has what the template and scorers need, then prompts, scores, logs and keeps. */
final class EvalRunner {
    private final EvalSet set;
    private final String template;
    private final List<Scorer> scorers;
    private final List<String> prompts;

    EvalRunner(EvalSet set, String template, List<Scorer> scorers) {
        this.set = set;
        this.template = template;
        this.scorers = scorers;
        if (set.size() == 0) throw new EvalException("eval set " + set.name() + " has no rows");
        Template t;
        try {
            t = Template.of(template);
        } catch (LlmException e) {
            throw new EvalException(e.getMessage());
        }
        for (int i = 0; i < set.size(); i++) {
            Map<String, String> row = set.row(i);
            for (String f : t.placeholders()) {
                if (row.get(f) == null) {
                    throw new EvalException("row " + (i + 1) + " (key " + set.key(i) + ") of " + set.name() + " has no field '" + f
                            + "', which the template needs as {{" + f + "}}; nothing was sent");
                }
            }
            for (Scorer s : scorers) {
                for (String f : s.fields()) {
                    if (row.get(f) == null) {
                        throw new EvalException("row " + (i + 1) + " (key " + set.key(i) + ") of " + set.name() + " has no field '" + f
                                + "', which scorer " + s.name() + " compares with; nothing was sent");
                    }
                }
            }
        }
        List<String> p = new ArrayList<>();
        for (Map<String, String> row : set.rows()) p.add(t.render(row::get));
        this.prompts = p;
    }

    List<String> prompts() {
        return prompts;
    }

    EvalResult run(List<EvalSystem> systems, String cell) {
        List<String> names = new ArrayList<>();
        for (Scorer s : scorers) {
            if (names.contains(s.name())) throw new EvalException("scorer " + s.name() + " is listed twice");
            names.add(s.name());
        }
        EvalResult result = new EvalResult(set, template, names);
        for (EvalSystem sys : systems) {
            int n = set.size();
            String[] outputs = new String[n], errors = new String[n];
            try {
                sys.answer(set.rows(), prompts, outputs, errors);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EvalException("interrupted while " + sys.name() + " was answering");
            }
            Map<String, List<Score>> scores = new LinkedHashMap<>();
            List<String> outs = java.util.Arrays.asList(outputs);
            for (Scorer s : scorers) scores.put(s.name(), s.scoreAll(set.rows(), outs));
            result.put(new EvalResult.Outputs(sys.name(), outputs, errors, scores, null));
            String[] runId = new String[1];
            Evals.log(result, sys.name(), sys.params(), cell, runId);
            result.put(new EvalResult.Outputs(sys.name(), outputs, errors, scores, runId[0]));
            Evals.keepOutputs(result, sys.name(), runId[0]);
        }
        return result;
    }
}
