package yardstick.kernel.widget;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import yardstick.kernel.comm.CommManager;
import yardstick.kernel.display.MimeBundle;
import yardstick.kernel.protocol.Json;

/** The widget messages as ipywidgets 8 front ends expect them, recorded from a CommManager's transport. */
class WidgetTest {
    record Sent(String type, ObjectNode content, ObjectNode metadata) {}

    private final List<Sent> sent = new CopyOnWriteArrayList<>();
    private final CommManager comms = CommManager.withMetadata((t, c, m) -> sent.add(new Sent(t, c, m)));

    private void fromFrontEnd(Widget w, String json) throws Exception {
        ObjectNode c = Json.object().put("comm_id", w.id());
        c.set("data", Json.MAPPER.readTree(json));
        comms.message(c);
    }

    private Sent openOf(Widget w) {
        return sent.stream().filter(s -> s.type().equals("comm_open") && s.content().path("comm_id").asText().equals(w.id()))
                .findFirst().orElseThrow();
    }

    @Test
    void buttonOpensAWidgetCommWithItsLayoutFirst() throws Exception {
        Button b = new Button(comms, "Go");
        assertEquals(2, sent.size(), "a layout model, then the button");
        Sent layout = sent.get(0), open = sent.get(1);
        for (Sent s : sent) {
            assertEquals("comm_open", s.type());
            assertEquals(Json.MAPPER.readTree("{\"version\": \"2.1.0\"}"), s.metadata());
            assertEquals(List.of("comm_id", "target_name", "data"), fieldNames(s.content()));
            assertEquals("jupyter.widget", s.content().path("target_name").asText());
            assertEquals(List.of("state", "buffer_paths"), fieldNames(s.content().path("data")));
            assertEquals(0, s.content().path("data").path("buffer_paths").size());
        }
        assertEquals(Json.MAPPER.readTree("""
                {"_model_module": "@jupyter-widgets/base", "_model_module_version": "2.0.0", "_model_name": "LayoutModel",
                 "_view_count": null, "_view_module": "@jupyter-widgets/base", "_view_module_version": "2.0.0",
                 "_view_name": "LayoutView"}"""), layout.content().path("data").path("state"));
        String layoutId = layout.content().path("comm_id").asText();
        assertEquals(b.id(), open.content().path("comm_id").asText());
        assertTrue(b.id().matches("[0-9a-f]{32}"), b.id());
        assertEquals(Json.MAPPER.readTree("""
                {"_dom_classes": [], "_model_module": "@jupyter-widgets/controls", "_model_module_version": "2.0.0",
                 "_model_name": "ButtonModel", "_view_count": null, "_view_module": "@jupyter-widgets/controls",
                 "_view_module_version": "2.0.0", "_view_name": "ButtonView", "layout": "IPY_MODEL_%s", "tabbable": null,
                 "tooltip": null, "button_style": "", "description": "Go", "disabled": false, "icon": "", "style": null}
                """.formatted(layoutId)), open.content().path("data").path("state"));
    }

    @Test
    void displayIsTheWidgetViewWithTextForOtherFrontEnds() throws Exception {
        Button b = new Button(comms, "Go");
        MimeBundle m = new WidgetRenderer().render(b);
        assertEquals(List.of(Widget.VIEW_MIME, "text/plain"), new ArrayList<>(m.data().keySet()));
        assertEquals(Json.MAPPER.readTree("{\"version_major\": 2, \"version_minor\": 0, \"model_id\": \"" + b.id() + "\"}"),
                Json.MAPPER.valueToTree(m.data().get(Widget.VIEW_MIME)));
        assertEquals("Button(description='Go')", m.plain());
        assertFalse(new WidgetRenderer().supports("text"));
    }

