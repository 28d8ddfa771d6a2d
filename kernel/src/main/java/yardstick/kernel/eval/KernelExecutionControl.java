package yardstick.kernel.eval;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
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

    private volatile Object lastValue;
    private volatile boolean stopped;

    private static final class Invocation {
        final Method doit;
        Object value;

        Invocation(Method doit) {
            this.doit = doit;
        }
    }

    @Override
    protected String invoke(Method doit) throws Exception {
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
