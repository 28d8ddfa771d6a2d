package yardstick.spark;

import yardstick.kernel.magic.MagicCall;
import yardstick.kernel.magic.MagicException;
import yardstick.magics.engine.Engine;

/** {@code --engine spark}: the magics' batch work on the connected Spark cluster. */
public final class SparkEngine implements Engine {
    @Override
    public String name() {
        return "spark";
    }

    @Override
    public Object run(String magic, MagicCall call) throws Exception {
        try {
            return switch (magic) {
                case "prompt" -> SparkPrompt.run(call);
                case "eval" -> SparkEval.run(call);
                case "rag index" -> SparkIndex.run(call);
                default -> throw new MagicException(magic + " does not run on Spark yet");
            };
        } catch (SparkException e) {
            throw new MagicException(e.getMessage(), e);
        }
    }
}
