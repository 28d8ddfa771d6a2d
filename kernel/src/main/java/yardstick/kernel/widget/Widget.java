package yardstick.kernel.widget;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import yardstick.kernel.Session;
import yardstick.kernel.comm.Comm;
import yardstick.kernel.comm.CommManager;
import yardstick.kernel.display.MimeBundle;
import yardstick.kernel.protocol.Json;

/**
 * A Jupyter widget (the ipywidgets 8 message protocol, version 2.1.0): a model whose state lives on both sides of a
 * comm on target {@code jupyter.widget}. Creating one opens its comm with the full state; setting a property sends an
 * {@code update}; the front end's updates change the state here and call the change listeners. Displaying it shows
 * the widget view (MIME {@code application/vnd.jupyter.widget-view+json}), which front ends without widgets ignore in
 * favour of the text.
 *
 * <p>Built against {@code @jupyter-widgets/controls} 2.0.0 and {@code @jupyter-widgets/base} 2.0.0, the model
 * versions of ipywidgets 8 (JupyterLab 3/4 with ipywidgets 8, Notebook 7, VS Code).
 */
public abstract class Widget {
    public static final String TARGET = "jupyter.widget";
    public static final String PROTOCOL_VERSION = "2.1.0";
    public static final String CONTROLS = "@jupyter-widgets/controls";
    public static final String BASE = "@jupyter-widgets/base";
    public static final String MODULE_VERSION = "2.0.0";
    public static final String VIEW_MIME = "application/vnd.jupyter.widget-view+json";

    private final CommManager comms;
    private final Comm comm;
    private final Map<String, Object> state;
    private final List<BiConsumer<String, Object>> listeners = new CopyOnWriteArrayList<>();

    /**
     * Opens the model's comm at once, as ipywidgets does, so a later display only names it.
     *
     * @param state the model's state, including its {@code _model_*} and {@code _view_*} names
     */
    protected Widget(CommManager comms, Map<String, Object> state) {
        this.comms = comms;
        this.state = new LinkedHashMap<>(state);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("state", this.state);
        data.put("buffer_paths", List.of());
        synchronized (this) {
            this.comm = comms.open(TARGET, data, Map.of("version", PROTOCOL_VERSION));
        }
        comm.onMessage(this::received);
        WidgetControl control = WidgetControl.of(comms);
        control.add(this);
        comm.onClose(() -> control.remove(this));
    }

    /** The comms of the running notebook session: widgets need Jupyter. */
    static CommManager current() {
        return Session.active().comms();
    }

    /** The standard state of a control: model and view names in the controls module, a fresh layout, no classes. */
    static Map<String, Object> control(CommManager comms, String model, String view) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("_dom_classes", List.of());
        s.put("_model_module", CONTROLS);
        s.put("_model_module_version", MODULE_VERSION);
        s.put("_model_name", model);
        s.put("_view_count", null);
        s.put("_view_module", CONTROLS);
        s.put("_view_module_version", MODULE_VERSION);
        s.put("_view_name", view);
        s.put("layout", new Layout(comms).ref());
        s.put("tabbable", null);
        s.put("tooltip", null);
        return s;
    }

    /** The model id: the comm id, which the view MIME and other models' references name. */
    public String id() {
        return comm.id();
    }

    /** How other models refer to this one in their state (a box's children, a widget's layout). */
    public String ref() {
        return "IPY_MODEL_" + id();
    }

    CommManager comms() {
        return comms;
    }

    public synchronized Object get(String key) {
        return state.get(key);
    }

    /** A copy of the whole state. */
    public synchronized Map<String, Object> state() {
        return new LinkedHashMap<>(state);
    }

    /** Sets a property here and in the front end; listeners are told only of changes that came from the front end. */
    public void set(String key, Object value) {
        synchronized (this) {
            state.put(key, value);
            if (comm.isOpen()) comm.send(update(Map.of(key, value)));
        }
    }

    /** Called with (property, new value) whenever the front end changes a property (a user typed, a slider moved). */
    public Widget onChange(BiConsumer<String, Object> listener) {
        listeners.add(listener);
        return this;
    }

    /** Closes the model's comm: its views in the front end go away. */
    public void close() {
        comm.close();
    }

    public boolean isOpen() {
        return comm.isOpen();
    }

    /** What a display of this widget shows: the widget view, and for front ends without widgets a line of text. */
    public MimeBundle bundle() {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("version_major", 2);
        view.put("version_minor", 0);
        view.put("model_id", id());
        return new MimeBundle().put(VIEW_MIME, view).put("text/plain", toString());
    }

    /** A custom message from the front end ({@code method: "custom"}); a button's click is one. */
    protected void custom(JsonNode content) {}

    private void received(JsonNode data) {
        switch (data.path("method").asText("")) {
            case "update" -> {
                Iterator<Map.Entry<String, JsonNode>> it = data.path("state").fields();
                while (it.hasNext()) {
                    Map.Entry<String, JsonNode> e = it.next();
                    Object value = Json.MAPPER.convertValue(e.getValue(), Object.class);
                    synchronized (this) {
                        state.put(e.getKey(), value);
                    }
                    for (BiConsumer<String, Object> l : listeners) l.accept(e.getKey(), value);
                }
            }
            case "request_state" -> {
                synchronized (this) {
                    comm.send(update(state));
                }
            }
            case "custom" -> custom(data.path("content"));
            default -> {}  // unknown methods are ignored, as ipywidgets does
        }
    }

    private static Map<String, Object> update(Map<String, Object> changed) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("method", "update");
        m.put("state", new LinkedHashMap<>(changed));
        m.put("buffer_paths", List.of());
        return m;
    }

    @Override
    public String toString() {
        Object d = get("description");
        return getClass().getSimpleName() + (d == null || "".equals(d) ? "" : "(description='" + d + "')");
    }
}
