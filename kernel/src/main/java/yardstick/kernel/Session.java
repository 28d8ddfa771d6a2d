package yardstick.kernel;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jdk.jshell.SourceCodeAnalysis;
import yardstick.kernel.comm.CommManager;
import yardstick.kernel.core.Interpreter;
import yardstick.kernel.display.MimeBundle;
import yardstick.kernel.display.Renderers;
import yardstick.kernel.eval.CellError;
import yardstick.kernel.eval.EvaluatorStart;
import yardstick.kernel.eval.JavaEvaluator;
import yardstick.kernel.eval.Javadoc;
import yardstick.kernel.eval.Outcome;
import yardstick.kernel.guard.ExitGuard;
import yardstick.kernel.guard.SystemExit;
import yardstick.kernel.history.History;
import yardstick.kernel.magic.CellFailure;
import yardstick.kernel.magic.Environment;
import yardstick.kernel.magic.Magic;
import yardstick.kernel.magic.MagicCall;
import yardstick.kernel.magic.MagicContext;
import yardstick.kernel.magic.MagicException;
import yardstick.kernel.magic.MagicRegistry;
import yardstick.kernel.output.OutputRoute;
import yardstick.kernel.output.OutputSink;
import yardstick.kernel.output.RoutingOutputStream;

/**
 * A notebook's live state, independent of how cells arrive (Jupyter or a headless run): the Java evaluator,
 * magics, renderers and comms. JShell starts on a thread of its own ({@link EvaluatorStart}), in a kernel once its
 * sockets answer, so a kernel can answer kernel_info at once while the first cell waits only for what is left of it.
 */
public final class Session implements Interpreter {
    public static final String VERSION = version();
    private static final Pattern MAGIC_PREFIX = Pattern.compile("(?m)^\\s*(%%?)(\\w*)$");
    private static volatile Session active;

    private final EvaluatorStart evaluator;
    private final Renderers renderers;
    private final MagicRegistry magics;
    private final CommManager comms;
    private final Path workingDirectory;
    private volatile Thread magicThread;
    private volatile boolean closed;
    private volatile History history;

    public Session(Path workingDirectory, CommManager comms) {
        this(workingDirectory, comms, startEvaluator());
    }

    /** A session whose JShell was started already, by {@link #startEvaluator()}. */
    public Session(Path workingDirectory, CommManager comms, EvaluatorStart evaluator) {
        // Libraries log through SLF4J or java.util.logging: warnings reach the cell's stderr, their info chatter
        // (such as Lucene's note on the vector API at the first search) does not, unless logging was configured.
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel",
                System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn"));
        if (System.getProperty("java.util.logging.config.file") == null
                && System.getProperty("java.util.logging.config.class") == null) {
            java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
        }
        RoutingOutputStream.install();
        this.workingDirectory = workingDirectory.toAbsolutePath();
        this.comms = comms;
        ClassLoader loader = Session.class.getClassLoader();
        this.renderers = new Renderers(loader);
        this.magics = new MagicRegistry(loader);
        this.evaluator = evaluator;
        active = this;
        ExitGuard.sessionOpened();
    }

    private static String version() {
        String v = Session.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0" : v;
    }

    /** Keeps the cells run with {@code store} in this history, which history requests then read. */
    public Session keepHistory(History history) {
        this.history = history;
        return this;
    }

    @Override
    public Info info() {
        int feature = Runtime.version().feature();
        return new Info("yardstick", VERSION, "Yardstick " + VERSION + ": Java " + Runtime.version() + " (JShell)",
                "java", Runtime.version().toString(), "text/x-java-source", ".jshell", "java", "text/x-java",
                List.of(new HelpLink("Java " + feature + " API", "https://docs.oracle.com/en/java/javase/" + feature + "/docs/api/"),
                        new HelpLink("JShell guide", "https://docs.oracle.com/en/java/javase/" + feature + "/jshell/")));
    }

