package yardstick.magics.finetune.train;

import java.util.Random;

/**
 * The training data of next-byte prediction: {@code batch} windows of {@code context + 1} bytes of a text, at offsets
 * drawn from a generator seeded by the seed and the step, so a step's batch is the same wherever it is drawn (the lm
 * task, and the bare loop its throughput is measured against).
 *
 * @param inputs  the first {@code context} bytes of each window, {@code batch × context}
 * @param targets the byte after each input byte
 */
public record ByteWindows(long[] inputs, long[] targets) {
    public static ByteWindows draw(byte[] text, int batch, int context, long seed, long step) {
        Random r = new Random(seed * 1_000_003L + step);
        long[] x = new long[batch * context], y = new long[batch * context];
        for (int i = 0; i < batch; i++) {
            int off = r.nextInt(text.length - context);
            for (int j = 0; j < context; j++) {
                x[i * context + j] = text[off + j] & 0xff;
                y[i * context + j] = text[off + j + 1] & 0xff;
            }
        }
        return new ByteWindows(x, y);
    }
}
