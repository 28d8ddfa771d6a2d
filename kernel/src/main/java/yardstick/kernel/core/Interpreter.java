package yardstick.kernel.core;

import java.util.List;
import yardstick.kernel.comm.CommManager;
import yardstick.kernel.display.MimeBundle;
import yardstick.kernel.eval.CellError;
import yardstick.kernel.eval.Traceback;
import yardstick.kernel.history.History;
import yardstick.kernel.output.OutputSink;

/**
 * What a kernel's language does, in domain values and no JSON, as xeus's {@code xinterpreter}: {@link KernelCore}
 * turns requests into these calls and their results into replies. Positions are UTF-16 indices into the code.
 */
public interface Interpreter extends AutoCloseable {
    /** Who the kernel is, for kernel_info. */
    Info info();

    /**
     * Runs a cell and renders its value: output goes to {@code sink}; the result is the rendered value (null when
     * the cell has none, or is silent) or the cell's error. {@code store} keeps the cell in history.
     */
    Execution execute(Cell cell, OutputSink sink);

    /** The rendered value of one expression, for user_expressions: evaluated without output or history. */
    Execution evaluate(String expression);

    Completion complete(String code, int cursor);

    /** Documentation of what is at the cursor (more with a higher detail level), or null when there is none. */
    MimeBundle inspect(String code, int cursor, int detailLevel);

    Completeness isComplete(String code);

    List<History.Entry> history(HistoryQuery query);

    /** Stops the running cell; called from another thread. */
    void interrupt();

    /** The comms of the session; the core routes comm_open, comm_msg, comm_close and comm_info to them. */
    CommManager comms();

    @Override
    void close();

    /** A cell to run: its code, its execution count, whether it is silent and whether history keeps it. */
    record Cell(String code, int executionCount, boolean silent, boolean store) {}

    /** What running a cell produced: a rendered value (or none), or an error. */
    record Execution(MimeBundle result, CellError error) {
        public static final Execution NOTHING = new Execution(null, null);

        public boolean ok() {
            return error == null;
        }

        /** The error's traceback as IPython shows one: coloured, library frames folded. */
        public List<String> traceback() {
            return Traceback.render(error.traceback());
        }
    }

    /** Completion matches replacing code[start, end). */
    record Completion(List<String> matches, int start, int end) {}

    /** "complete", "incomplete" (with the indent of the next line) or "invalid". */
    record Completeness(String status, String indent) {}

    /** A history_request: access "tail", "range" or "search", and that access's arguments. */
    record HistoryQuery(String access, int session, int start, int stop, int n, String pattern, boolean unique) {}

    record Info(String implementation, String implementationVersion, String banner, String language,
                String languageVersion, String mimetype, String fileExtension, String pygmentsLexer,
                String codemirrorMode, List<HelpLink> helpLinks) {}

    record HelpLink(String text, String url) {}
}
