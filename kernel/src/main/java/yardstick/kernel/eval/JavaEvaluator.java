package yardstick.kernel.eval;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.HashMap;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.ExpressionSnippet;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.UnresolvedReferenceException;
import jdk.jshell.VarSnippet;
import jdk.jshell.spi.ExecutionControl;

/**
 * Java evaluation with JShell in this JVM: cells of many snippets, live result values, errors located in the cell.
 * Not thread-safe: one thread evaluates; {@link #interrupt()} may be called from any thread.
 */
public final class JavaEvaluator implements AutoCloseable {
    static final List<String> STARTUP_IMPORTS = List.of(
            "java.io.*", "java.math.*", "java.net.*", "java.nio.file.*", "java.time.*", "java.util.*",
            "java.util.concurrent.*", "java.util.function.*", "java.util.regex.*", "java.util.stream.*");

    private final JShell shell;
    private final KernelExecutionControl control;
    /** Where each snippet came from, for stack traces: snippet id to its cell's label and first line. */
    private final Map<String, SnippetOrigin> origins = new ConcurrentHashMap<>();

    private record SnippetOrigin(String cell, int firstLine) {}

    /** Where the code being evaluated sits: a label for stack traces ("cell [3]") and its first line in the cell. */
    public record Location(String cell, int firstLine) {
        public static final Location CELL = new Location("cell", 1);
    }

    public JavaEvaluator(String classPath, List<String> imports, List<String> staticImports) {
        KernelExecutionControl.Provider provider = new KernelExecutionControl.Provider();
        shell = JShell.builder()
                .executionEngine(provider, Map.of())
                .fileManager(CachingFileManager::new)
                // An empty processor path: javac otherwise looks for plugins to start in every class-path jar.
                .compilerOptions("-Xlint:none", "-proc:none", "-processorpath", "")
                .build();
        // Through addToClasspath, not a --class-path compiler option: that option would be passed to every compile
        // and hide what later addToClasspath calls (%classpath, %maven) add.
        shell.addToClasspath(classPath);
        control = provider.control();
        List<String> startup = new ArrayList<>();
        for (String i : STARTUP_IMPORTS) startup.add("import " + i + ";");
        for (String i : imports) startup.add("import " + i + ";");
        for (String i : staticImports) startup.add("import static " + i + ";");
        // One snippet each, evaluated as they are rather than split as a cell: splitting needs JShell's source
        // analysis, whose first use starts its indexing of the whole class path (for completion) on a thread that
        // would compete with the first cell.
        for (String source : startup) {
            for (SnippetEvent e : shell.eval(source)) {
                if (e.status() == Snippet.Status.REJECTED) {
                    String why = shell.diagnostics(e.snippet()).map(d -> d.getMessage(Locale.ROOT)).findFirst().orElse("rejected");
                    throw new IllegalStateException("startup imports failed: " + source + ": " + why);
                }
            }
        }
    }

    /**
     * Begins JShell's indexing of the class path for completion, on its own thread; the first use of its source
     * analysis (a cell's splitting) begins it otherwise.
     */
    public void startCompletionIndex() {
        analysis();
    }

    /** JShell's source analysis, made on first use (see the constructor). */
    private SourceCodeAnalysis analysis() {
        return shell.sourceCodeAnalysis();
    }

