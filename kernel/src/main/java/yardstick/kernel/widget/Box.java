package yardstick.kernel.widget;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import yardstick.kernel.comm.CommManager;

/** A row (HBoxModel) or column (VBoxModel) of widgets; its children are references to their models. */
public final class Box extends Widget {
    private final List<Widget> children;

    private Box(CommManager comms, String kind, List<Widget> children) {
        super(comms, state(comms, kind, children));
        this.children = List.copyOf(children);
    }

    public static Box hbox(Widget... children) {
        return hbox(Widget.current(), children);
    }

    public static Box vbox(Widget... children) {
        return vbox(Widget.current(), children);
    }

    public static Box hbox(CommManager comms, Widget... children) {
        return new Box(comms, "HBox", Arrays.asList(children));
    }

    public static Box vbox(CommManager comms, Widget... children) {
        return new Box(comms, "VBox", Arrays.asList(children));
    }

    private static Map<String, Object> state(CommManager comms, String kind, List<Widget> children) {
        Map<String, Object> s = control(comms, kind + "Model", kind + "View");
        s.put("box_style", "");
        List<String> refs = new ArrayList<>();
        for (Widget w : children) refs.add(w.ref());
        s.put("children", refs);
        return s;
    }

    public List<Widget> children() {
        return children;
    }

    /** Closes this box and, depth first, everything in it. */
    @Override
    public void close() {
        for (Widget w : children) w.close();
        super.close();
    }
}
