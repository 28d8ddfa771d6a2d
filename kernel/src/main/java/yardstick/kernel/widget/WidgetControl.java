package yardstick.kernel.widget;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import yardstick.kernel.comm.Comm;
import yardstick.kernel.comm.CommManager;

/**
 * The ipywidgets 8 control comm, target {@code jupyter.widget.control} (protocol 1.0.0). A widget front end opens it
 * when it attaches to a kernel (a notebook opened or reloaded) and sends {@code request_states}; the answer,
 * {@code update_states}, carries every live widget's model, so views come back after a page reload. That a front end
 * opened it is also the kernel's one sign that the front end renders widgets at all: magics that need a person use
 * widgets then, and stdin otherwise.
 */
public final class WidgetControl {
    public static final String TARGET = "jupyter.widget.control";
    private static final Map<CommManager, WidgetControl> CONTROLS = Collections.synchronizedMap(new WeakHashMap<>());

    private final Map<String, Widget> live = new ConcurrentHashMap<>();
    private volatile boolean frontEndRendersWidgets;

    private WidgetControl(CommManager comms) {
        comms.registerTarget(TARGET, this::opened);
    }

    /** The control of these comms, registering its target the first time. */
    public static WidgetControl of(CommManager comms) {
        synchronized (CONTROLS) {
            return CONTROLS.computeIfAbsent(comms, WidgetControl::new);
        }
    }

    /** Whether a front end has opened the control comm: an ipywidgets 8 widget manager is attached. */
    public boolean frontEndRendersWidgets() {
        return frontEndRendersWidgets;
    }

    void add(Widget w) {
        live.put(w.id(), w);
    }

    void remove(Widget w) {
        live.remove(w.id());
    }

    private void opened(Comm comm) {
        frontEndRendersWidgets = true;
        comm.onMessage(data -> {
            // Any other method is ignored: the protocol has no error reply, and the front end times out on its own.
            if ("request_states".equals(data.path("method").asText())) comm.send(states());
        });
    }

    private Map<String, Object> states() {
        Map<String, Object> states = new LinkedHashMap<>();
        for (Widget w : live.values()) {
            if (!w.isOpen()) continue;
            Map<String, Object> state = w.state();
            Map<String, Object> model = new LinkedHashMap<>();
            model.put("model_name", state.get("_model_name"));
            model.put("model_module", state.get("_model_module"));
            model.put("model_module_version", state.get("_model_module_version"));
            model.put("state", state);
            states.put(w.id(), model);
        }
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("method", "update_states");
        reply.put("states", states);
        reply.put("buffer_paths", List.of());
        return reply;
    }
}
