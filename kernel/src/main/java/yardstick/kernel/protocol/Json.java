package yardstick.kernel.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The one shared JSON mapper: thread-safe once configured. */
public final class Json {
    /**
     * The longest string read: 512 Mi characters, where Jackson's default (20 million) would refuse a large cell, an
     * embedded image or a notebook's output. A message part is bounded by as many bytes ({@link WireCodec}).
     */
    public static final int MAX_STRING_LENGTH = 512 * 1024 * 1024;

    public static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(MAX_STRING_LENGTH).build())
            .build());

    private Json() {}

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }
}
