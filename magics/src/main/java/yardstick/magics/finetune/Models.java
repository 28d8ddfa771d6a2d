package yardstick.magics.finetune;

import java.io.IOException;
import java.nio.file.Path;
import yardstick.magics.finetune.job.JobException;
import yardstick.magics.llm.Llm;
import yardstick.magics.llm.Model;

/** Trained models, ready to use: {@code Models.classifier(runId).predict("text")}, {@code Models.lm(jobId).complete("...")}. */
public final class Models {
    private Models() {}

    /** The classifier a finished {@code classify} job trained, by its run id or job id. */
    public static Classifier classifier(String runOrJobId) {
        Path file = Finetune.jobs().result(runOrJobId);
        try {
            return Classifier.load(file);
        } catch (IOException | IllegalArgumentException e) {
            throw new JobException("cannot load the classifier of " + runOrJobId + ": " + e.getMessage(), e);
        }
    }

    /** The language model a finished {@code lm} job trained, as the model {@code local:PATH} for prompting. */
    public static Model lm(String runOrJobId) {
        return Llm.model(lmName(runOrJobId));
    }

    /** The name under which {@code %%prompt --model NAME} reaches a finished lm job's model. */
    public static String lmName(String runOrJobId) {
        return "local:" + Finetune.jobs().result(runOrJobId).toAbsolutePath();
    }
}