    /**
     * Runs a cell and renders its value: the one execute-and-render step of the Jupyter kernel and of a headless
     * run. A value whose own code (its toString) fails to render is the cell's error.
     */
    @Override
    public Execution execute(Cell cell, OutputSink sink) {
        History h = history;
        if (cell.store() && h != null) h.add(cell.executionCount(), cell.code());
        Outcome outcome = execute(cell.code(), sink, "cell [" + cell.executionCount() + "]");
        if (!outcome.ok()) return new Execution(null, outcome.error());
        if (!outcome.hasValue() || cell.silent()) return Execution.NOTHING;
        Rendered r = renderResult(outcome.value());
        return r.error() != null ? new Execution(null, r.error()) : new Execution(r.bundle(), null);
    }

    @Override
    public Execution evaluate(String expression) {
        Outcome o = evaluator().valueOf(expression);
        if (!o.ok()) return new Execution(null, o.error());
        Rendered r = renderResult(o.value());
        return new Execution(r.bundle(), r.error());
    }

    @Override
    public Completion complete(String code, int cursor) {
        Matcher m = MAGIC_PREFIX.matcher(code.substring(0, cursor));
        if (m.find() && m.end() == cursor) {
            List<String> names = new ArrayList<>();
            for (Magic magic : magics.all()) if (magic.name().startsWith(m.group(2))) names.add(magic.name());
            return new Completion(names, m.start(2), cursor);
        }
        int[] anchor = new int[1];
        List<String> found = evaluator().complete(code, cursor, anchor);
        return new Completion(found, anchor[0], cursor);
    }

    @Override
    public MimeBundle inspect(String code, int cursor, int detailLevel) {
        return help(code, cursor, detailLevel > 0);
    }

    @Override
    public Completeness isComplete(String code) {
        boolean notJava = code.stripLeading().startsWith("%") || HELP.matcher(code.strip()).matches();
        String status = notJava ? "complete" : evaluator().completeness(code);
        return new Completeness(status, "incomplete".equals(status) ? "    " : "");
    }

    @Override
    public List<History.Entry> history(HistoryQuery q) {
        History h = history;
        if (h == null) return List.of();
        return switch (q.access()) {
            case "range" -> h.range(q.session(), q.start(), q.stop());
            case "search" -> h.search(q.pattern(), q.n(), q.unique());
            default -> h.tail(q.n());
        };
    }

    /**
     * Starts the JShell of a session on a thread of its own: the first thing a kernel does, so that everything else
     * it does before its first cell runs beside it.
     */
    public static EvaluatorStart startEvaluator() {
        return prepareEvaluator().open();
    }

    /** A session's JShell start, begun by {@link EvaluatorStart#open()} or by the first cell. */
    public static EvaluatorStart prepareEvaluator() {
        return EvaluatorStart.prepare(System.getProperty("java.class.path"), List.of(Notebook.class.getName()),
                List.of(Notebook.class.getName() + ".*"));
    }

    /** The session cells in this JVM talk to. */
    public static Session active() {
        Session s = active;
        if (s == null) throw new IllegalStateException("no notebook session is running in this JVM");
        return s;
    }

    public JavaEvaluator evaluator() {
        return evaluator.get();
    }

    public MagicRegistry magics() {
        return magics;
    }

    public CommManager comms() {
        return comms;
    }

    public Path workingDirectory() {
        return workingDirectory;
    }

    public MimeBundle render(Object value) {
        return renderers.render(value);
    }

    /** A cell's value rendered for display, or the cell's error when the value's own code (its toString) fails. */
    public Rendered renderResult(Object value) {
        try {
            return new Rendered(render(value), null);
        } catch (RuntimeException | OutOfMemoryError | StackOverflowError | SystemExit e) {
            return new Rendered(null, CellError.of(e.getClass().getSimpleName(), "the cell's value cannot be shown: " + e));
        }
    }

    /** What {@link #renderResult} made: a bundle to show, or the error that replaces it. */
    public record Rendered(MimeBundle bundle, CellError error) {}