    /**
     * Evaluates code as Python runs a cell: every snippet is compiled first, and when one does not compile nothing
     * runs and the declarations the cell added are dropped again; then the snippets run in order, stopping at the
     * first that throws. (A declaration that replaced an earlier one stays replaced, its initializer not run.)
     */
    public Outcome evaluate(String code, Location where) {
        List<SourceSplitter.Piece> pieces = SourceSplitter.split(analysis(), code);
        List<Step> steps = new ArrayList<>();
        List<Snippet> added = new ArrayList<>();
        control.defer();
        List<KernelExecutionControl.Deferred> runs;
        try {
            for (SourceSplitter.Piece piece : pieces) {
                int before = control.deferredCount();
                Step step = compile(code, piece, where, added);
                if (step.error() != null) {
                    control.takeDeferred();
                    for (int i = added.size() - 1; i >= 0; i--) shell.drop(added.get(i));
                    return Outcome.failed(step.error());
                }
                steps.add(new Step(step.notes(), step.expression(), null, control.deferredCount() > before));
            }
        } finally {
            runs = control.takeDeferred();
        }
        Outcome last = Outcome.NOTHING;
        int next = 0;
        for (Step step : steps) {
            control.takeLastValue();
            if (step.runs()) {
                try {
                    control.run(runs.get(next++));
                } catch (ExecutionControl.StoppedException e) {
                    // reported below, as the control saw it
                } catch (ExecutionControl.ExecutionControlException e) {
                    if (control.takeStopped()) return interrupted();
                    if (!step.notes().isEmpty()) System.err.print(step.notes());
                    return Outcome.failed(runtimeError(e));
                }
                if (control.takeStopped()) return interrupted();
            }
            if (!step.notes().isEmpty()) System.err.print(step.notes());
            last = step.expression() ? Outcome.value(control.takeLastValue()) : Outcome.NOTHING;
        }
        return last;
    }

    private static Outcome interrupted() {
        return Outcome.failed(CellError.of("Interrupted", "the cell was interrupted"));
    }

    /** One compiled snippet of a cell: notes for stderr, whether its value is the cell's, or why it failed. */
    private record Step(String notes, boolean expression, CellError error, boolean runs) {}

    private Step compile(String code, SourceSplitter.Piece piece, Location where, List<Snippet> added) {
        List<SnippetEvent> events = shell.eval(piece.source());
        StringBuilder notes = new StringBuilder();
        boolean expression = false;
        for (SnippetEvent e : events) {
            if (e.causeSnippet() != null) continue;
            Snippet s = e.snippet();
            origins.put(s.id(), new SnippetOrigin(where.cell(), where.firstLine() + lineOf(code, piece.offset()) - 1));
            if (e.status() == Snippet.Status.REJECTED) {
                return new Step("", false, compileError(code, piece, where, s), false);
            }
            if (e.exception() != null) return new Step("", false, runtimeError(e.exception()), false);
            if (e.status().isDefined() && !replaces(events, s)) added.add(s);
            if (e.status() == Snippet.Status.RECOVERABLE_DEFINED || e.status() == Snippet.Status.RECOVERABLE_NOT_DEFINED) {
                notes.append(unresolvedNote(s));
            }
            if (s instanceof ExpressionSnippet
                    || (s instanceof VarSnippet v && v.subKind() == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND)) {
                expression = true;
                break;
            }
        }
        return new Step(notes.toString(), expression, null, false);
    }

    /** Whether evaluating {@code s} overwrote an earlier snippet (a redefinition), which dropping would not restore. */
    private static boolean replaces(List<SnippetEvent> events, Snippet s) {
        for (SnippetEvent e : events) {
            if (e.causeSnippet() == s && e.status() == Snippet.Status.OVERWRITTEN) return true;
        }
        return false;
    }

    private String unresolvedNote(Snippet s) {
        List<String> missing = shell.unresolvedDependencies((jdk.jshell.DeclarationSnippet) s).toList();
        return "note: " + describe(s) + " cannot be used until " + String.join(", ", missing) + " is defined\n";
    }

    private static String describe(Snippet s) {
        return s instanceof jdk.jshell.DeclarationSnippet d ? d.kind().name().toLowerCase(Locale.ROOT).replace("_", " ")
                + " " + d.name() : "snippet";
    }

