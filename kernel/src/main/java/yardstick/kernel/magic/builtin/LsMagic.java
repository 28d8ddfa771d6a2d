package yardstick.kernel.magic.builtin;

import yardstick.kernel.magic.Magic;
import yardstick.kernel.magic.MagicCall;
import yardstick.kernel.magic.MagicException;

/** {@code %lsmagic}: every magic this notebook knows, with its usage. */
public final class LsMagic implements Magic {
    @Override
    public String name() {
        return "lsmagic";
    }

    @Override
    public String usage() {
        return "%lsmagic";
    }

    @Override
    public String help() {
        return "Lists every magic this notebook knows, built in or registered by a module, with its usage. "
                + "%help NAME says more about one.";
    }

    @Override
    public Object run(MagicCall call) throws MagicException {
        if (!call.words().isEmpty()) throw new MagicException("takes no arguments");
        int width = call.context().magics().all().stream().mapToInt(m -> m.name().length()).max().orElse(0);
        StringBuilder out = new StringBuilder("Magics (%name for a line, %%name for a whole cell):\n");
        for (Magic m : call.context().magics().all()) {
            out.append("  ").append(m.name()).append(" ".repeat(width - m.name().length() + 2))
                    .append(m.usage()).append('\n');
        }
        System.out.print(out);
        return null;
    }
}