    @Test
    void clickRunsHandlersAndPropertyChangesAreUpdates() throws Exception {
        Button b = new Button(comms, "Go");
        List<String> log = new ArrayList<>();
        b.onClick(x -> {
            log.add("clicked");
            x.description("Done").disabled(true);
        });
        sent.clear();
        fromFrontEnd(b, "{\"method\": \"custom\", \"content\": {\"event\": \"click\"}}");
        assertEquals(List.of("clicked"), log);
        assertEquals(2, sent.size());
        for (Sent s : sent) {
            assertEquals("comm_msg", s.type());
            assertEquals(b.id(), s.content().path("comm_id").asText());
            assertEquals(0, s.metadata().size());
        }
        assertEquals(Json.MAPPER.readTree("{\"method\": \"update\", \"state\": {\"description\": \"Done\"}, \"buffer_paths\": []}"),
                sent.get(0).content().path("data"));
        assertEquals(Json.MAPPER.readTree("{\"method\": \"update\", \"state\": {\"disabled\": true}, \"buffer_paths\": []}"),
                sent.get(1).content().path("data"));
        // Other custom events and unknown methods do nothing.
        fromFrontEnd(b, "{\"method\": \"custom\", \"content\": {\"event\": \"hover\"}}");
        fromFrontEnd(b, "{\"method\": \"nonsense\"}");
        assertEquals(List.of("clicked"), log);
        assertEquals(2, sent.size());
    }

    @Test
    void frontEndUpdatesChangeStateAndTellListenersWithoutEcho() throws Exception {
        Textarea t = new Textarea(comms, "say something");
        assertEquals("TextareaModel", openOf(t).content().path("data").path("state").path("_model_name").asText());
        List<String> changes = new ArrayList<>();
        t.onChange((k, v) -> changes.add(k + "=" + v));
        sent.clear();
        fromFrontEnd(t, "{\"method\": \"update\", \"state\": {\"value\": \"héllo\"}, \"buffer_paths\": []}");
        assertEquals("héllo", t.value());
        assertEquals(List.of("value=héllo"), changes);
        assertEquals(List.of(), sent, "a front end's own change is not sent back");
    }

    @Test
    void requestStateIsAnsweredWithTheWholeState() throws Exception {
        Html h = new Html(comms, "<b>hi</b>");
        h.value("<i>bye</i>");
        sent.clear();
        fromFrontEnd(h, "{\"method\": \"request_state\"}");
        JsonNode data = sent.get(0).content().path("data");
        assertEquals("update", data.path("method").asText());
        assertEquals("<i>bye</i>", data.path("state").path("value").asText());
        assertEquals("HTMLModel", data.path("state").path("_model_name").asText());
        assertEquals("HTMLView", data.path("state").path("_view_name").asText());
        assertEquals("&lt;a href=&quot;x&quot;&gt; &amp; &#39;", Html.escape("<a href=\"x\"> & '"));
    }

    @Test
    void boxesReferToTheirChildrenAndCloseThem() throws Exception {
        Button a = new Button(comms, "A");
        Html h = new Html(comms, "x");
        Box row = Box.hbox(comms, a, h);
        Box col = Box.vbox(comms, row);
        JsonNode rowState = openOf(row).content().path("data").path("state");
        assertEquals("HBoxModel", rowState.path("_model_name").asText());
        assertEquals("HBoxView", rowState.path("_view_name").asText());
        assertEquals(Json.MAPPER.valueToTree(List.of("IPY_MODEL_" + a.id(), "IPY_MODEL_" + h.id())), rowState.path("children"));
        assertEquals("VBoxModel", openOf(col).content().path("data").path("state").path("_model_name").asText());
        int opened = comms.info(null).path("comms").size();
        sent.clear();
        col.close();
        assertEquals(List.of(a.id(), h.id(), row.id(), col.id()),
                sent.stream().filter(s -> s.type().equals("comm_close")).map(s -> s.content().path("comm_id").asText()).toList());
        assertFalse(a.isOpen());
        assertEquals(opened - 4, comms.info(null).path("comms").size(), "the layouts stay with their (closed) widgets' front end");
    }

    @Test
    void theOldTransportStillWorksWithoutMetadata() {
        List<String> types = new ArrayList<>();
        CommManager plain = new CommManager((type, content) -> types.add(type + " " + content.path("target_name").asText()));
        plain.open("t", Map.of("a", 1));
        plain.open("t2", Map.of(), Map.of("version", "x"));
        assertEquals(List.of("comm_open t", "comm_open t2"), types);
        assertFalse(new CommManager(null).connected());
    }

    private static List<String> fieldNames(JsonNode n) {
        List<String> names = new ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
