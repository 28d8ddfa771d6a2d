package yardstick.kernel.core;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import yardstick.kernel.display.MimeBundle;
import yardstick.kernel.output.OutputSink;
import yardstick.kernel.protocol.Channels;
import yardstick.kernel.protocol.Json;
import yardstick.kernel.protocol.Message;

/** A cell's output as IOPub messages, children of the execute_request that ran the cell. */
final class JupyterSink implements OutputSink {
    private final Channels channels;
    private final Message request;
    private final boolean silent;

    JupyterSink(Channels channels, Message request, boolean silent) {
        this.channels = channels;
        this.request = request;
        this.silent = silent;
    }

    @Override
    public void stream(String name, String text) {
        if (silent) return;
        channels.broadcast(request, "stream", Json.object().put("name", name).put("text", text));
    }

    @Override
    public void display(MimeBundle bundle, String displayId, boolean update) {
        ObjectNode c = bundleContent(bundle);
        c.putObject("transient").put("display_id", displayId);
        channels.broadcast(request, update ? "update_display_data" : "display_data", c);
    }

    @Override
    public void clearOutput(boolean wait) {
        channels.broadcast(request, "clear_output", Json.object().put("wait", wait));
    }

    @Override
    public String input(String prompt, boolean password) throws IOException {
        return channels.input(request, prompt, password);
    }

    @Override
    public boolean inputAllowed() {
        return request.content().path("allow_stdin").asBoolean(false);
    }

    static ObjectNode bundleContent(MimeBundle bundle) {
        ObjectNode c = Json.object();
        c.set("data", Json.MAPPER.valueToTree(bundle.data()));
        c.set("metadata", Json.MAPPER.valueToTree(bundle.metadata()));
        return c;
    }
}
