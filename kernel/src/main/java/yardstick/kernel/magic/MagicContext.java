package yardstick.kernel.magic;

import java.nio.file.Path;
import java.util.List;
import yardstick.kernel.eval.Outcome;

/** What a magic may do in the notebook it runs in. */
public interface MagicContext {
    /** Evaluates Java (and magics) as if it were a cell. */
    Outcome eval(String code);

    /** The live value of a variable or expression; a clear error when it does not exist. */
    Object value(String expression) throws MagicException;

    /** Shows a value now, below the running cell; returns its display id. */
    String display(Object value);

    /** Makes a jar or class directory usable from later cells. */
    void addToClasspath(Path path);

    /** Name, type and value text of every variable declared so far. */
    List<String[]> variables();

    /** The directory relative paths resolve against: the notebook's. */
    Path workingDirectory();

    /** The source of the cell being run, for logging. */
    String cellSource();

    MagicRegistry magics();

    /** The notebook's environment: the process's, with what %env set on top. */
    Environment env();
}
