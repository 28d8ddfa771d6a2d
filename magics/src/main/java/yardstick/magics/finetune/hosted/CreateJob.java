package yardstick.magics.finetune.hosted;

/**
 * The body of {@code POST /fine_tuning/jobs}: the base {@code model}, the uploaded {@code training_file} and
 * {@code validation_file} (null: none), the {@code hyperparameters} ({@code n_epochs}, {@code batch_size},
 * {@code learning_rate_multiplier}; each null is left out, which the API reads as "auto"), a model name {@code suffix} and a
 * {@code seed} (null: none).
 */
public record CreateJob(String model, String trainingFile, String validationFile, Integer nEpochs, Integer batchSize,
        Double learningRateMultiplier, String suffix, Long seed) {}