    private CellError compileError(String code, SourceSplitter.Piece piece, Location where, Snippet s) {
        List<String> lines = new ArrayList<>();
        String first = null;
        for (Diag d : shell.diagnostics(s).toList()) {
            if (!d.isError()) continue;
            int offset = piece.offset() + (int) Math.max(0, Math.min(d.getStartPosition(), piece.source().length()));
            int line = lineOf(code, offset);
            int col = offset - code.lastIndexOf('\n', offset - 1);
            String message = d.getMessage(Locale.ROOT).replaceAll("\\n\\s*location: class\\s*$", "");
            if (first == null) first = message.lines().findFirst().orElse(message);
            lines.add("line " + (where.firstLine() + line - 1) + ", column " + col + ": " + message);
            String src = code.lines().skip(line - 1).findFirst().orElse("");
            lines.add("    " + src);
            lines.add("    " + " ".repeat(Math.max(0, col - 1)) + "^");
        }
        if (first == null) {
            first = "the snippet was rejected: " + piece.source().strip();
            lines.add(first);
        }
        return new CellError("CompilationException", first, lines);
    }

    private CellError runtimeError(Throwable ex) {
        List<String> lines = new ArrayList<>();
        String ename = exceptionName(ex);
        String evalue = String.valueOf(ex.getMessage());
        if (ex instanceof UnresolvedReferenceException ue) {
            ename = "UnresolvedReferenceException";
            evalue = describe(ue.getSnippet()) + " cannot be used until "
                    + String.join(", ", shell.unresolvedDependencies(ue.getSnippet()).toList()) + " is defined";
            lines.add(ename + ": " + evalue);
        } else if (ex instanceof ExecutionControl.ResolutionException) {
            ename = "UnresolvedReferenceException";
            evalue = unresolvedAt(ex.getStackTrace());
            lines.add(ename + ": " + evalue);
        } else {
            lines.add(ename + (ex.getMessage() == null ? "" : ": " + ex.getMessage()));
        }
        appendFrames(ex, lines);
        Throwable cause = ex.getCause();
        Set<Throwable> seen = new LinkedHashSet<>();
        while (cause != null && seen.add(cause)) {
            lines.add("Caused by: " + exceptionName(cause) + (cause.getMessage() == null ? "" : ": " + cause.getMessage()));
            appendFrames(cause, lines);
            cause = cause.getCause();
        }
        int dot = ename.lastIndexOf('.');
        return new CellError(ename.substring(dot + 1), evalue, lines);
    }

    private static String exceptionName(Throwable t) {
        if (t instanceof EvalException e) return e.getExceptionClassName();
        if (t instanceof ExecutionControl.UserException u) return u.causeExceptionClass();
        return t.getClass().getName();
    }

    /** What a call to a method or class that is declared but not yet resolvable says, found by the frame it threw in. */
    private String unresolvedAt(StackTraceElement[] frames) {
        if (frames.length > 0) {
            String method = frames[0].getMethodName();
            for (jdk.jshell.DeclarationSnippet d : shell.methods().toList()) {
                if (d.name().equals(method) && shell.status(d) == Snippet.Status.RECOVERABLE_DEFINED) {
                    return describe(d) + " cannot be used until "
                            + String.join(", ", shell.unresolvedDependencies(d).toList()) + " is defined";
                }
            }
        }
        return "the code called something that cannot be used until what it refers to is defined";
    }

    private void appendFrames(Throwable t, List<String> lines) {
        Map<String, Snippet> wrappers = null;
        for (StackTraceElement f : t.getStackTrace()) {
            String cls = f.getClassName();
            if (cls.startsWith(KernelExecutionControl.class.getName()) || cls.startsWith("jdk.internal.reflect.")
                    || cls.startsWith("java.lang.reflect.Method")) break;
            Matcher wrap = WRAPPER_CLASS.matcher(cls);
            if (wrap.lookingAt()) {
                // A snippet's frame as JShell's own exceptions show it: the user's class, the snippet, its line.
                if (wrappers == null) wrappers = wrapperClasses();
                Snippet s = wrappers.get(wrap.group());
                String user = cls.substring(wrap.end()).replaceFirst("^\\$", "");
                String method = f.getMethodName().equals("do_it$") ? "" : f.getMethodName();
                int line = s == null ? f.getLineNumber() : snippetLine(s, f.getLineNumber());
                f = new StackTraceElement(user, method, s == null ? null : "#" + s.id(), line);
                cls = user;
            }
            String file = f.getFileName();
            if (file != null && file.startsWith("#")) {
                SnippetOrigin o = origins.get(file.substring(1));
                String where = o == null ? file : o.cell() + " line " + (o.firstLine() + f.getLineNumber() - 1);
                String name = (cls.isEmpty() ? "" : cls + ".") + f.getMethodName();
                lines.add("\tat " + (name.isEmpty() ? "" : name) + "(" + where + ")");
            } else {
                lines.add("\tat " + f);
            }
        }
    }

