package yardstick.kernel.magic.builtin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import yardstick.kernel.magic.Magic;
import yardstick.kernel.magic.MagicCall;
import yardstick.kernel.magic.MagicException;

/** {@code %load FILE}: runs a file of Java (and magics) as if it were a cell. */
public final class LoadMagic implements Magic {
    @Override
    public String name() {
        return "load";
    }

    @Override
    public String usage() {
        return "%load FILE";
    }

    @Override
    public String help() {
        return "Reads FILE (relative to the notebook's directory) and runs it as a cell: its declarations stay "
                + "defined and the value of its last expression is shown.";
    }

    @Override
    public Object run(MagicCall call) throws Exception {
        if (call.words().size() != 1) throw new MagicException("needs exactly one file");
        Path file = call.context().workingDirectory().resolve(call.words().get(0)).normalize();
        if (!Files.isRegularFile(file)) throw new MagicException("no such file: " + file);
        String code;
        try {
            code = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new MagicException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return CellCode.run(call.context(), code);
    }
}