    /**
     * Runs a cell: a cell magic when its first line is {@code %%name}, else Java with {@code %name} line magics
     * between statements. Output goes to {@code sink}; {@code label} names the cell in stack traces.
     */
    public Outcome execute(String cell, OutputSink sink, String label) {
        OutputRoute route = new OutputRoute(sink);
        route.enter();
        Outcome outcome;
        try {
            outcome = run(cell, label);
        } catch (SystemExit e) {
            outcome = exitRefused(e);  // from the kernel's own thread (a magic, a value's display)
        } finally {
            route.flush();
        }
        // Also when a thread the cell started called System.exit, the cell caught what the guard threw, or it
        // reached the cell wrapped (reflection): the cell's error is then the refused exit, its own trace kept below.
        SystemExit refused = ExitGuard.takeRefused(route);
        if (refused == null || (!outcome.ok() && outcome.error().ename().equals("SystemExit"))) return outcome;
        Outcome exit = exitRefused(refused);
        if (outcome.ok()) return exit;
        List<String> tb = new ArrayList<>(exit.error().traceback());
        tb.addAll(outcome.error().traceback());
        return new Outcome(false, null, new CellError(exit.error().ename(), exit.error().evalue(), tb));
    }

    private static Outcome exitRefused(SystemExit e) {
        return failed(SystemExit.class.getSimpleName(), e.getMessage(), null);
    }

    /** {@code ?name}, {@code name?} (documentation) and {@code ??name}, {@code name??} (and source), as in IPython. */
    static final Pattern HELP = Pattern.compile("^(\\?{1,2})\\s*([\\w$.]+)\\s*$|^([\\w$.]+)\\s*(\\?{1,2})$");

    /**
     * Documentation of what is at a cursor, rendered (text/plain and text/html): signatures, Javadoc, and with
     * {@code source} the source of the cells' own declarations of that name; null when there is none.
     */
    public MimeBundle help(String code, int cursor, boolean source) {
        List<SourceCodeAnalysis.Documentation> docs = evaluator().documentation(code, cursor);
        List<String> sources = List.of();
        if (source) {
            int start = cursor, end = cursor;
            while (start > 0 && Character.isJavaIdentifierPart(code.charAt(start - 1))) start--;
            while (end < code.length() && Character.isJavaIdentifierPart(code.charAt(end))) end++;
            if (end > start) sources = evaluator().sourcesOf(code.substring(start, end));
        }
        if (docs.isEmpty() && sources.isEmpty()) return null;
        StringBuilder text = new StringBuilder(), html = new StringBuilder();
        for (SourceCodeAnalysis.Documentation d : docs) {
            Javadoc.Rendered r = Javadoc.render(d.javadoc());
            text.append(d.signature()).append("\n");
            html.append("<pre><b>").append(Javadoc.escape(d.signature())).append("</b></pre>");
            if (!r.text().isEmpty()) text.append("\n").append(r.text()).append("\n\n");
            html.append(r.html());
        }
        for (String src : sources) {
            text.append("\nSource:\n").append(src).append("\n");
            html.append("<p><b>Source:</b></p><pre>").append(Javadoc.escape(src)).append("</pre>");
        }
        return new MimeBundle().put("text/html", html.toString()).put("text/plain", text.toString().strip());
    }