    private static final Pattern WRAPPER_CLASS = Pattern.compile("REPL\\.\\$JShell\\$\\d+");

    /** Each live snippet by the name of the class JShell wrapped it in. */
    private Map<String, Snippet> wrapperClasses() {
        Map<String, Snippet> m = new HashMap<>();
        shell.snippets().forEach(s -> {
            try {
                m.putIfAbsent(analysis().wrapper(s).fullClassName(), s);
            } catch (RuntimeException ignored) {
                // a snippet JShell never wrapped (rejected)
            }
        });
        return m;
    }

    /** The 1-based line in a snippet's source of a 1-based line of the class JShell wrapped it in. */
    private int snippetLine(Snippet s, int wrappedLine) {
        SourceCodeAnalysis.SnippetWrapper w = analysis().wrapper(s);
        String wrapped = w.wrapped();
        int pos = 0;
        for (int l = 1; l < wrappedLine && pos >= 0; l++) pos = wrapped.indexOf('\n', pos) + 1;
        if (pos <= 0 && wrappedLine > 1) return wrappedLine;
        while (pos < wrapped.length() && Character.isWhitespace(wrapped.charAt(pos)) && wrapped.charAt(pos) != '\n') pos++;
        int src = w.wrappedToSourcePosition(pos);
        return src < 0 ? 1 : lineOf(w.source(), src);
    }

    static int lineOf(String code, int offset) {
        int line = 1;
        for (int i = 0; i < offset && i < code.length(); i++) if (code.charAt(i) == '\n') line++;
        return line;
    }

    /** The live value of an expression, evaluated without leaving a temporary variable behind. */
    public Outcome valueOf(String expression) {
        List<SnippetEvent> events = shell.eval(expression);
        Object value = control.takeLastValue();
        for (SnippetEvent e : events) {
            if (e.causeSnippet() != null) continue;
            Snippet s = e.snippet();
            try {
                if (e.status() == Snippet.Status.REJECTED) {
                    return Outcome.failed(compileError(expression,
                            new SourceSplitter.Piece(expression, 0, expression.length(), true), Location.CELL, s));
                }
                if (e.exception() != null) return Outcome.failed(runtimeError(e.exception()));
                return Outcome.value(value);
            } finally {
                if (s instanceof VarSnippet v && v.subKind() == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND) shell.drop(s);
            }
        }
        return Outcome.failed(CellError.of("CompilationException", "not an expression: " + expression));
    }

    /**
     * The variables a person declared (not JShell's {@code $1} result variables): name, type and the value's text
     * as a cell's result shows it (arrays in full, by {@code Arrays.deepToString}).
     */
    public List<String[]> variables() {
        List<String[]> vars = new ArrayList<>();
        shell.variables().forEach(v -> {
            if (!v.name().startsWith("$")) vars.add(new String[] {v.name(), v.typeName(), valueText(v)});
        });
        return vars;
    }

    private String valueText(VarSnippet v) {
        try {
            return yardstick.kernel.display.TextRenderer.text(control.liveValue(analysis().wrapper(v).fullClassName(), v.name()));
        } catch (Exception | LinkageError e) {
            return safeValue(v);
        }
    }

    private String safeValue(VarSnippet v) {
        try {
            return shell.varValue(v);
        } catch (RuntimeException e) {
            return "<" + e.getMessage() + ">";
        }
    }

