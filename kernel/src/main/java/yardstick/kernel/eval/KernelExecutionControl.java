package yardstick.kernel.eval;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jdk.jshell.execution.LocalExecutionControl;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;

/**
 * Runs snippets in this JVM through {@link LocalExecutionControl}, which instruments snippet bytecode with a stop
 * check at backward branches (and method entry on JDK 25), so {@code stop()} ends even {@code while (true) {}};
 * it also interrupts the snippet's threads, which stops blocking library calls.
 *
 * <p>The superclass turns each result into a string. To keep the live object for rich display, the snippet's
 * {@code do_it$} method is called through {@link #trampoline()}, which parks the value in the invocation that an
 * inheritable thread-local hands to the snippet thread the superclass starts.
 */
public final class KernelExecutionControl extends LocalExecutionControl {
    private static final InheritableThreadLocal<Invocation> INVOCATION = new InheritableThreadLocal<>();
    private static final Method TRAMPOLINE;

    static {
        try {
            TRAMPOLINE = KernelExecutionControl.class.getDeclaredMethod("trampoline");
            TRAMPOLINE.setAccessible(true);
        } catch (NoSuchMethodException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final SnippetClasses classes = new SnippetClasses();
    private volatile Object lastValue;
    private volatile boolean stopped;
    /** While not null, JShell's requests to run a snippet are recorded here instead of run: see {@link #defer()}. */
    private List<Deferred> deferred;
    /** Set by {@link #stop()} from the start of a cell's compilation on, so a stop that comes before its code runs holds. */
    private volatile boolean stopRequested;
    private volatile boolean runningDeferred;

    /** A snippet JShell compiled and loaded but whose code has not run yet. */
    public record Deferred(String className, String methodName) {}

    private static final class Invocation {
        final Method doit;
        Object value;

        Invocation(Method doit) {
            this.doit = doit;
        }
    }

    /**
     * From now until {@link #takeDeferred()}, snippets JShell evaluates are compiled and loaded but not run, so a
     * cell's snippets can all be compiled before any of them runs.
     */
    public void defer() {
        deferred = new ArrayList<>();
        stopRequested = false;
    }

    /** The snippets recorded since {@link #defer()}, in order; snippets run at once again after this call. */
    public List<Deferred> takeDeferred() {
        List<Deferred> d = deferred;
        deferred = null;
        return d == null ? List.of() : d;
    }

    /** How many snippets wait to run since {@link #defer()}. */
    public int deferredCount() {
        return deferred == null ? 0 : deferred.size();
    }

    /** Records the snippet classes as JShell compiled them, then loads them instrumented as the superclass does. */
    @Override
    public void load(ClassBytecodes[] cbcs) throws ClassInstallException, NotImplementedException, EngineTerminationException {
        super.load(cbcs);
        for (ClassBytecodes c : cbcs) classes.record(c.name(), c.bytecodes());
    }

    @Override
    public void redefine(ClassBytecodes[] cbcs) throws ClassInstallException, NotImplementedException, EngineTerminationException {
        super.redefine(cbcs);
        for (ClassBytecodes c : cbcs) classes.record(c.name(), c.bytecodes());
    }

    /** The classes of the snippets loaded so far. */
    public SnippetClasses classes() {
        return classes;
    }

    @Override
    public String invoke(String className, String methodName) throws RunException, InternalException, EngineTerminationException {
        if (deferred != null) {
            deferred.add(new Deferred(className, methodName));
            return "";
        }
        return super.invoke(className, methodName);
    }

    /**
     * Runs a deferred snippet as JShell would have: its live value is then {@link #takeLastValue()}; what it throws
     * comes as a {@link UserException} (with its causes), a {@link ResolutionException} or a {@link StoppedException}.
     */
    public void run(Deferred d) throws RunException, InternalException, EngineTerminationException {
        runningDeferred = true;
        try {
            super.invoke(d.className(), d.methodName());
        } finally {
            runningDeferred = false;
        }
    }

    @Override
    public void stop() throws EngineTerminationException, InternalException {
        stopRequested = true;
        super.stop();  // stops code that runs now; code about to run sees stopRequested in invoke
    }

    @Override
    protected String invoke(Method doit) throws Exception {
        if (runningDeferred && stopRequested) {
            stopped = true;
            throw new StoppedException();
        }
        Invocation inv = new Invocation(doit);
        INVOCATION.set(inv);
        try {
            super.invoke(TRAMPOLINE);
        } catch (StoppedException e) {
            stopped = true;
            throw e;
        } finally {
            INVOCATION.remove();
        }
        lastValue = inv.value;
        return "";
    }

    /** Called reflectively by the superclass in the snippet thread. */
    @SuppressWarnings("unused")
    private static Object trampoline() throws Throwable {
        Invocation inv = INVOCATION.get();
        try {
            inv.value = inv.doit.invoke(null);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
        return null;
    }

    /** The live value of a snippet's variable, read from the field of the class JShell wrapped it in. */
    public Object liveValue(String className, String varName) throws Exception {
        java.lang.reflect.Field f = findClass(className).getDeclaredField(varName);
        f.setAccessible(true);
        return f.get(null);
    }

    /** The live value of the snippet executed last, cleared by the call. */
    public Object takeLastValue() {
        Object v = lastValue;
        lastValue = null;
        return v;
    }

    /** True once if the last execution was stopped by {@link #stop()}. */
    public boolean takeStopped() {
        boolean s = stopped;
        stopped = false;
        return s;
    }

    /** Plugs this control into {@code JShell.builder().executionEngine(...)}, handing the instance back. */
    public static final class Provider implements ExecutionControlProvider {
        private volatile KernelExecutionControl control;

        @Override
        public String name() {
            return "yardstick";
        }

        @Override
        public ExecutionControl generate(ExecutionEnv env, Map<String, String> parameters) {
            control = new KernelExecutionControl();
            return control;
        }

        public KernelExecutionControl control() {
            return control;
        }
    }
}
