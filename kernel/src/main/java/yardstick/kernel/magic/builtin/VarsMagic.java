package yardstick.kernel.magic.builtin;

import java.util.List;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import yardstick.kernel.magic.Magic;
import yardstick.kernel.magic.MagicCall;
import yardstick.kernel.magic.MagicException;

/** {@code %vars}: the variables declared so far, as a table of name, type and value. */
public final class VarsMagic implements Magic {
    /** Long values are cut so one big collection cannot flood the table. */
    static final int MAX_VALUE_CHARS = 120;

    @Override
    public String name() {
        return "vars";
    }

    @Override
    public String usage() {
        return "%vars";
    }

    @Override
    public String help() {
        return "Shows every variable declared so far (not JShell's $N result variables) with its type and "
                + "value, as a table.";
    }

    @Override
    public Object run(MagicCall call) throws MagicException {
        if (!call.words().isEmpty()) throw new MagicException("takes no arguments");
        List<String[]> vars = call.context().variables();
        if (vars.isEmpty()) {
            System.out.println("No variables are defined.");
            return null;
        }
        StringColumn name = StringColumn.create("name"), type = StringColumn.create("type");
        StringColumn value = StringColumn.create("value");
        for (String[] v : vars) {
            name.append(v[0]);
            type.append(v[1]);
            value.append(shorten(v[2]));
        }
        return Table.create("variables", name, type, value);
    }

    private static String shorten(String s) {
        String oneLine = s.replace("\r", "").replace('\n', ' ');
        return oneLine.length() <= MAX_VALUE_CHARS ? oneLine : oneLine.substring(0, MAX_VALUE_CHARS - 1) + "…";
    }
}