    private Outcome run(String cell, String label) {
        Matcher help = HELP.matcher(cell.strip());
        if (help.matches()) {
            String name = help.group(2) != null ? help.group(2) : help.group(3);
            String marks = help.group(1) != null ? help.group(1) : help.group(4);
            MimeBundle page = help(name, name.length(), marks.length() == 2);
            OutputSink sink = OutputRoute.current().sink();
            if (page == null) sink.stream("stdout", "Object `" + name + "` not found.\n");
            else sink.display(page, java.util.UUID.randomUUID().toString(), false);
            return new Outcome(false, null, null);
        }
        String trimmed = cell.stripLeading();
        if (trimmed.startsWith("%%")) {
            int nl = trimmed.indexOf('\n');
            String header = nl < 0 ? trimmed.substring(2) : trimmed.substring(2, nl);
            String body = nl < 0 ? "" : trimmed.substring(nl + 1);
            return magic(header, body, cell);
        }
        Outcome last = new Outcome(false, null, null);
        List<String> lines = cell.lines().toList();
        List<String> code = new ArrayList<>();
        int codeStart = 1;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (isLineMagic(line)) {
                if (!String.join("", code).isBlank()) {
                    last = evaluator().evaluate(String.join("\n", code), new JavaEvaluator.Location(label, codeStart));
                    if (!last.ok()) return last;
                }
                code.clear();
                codeStart = i + 2;
                last = magic(line.strip().substring(1), null, cell);
                if (!last.ok()) return last;
            } else {
                code.add(line);
            }
        }
        if (!String.join("", code).isBlank()) {
            last = evaluator().evaluate(String.join("\n", code), new JavaEvaluator.Location(label, codeStart));
        }
        return last;
    }

    private static boolean isLineMagic(String line) {
        String s = line.strip();
        return s.length() > 1 && s.charAt(0) == '%' && Character.isLetter(s.charAt(1));
    }

    private Outcome magic(String header, String body, String cell) {
        String h = header.strip();
        int sp = indexOfSpace(h);
        String name = sp < 0 ? h : h.substring(0, sp);
        String raw = sp < 0 ? "" : h.substring(sp + 1).strip();
        String form = (body == null ? "%" : "%%") + name;
        Magic magic = magics.get(name);
        if (magic == null) {
            return failed("UnknownMagic", "no magic named " + form + "; %lsmagic lists them", null);
        }
        magicThread = Thread.currentThread();
        try {
            Object value = magic.run(new MagicCall(name, raw, body, new Context(cell)));
            return new Outcome(value != null, value, null);
        } catch (CellFailure e) {
            return new Outcome(false, null, e.error());
        } catch (MagicException e) {
            return failed("MagicError", form + ": " + e.getMessage(), "usage: " + magic.usage());
        } catch (InterruptedException e) {
            return failed("Interrupted", form + " was interrupted", null);
        } catch (SystemExit e) {
            return exitRefused(e);
        } catch (Exception e) {
            return failed(e.getClass().getSimpleName(), form + " failed: " + e.getMessage(), null);
        } finally {
            magicThread = null;
            Thread.interrupted();
        }
    }

    private static int indexOfSpace(String s) {
        for (int i = 0; i < s.length(); i++) if (Character.isWhitespace(s.charAt(i))) return i;
        return -1;
    }

    private static Outcome failed(String ename, String evalue, String usage) {
        List<String> tb = new ArrayList<>();
        tb.add(ename + ": " + evalue);
        if (usage != null) tb.add(usage);
        return new Outcome(false, null, new CellError(ename, evalue, tb));
    }

    /** Stops the running cell: the Java snippet, or the magic's thread. */
    public void interrupt() {
        Thread t = magicThread;
        if (t != null) t.interrupt();
        if (evaluator.started()) evaluator().interrupt();
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        ExitGuard.sessionClosed();
        OutputRoute.detach();
        if (evaluator.started()) evaluator().close();
        if (active == this) active = null;
    }

    /** What magics see of this session. */
    private final class Context implements MagicContext {
        private final String cell;

        Context(String cell) {
            this.cell = cell;
        }

        @Override
        public Outcome eval(String code) {
            // While JShell runs the code, an interrupt must reach it through stop(): interrupting this thread, which
            // only waits for the snippet's thread, would end the wait and leave the snippet running.
            Thread t = magicThread;
            magicThread = null;
            try {
                return run(code, "cell");
            } finally {
                magicThread = t;
            }
        }

        @Override
        public Object value(String expression) throws MagicException {
            Outcome o = evaluator().valueOf(expression);
            if (!o.ok()) throw new MagicException("no value for '" + expression + "': " + o.error().evalue());
            return o.value();
        }

        @Override
        public String display(Object value) {
            return Notebook.display(value);
        }

        @Override
        public void addToClasspath(Path path) {
            evaluator().addToClasspath(path.toAbsolutePath().toString());
        }

        @Override
        public List<String[]> variables() {
            return evaluator().variables();
        }

        @Override
        public Path workingDirectory() {
            return workingDirectory;
        }

        @Override
        public String cellSource() {
            return cell;
        }

        @Override
        public MagicRegistry magics() {
            return magics;
        }

        @Override
        public Environment env() {
            return Environment.shared();
        }
    }
}
