package yardstick.magics.finetune.train;

/** Training diverged: the loss is not a number, so every later step would be too. */
final class NanLossException extends RuntimeException {
    NanLossException(long step) {
        super("loss is NaN at step " + step + ": training diverged (try a lower --lr)");
    }
}
