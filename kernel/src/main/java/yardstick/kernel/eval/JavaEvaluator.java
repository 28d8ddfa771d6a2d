package yardstick.kernel.eval;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.ExpressionSnippet;
import jdk.jshell.JShell;
import jdk.jshell.JShellException;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.UnresolvedReferenceException;
import jdk.jshell.VarSnippet;

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
    private final SourceCodeAnalysis analysis;
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
                .compilerOptions("-Xlint:none", "-proc:none")
                .build();
        // Through addToClasspath, not a --class-path compiler option: that option would be passed to every compile
        // and hide what later addToClasspath calls (%classpath, %maven) add.
        shell.addToClasspath(classPath);
        control = provider.control();
        analysis = shell.sourceCodeAnalysis();
        StringBuilder startup = new StringBuilder();
        for (String i : STARTUP_IMPORTS) startup.append("import ").append(i).append(";\n");
        for (String i : imports) startup.append("import ").append(i).append(";\n");
        for (String i : staticImports) startup.append("import static ").append(i).append(";\n");
        Outcome o = evaluate(startup.toString(), Location.CELL);
        if (!o.ok()) throw new IllegalStateException("startup imports failed: " + o.error().evalue());
    }

    /** Evaluates code snippet by snippet, stopping at the first failure. */
    public Outcome evaluate(String code, Location where) {
        Outcome last = Outcome.NOTHING;
        for (SourceSplitter.Piece piece : SourceSplitter.split(analysis, code)) {
            last = evaluatePiece(code, piece, where);
            if (!last.ok()) return last;
        }
        return last;
    }

    private Outcome evaluatePiece(String code, SourceSplitter.Piece piece, Location where) {
        List<SnippetEvent> events = shell.eval(piece.source());
        Object value = control.takeLastValue();
        if (control.takeStopped()) {
            return Outcome.failed(CellError.of("Interrupted", "the cell was interrupted"));
        }
        StringBuilder notes = new StringBuilder();
        for (SnippetEvent e : events) {
            if (e.causeSnippet() != null) continue;
            Snippet s = e.snippet();
            origins.put(s.id(), new SnippetOrigin(where.cell(), where.firstLine() + lineOf(code, piece.offset()) - 1));
            if (e.status() == Snippet.Status.REJECTED) {
                return Outcome.failed(compileError(code, piece, where, s));
            }
            if (e.exception() != null) {
                return Outcome.failed(runtimeError(e.exception()));
            }
            if (e.status() == Snippet.Status.RECOVERABLE_DEFINED || e.status() == Snippet.Status.RECOVERABLE_NOT_DEFINED) {
                notes.append(unresolvedNote(s));
            }
            if (s instanceof ExpressionSnippet
                    || (s instanceof VarSnippet v && v.subKind() == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND)) {
                if (notes.length() > 0) System.err.print(notes);
                return Outcome.value(value);
            }
        }
        if (notes.length() > 0) System.err.print(notes);
        return Outcome.NOTHING;
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

    private CellError runtimeError(JShellException ex) {
        List<String> lines = new ArrayList<>();
        String ename;
        String evalue = String.valueOf(ex.getMessage());
        if (ex instanceof EvalException ee) {
            ename = ee.getExceptionClassName();
            lines.add(ename + (ee.getMessage() == null ? "" : ": " + ee.getMessage()));
        } else if (ex instanceof UnresolvedReferenceException ue) {
            ename = "UnresolvedReferenceException";
            evalue = describe(ue.getSnippet()) + " cannot be used until "
                    + String.join(", ", shell.unresolvedDependencies(ue.getSnippet()).toList()) + " is defined";
            lines.add(ename + ": " + evalue);
        } else {
            ename = ex.getClass().getName();
            lines.add(ename + ": " + evalue);
        }
        appendFrames(ex, lines);
        Throwable cause = ex.getCause();
        Set<Throwable> seen = new LinkedHashSet<>();
        while (cause != null && seen.add(cause)) {
            String name = cause instanceof EvalException ce ? ce.getExceptionClassName() : cause.getClass().getName();
            lines.add("Caused by: " + name + (cause.getMessage() == null ? "" : ": " + cause.getMessage()));
            appendFrames(cause, lines);
            cause = cause.getCause();
        }
        int dot = ename.lastIndexOf('.');
        return new CellError(ename.substring(dot + 1), evalue, lines);
    }

    private void appendFrames(Throwable t, List<String> lines) {
        for (StackTraceElement f : t.getStackTrace()) {
            String cls = f.getClassName();
            if (cls.startsWith(KernelExecutionControl.class.getName()) || cls.startsWith("jdk.internal.reflect.")
                    || cls.startsWith("java.lang.reflect.Method")) break;
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

    /** The declared variables: name, type and JShell's rendering of the value. */
    public List<String[]> variables() {
        List<String[]> vars = new ArrayList<>();
        shell.variables().forEach(v -> vars.add(new String[] {v.name(), v.typeName(), safeValue(v)}));
        return vars;
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
        List<SourceCodeAnalysis.Suggestion> suggestions = analysis.completionSuggestions(src, Math.max(0, local), a);
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
        return analysis.documentation(src, Math.max(0, cursor - piece.offset()), true);
    }

    private SourceSplitter.Piece pieceAt(String code, int cursor) {
        List<SourceSplitter.Piece> pieces = SourceSplitter.split(analysis, code.substring(0, Math.min(cursor, code.length())));
        if (pieces.isEmpty()) return new SourceSplitter.Piece(code, cursor, cursor, false);
        SourceSplitter.Piece last = pieces.get(pieces.size() - 1);
        if (last.complete() && last.end() < cursor) return new SourceSplitter.Piece("", last.end(), cursor, false);
        return new SourceSplitter.Piece(last.source(), last.offset(), cursor, false);
    }

    /** "complete", "incomplete" or "invalid", for the is_complete request. */
    public String completeness(String code) {
        List<SourceSplitter.Piece> pieces = SourceSplitter.split(analysis, code);
        if (pieces.isEmpty() || pieces.get(pieces.size() - 1).complete()) return "complete";
        SourceCodeAnalysis.Completeness c = analysis.analyzeCompletion(pieces.get(pieces.size() - 1).source()).completeness();
        return switch (c) {
            case DEFINITELY_INCOMPLETE -> "incomplete";
            case UNKNOWN -> "invalid";
            default -> "complete";
        };
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
