package yardstick.kernel.widget;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import yardstick.kernel.comm.CommManager;

/** A button (ButtonModel); the front end reports a click as a custom message {@code {"event": "click"}}. */
public final class Button extends Widget {
    private final List<Consumer<Button>> clicks = new CopyOnWriteArrayList<>();

    public Button(String description) {
        this(current(), description);
    }

    public Button(CommManager comms, String description) {
        super(comms, state(comms, description));
    }

    private static Map<String, Object> state(CommManager comms, String description) {
        Map<String, Object> s = control(comms, "ButtonModel", "ButtonView");
        s.put("button_style", "");
        s.put("description", description);
        s.put("disabled", false);
        s.put("icon", "");
        s.put("style", null);
        return s;
    }

    public Button onClick(Consumer<Button> handler) {
        clicks.add(handler);
        return this;
    }

    public Button description(String text) {
        set("description", text);
        return this;
    }

    public Button disabled(boolean disabled) {
        set("disabled", disabled);
        return this;
    }

    /** One of "", "primary", "success", "info", "warning", "danger". */
    public Button style(String buttonStyle) {
        set("button_style", buttonStyle);
        return this;
    }

    /** Runs the click handlers as a front end's click does. */
    public void click() {
        for (Consumer<Button> h : clicks) h.accept(this);
    }

    @Override
    protected void custom(JsonNode content) {
        if ("click".equals(content.path("event").asText())) click();
    }
}
