package yardstick.kernel.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.UUID;

/** A message header (protocol 5.4). */
public record Header(String msgId, String session, String username, String date, String msgType, String version) {
    public static final String PROTOCOL_VERSION = "5.4";
    private static final DateTimeFormatter ISO_MICROS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    /** A fresh header for a message this kernel sends. */
    public static Header create(String msgType, String session, String username) {
        return new Header(UUID.randomUUID().toString(), session, username, now(), msgType, PROTOCOL_VERSION);
    }

    /** Now, as ISO-8601 with microseconds in UTC. */
    public static String now() {
        return ISO_MICROS.format(Instant.now());
    }

    public static Header fromJson(JsonNode n) {
        return new Header(text(n, "msg_id"), text(n, "session"), text(n, "username"), text(n, "date"),
                text(n, "msg_type"), text(n, "version"));
    }

    private static String text(JsonNode n, String f) {
        JsonNode v = n.get(f);
        return v == null || v.isNull() ? "" : v.asText();
    }

    public ObjectNode toJson() {
        ObjectNode n = Json.object();
        n.put("msg_id", msgId).put("session", session).put("username", username).put("date", date)
                .put("msg_type", msgType).put("version", version);
        return n;
    }
}
