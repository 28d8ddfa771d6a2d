package yardstick.kernel.magic.builtin;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import yardstick.kernel.magic.Environment;
import yardstick.kernel.magic.Magic;
import yardstick.kernel.magic.MagicCall;
import yardstick.kernel.magic.MagicException;

/** {@code %env}: lists, shows or sets the notebook's environment variables. */
public final class EnvMagic implements Magic {
    /** Names whose values the listing hides, since notebooks get shared: IPython hides the same. */
    private static final Pattern SECRET = Pattern.compile("KEY|TOKEN|SECRET|PASS|CREDENTIAL");
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.]*");

    @Override
    public String name() {
        return "env";
    }

    @Override
    public String usage() {
        return "%env | %env NAME | %env NAME=VALUE";
    }

    @Override
    public String help() {
        return "Without arguments lists the environment (values of names with KEY, TOKEN, SECRET, PASS or CREDENTIAL "
                + "are hidden); with NAME shows one variable; with NAME=VALUE (or NAME VALUE) sets it for this "
                + "kernel: Yardstick's APIs and Notebook.env read it, though child processes see only the real one.";
    }

    @Override
    public Object run(MagicCall call) throws MagicException {
        Environment env = call.context().env();
        var words = call.words();
        if (words.isEmpty()) {
            StringBuilder out = new StringBuilder();
            for (Map.Entry<String, String> e : env.all().entrySet()) {
                boolean secret = SECRET.matcher(e.getKey().toUpperCase(Locale.ROOT)).find();
                out.append(e.getKey()).append('=').append(secret ? "<hidden>" : e.getValue()).append('\n');
            }
            System.out.print(out);
            return null;
        }
        String first = words.get(0);
        int eq = first.indexOf('=');
        if (words.size() == 1 && eq < 0) {
            String value = env.get(checked(first));
            if (value == null) throw new MagicException("no environment variable named " + first);
            System.out.println(value);
            return null;
        }
        String name, value;
        if (eq >= 0 && words.size() == 1) {
            name = first.substring(0, eq);
            value = first.substring(eq + 1);
        } else if (eq < 0 && words.size() == 2) {
            name = first;
            value = words.get(1);
        } else {
            throw new MagicException("expected NAME, NAME=VALUE or NAME VALUE");
        }
        env.set(checked(name), value);
        System.out.println("env: " + name + "=" + value);
        return null;
    }

    private static String checked(String name) throws MagicException {
        if (!NAME.matcher(name).matches()) throw new MagicException("'" + name + "' is not a variable name");
        return name;
    }
}
