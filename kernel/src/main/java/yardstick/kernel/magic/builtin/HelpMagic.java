package yardstick.kernel.magic.builtin;

import yardstick.kernel.magic.Magic;
import yardstick.kernel.magic.MagicCall;
import yardstick.kernel.magic.MagicException;

/** {@code %help NAME}: the usage and description of one magic. */
public final class HelpMagic implements Magic {
    @Override
    public String name() {
        return "help";
    }

    @Override
    public String usage() {
        return "%help NAME";
    }

    @Override
    public String help() {
        return "Shows the usage and description of the magic NAME (written with or without its % signs).";
    }

    @Override
    public Object run(MagicCall call) throws MagicException {
        if (call.words().size() != 1) throw new MagicException("needs exactly one magic name");
        String name = call.words().get(0).replaceFirst("^%{1,2}", "");
        Magic m = call.context().magics().get(name);
        if (m == null) throw new MagicException("no magic named '" + name + "'; %lsmagic lists them");
        System.out.print("usage: " + m.usage() + "\n\n" + m.help() + "\n");
        return null;
    }
}
