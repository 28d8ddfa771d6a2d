package yardstick.magics.llm;

import yardstick.kernel.magic.Magic;
import yardstick.kernel.magic.MagicCall;
import yardstick.kernel.magic.MagicException;

/** {@code %models}: the models this notebook can prompt. */
public final class ModelsMagic implements Magic {
    @Override
    public String name() {
        return "models";
    }

    @Override
    public String usage() {
        return "%models";
    }

    @Override
    public String help() {
        return "Lists the models %%prompt and Llm.model can name: entries of ~/.yardstick/models.yaml (YARDSTICK_HOME "
                + "overrides the folder), the endpoint OPENAI_BASE_URL / OPENAI_API_KEY describe, and 'local'. Keys "
                + "are shown only as set or unset.";
    }

    @Override
    public Object run(MagicCall call) throws MagicException {
        if (!call.words().isEmpty()) throw new MagicException("%models takes no arguments");
        try {
            return Llm.models();
        } catch (LlmException e) {
            throw new MagicException(e.getMessage());
        }
    }
}
