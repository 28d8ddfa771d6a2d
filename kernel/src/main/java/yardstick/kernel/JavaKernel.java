package yardstick.kernel;

import java.nio.file.Path;
import yardstick.kernel.comm.CommManager;
import yardstick.kernel.core.KernelCore;
import yardstick.kernel.eval.EvaluatorStart;
import yardstick.kernel.history.History;
import yardstick.kernel.protocol.ConnectionInfo;
import yardstick.kernel.protocol.KernelServer;
import yardstick.kernel.widget.WidgetControl;

/** The Java kernel: the wire ({@link KernelServer}), the core ({@link KernelCore}) and a {@link Session} as interpreter. */
public final class JavaKernel implements AutoCloseable {
    public static final String VERSION = Session.VERSION;

    private final KernelServer server;
    private final Session session;

    public JavaKernel(ConnectionInfo info, Path historyFile) {
        this(info, historyFile, Session.startEvaluator());
    }

    /** A kernel whose JShell start was made already ({@link Session#prepareEvaluator()}, {@link Session#startEvaluator()}). */
    public JavaKernel(ConnectionInfo info, Path historyFile, EvaluatorStart jshell) {
        server = new KernelServer(info);
        History history = new History(historyFile);
        KernelCore core = new KernelCore(server,
                comms -> new Session(Path.of("").toAbsolutePath(), CommManager.withMetadata(comms), jshell).keepHistory(history),
                server::stop);
        session = (Session) core.interpreter();
        WidgetControl.of(session.comms());  // a widget front end opens it as soon as it attaches
        server.serve(core);
    }

    public void start() {
        server.start();
    }

    /** Serves until a shutdown_request. */
    public void awaitShutdown() throws InterruptedException {
        server.awaitStop();
    }

    @Override
    public void close() {
        session.close();
        server.close();
    }
}