    /** Completion candidates at a cursor (UTF-16 index) in a cell; the replaced range starts at {@code anchor[0]}. */
    public List<String> complete(String code, int cursor, int[] anchor) {
        SourceSplitter.Piece piece = pieceAt(code, cursor);
        int local = cursor - piece.offset();
        String src = code.substring(piece.offset(), Math.max(piece.offset(), Math.min(code.length(), piece.end())));
        int[] a = new int[1];
        List<SourceCodeAnalysis.Suggestion> suggestions = analysis().completionSuggestions(src, Math.max(0, local), a);
        anchor[0] = piece.offset() + a[0];
        LinkedHashSet<String> typed = new LinkedHashSet<>(), other = new LinkedHashSet<>();
        for (SourceCodeAnalysis.Suggestion s : suggestions) (s.matchesType() ? typed : other).add(s.continuation());
        typed.addAll(other);
        return new ArrayList<>(typed);
    }

    /** Signature and javadoc of what is at the cursor, or an empty list. */
    public List<SourceCodeAnalysis.Documentation> inspect(String code, int cursor) {
        SourceSplitter.Piece piece = pieceAt(code, cursor);
        String src = code.substring(piece.offset(), Math.max(piece.offset(), Math.min(code.length(), piece.end())));
        return analysis().documentation(src, Math.max(0, cursor - piece.offset()), true);
    }

    /**
     * JShell documents a method only with the cursor inside its argument list and a type only at the end of its
     * name, while front ends send the cursor wherever it is, often on or just after a name: so when the cursor's
     * place finds nothing, ask again at the end of the name under the cursor, then as if "(" followed that name.
     */
    public List<SourceCodeAnalysis.Documentation> documentation(String code, int cursor) {
        List<SourceCodeAnalysis.Documentation> docs = inspect(code, cursor);
        int end = cursor;
        while (end < code.length() && Character.isJavaIdentifierPart(code.charAt(end))) end++;
        if (!docs.isEmpty() || end == 0 || !Character.isJavaIdentifierPart(code.charAt(end - 1))) return docs;
        if (end > cursor) docs = inspect(code, end);
        return docs.isEmpty() ? inspect(code.substring(0, end) + "(", end + 1) : docs;
    }

    /** The source of what the cells declared under a name (methods, classes, variables), as last defined. */
    public List<String> sourcesOf(String name) {
        List<String> sources = new ArrayList<>();
        shell.snippets().forEach(s -> {
            if (s instanceof jdk.jshell.DeclarationSnippet d && d.name().equals(name) && shell.status(s).isActive()) {
                sources.add(s.source().strip());
            }
        });
        return sources;
    }

    private SourceSplitter.Piece pieceAt(String code, int cursor) {
        List<SourceSplitter.Piece> pieces = SourceSplitter.split(analysis(), code.substring(0, Math.min(cursor, code.length())));
        if (pieces.isEmpty()) return new SourceSplitter.Piece(code, cursor, cursor, false);
        SourceSplitter.Piece last = pieces.get(pieces.size() - 1);
        if (last.complete() && last.end() < cursor) return new SourceSplitter.Piece("", last.end(), cursor, false);
        return new SourceSplitter.Piece(last.source(), last.offset(), cursor, false);
    }

    /** "complete", "incomplete" or "invalid", for the is_complete request. */
    public String completeness(String code) {
        List<SourceSplitter.Piece> pieces = SourceSplitter.split(analysis(), code);
        if (pieces.isEmpty() || pieces.get(pieces.size() - 1).complete()) return "complete";
        SourceCodeAnalysis.Completeness c = analysis().analyzeCompletion(pieces.get(pieces.size() - 1).source()).completeness();
        return switch (c) {
            case DEFINITELY_INCOMPLETE -> "incomplete";
            case UNKNOWN -> "invalid";
            default -> "complete";
        };
    }

    /** The bytecode of the classes the notebook's snippets compiled to, for engines that run cell code elsewhere. */
    public SnippetClasses snippetClasses() {
        return control.classes();
    }

    /** Makes classes in a jar or directory usable from later cells. */
    public void addToClasspath(String path) {
        shell.addToClasspath(path);
    }

    /** Stops the running snippet: the stop check ends pure-Java loops, an interrupt ends blocking calls. */
    public void interrupt() {
        shell.stop();
    }

    @Override
    public void close() {
        shell.close();
    }
}
