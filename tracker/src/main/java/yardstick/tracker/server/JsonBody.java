package yardstick.tracker.server;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.Locale;
import yardstick.tracker.model.ErrorCode;
import yardstick.tracker.model.MlflowException;

/**
 * Reads a REST request's JSON body within limits: it must be declared {@code application/json} (as MLflow's server
 * requires, so an HTML form or a fetch without preflight cannot send one), at most {@link #MAX_BYTES} bytes, at
 * most {@link #MAX_TOKENS} JSON tokens (so a body of tiny values cannot build a huge tree), and one JSON value with
 * nothing after it.
 */
public final class JsonBody {
    /** The largest JSON body accepted; artifacts go through the artifact proxy, which has its own limit. */
    static final int MAX_BYTES = 16 * 1024 * 1024;
    /**
     * The most JSON tokens in one body. MLflow's largest request, a full log-batch (1000 metrics, 100 params, 100
     * tags), is about 12,000 tokens; this bound keeps the tree of a hostile body to a few tens of megabytes.
     */
    static final long MAX_TOKENS = 200_000;
    static final int MAX_NESTING = 64;

    /** Accepts Python's bare NaN and Infinity tokens too, since MLflow's Python client may send them. */
    private static final ObjectMapper READER = JsonMapper.builder(JsonFactory.builder()
                    .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxTokenCount(MAX_TOKENS)
                            .maxNestingDepth(MAX_NESTING)
                            .maxStringLength(MAX_BYTES)
                            .maxDocumentLength(MAX_BYTES)
                            .build())
                    .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private JsonBody() {}

    /**
     * The body's fields; an empty object when the request has no body. POST must declare {@code application/json}
     * even when empty, as MLflow requires; PATCH and DELETE must when they carry a body.
     */
    public static ObjectNode read(HttpExchange ex) throws IOException {
        long declared = contentLength(ex);
        boolean chunked = "chunked".equalsIgnoreCase(ex.getRequestHeaders().getFirst("Transfer-Encoding"));
        if (ex.getRequestMethod().equals("POST") || declared > 0 || chunked) {
            requireJsonContentType(ex.getRequestHeaders().getFirst("Content-Type"));
        }
        if (declared > MAX_BYTES) {
            throw tooLarge();
        }
        // Left open: the handler drains what is left of a refused body before answering (see Exchanges.drain).
        byte[] bytes = ex.getRequestBody().readNBytes(MAX_BYTES + 1);
        if (bytes.length > MAX_BYTES) {
            throw tooLarge();
        }
        return parse(bytes);
    }

    /** MLflow's check and words: a missing or other Content-Type is INVALID_PARAMETER_VALUE (400). */
    static void requireJsonContentType(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            throw MlflowException.invalidParameter("Bad Request. Content-Type header is missing.");
        }
        String type = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!type.equals("application/json")) {
            throw MlflowException.invalidParameter("Bad Request. Content-Type must be one of ['application/json'].");
        }
    }

    /** Parses a body: empty is an empty object; anything but one JSON object is MALFORMED_REQUEST. */
    static ObjectNode parse(byte[] bytes) {
        if (bytes.length == 0) {
            return JsonCodec.object();
        }
        JsonNode node;
        try {
            node = READER.readTree(bytes);
        } catch (StreamConstraintsException e) {
            throw new MlflowException(ErrorCode.INVALID_PARAMETER_VALUE, "Request body is too large: " + e.getOriginalMessage()
                    + " (JSON requests may hold at most " + MAX_TOKENS + " tokens, nested at most " + MAX_NESTING + " deep)", 413);
        } catch (JsonProcessingException e) {
            throw new MlflowException(ErrorCode.MALFORMED_REQUEST, "Malformed JSON request body: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new MlflowException(ErrorCode.MALFORMED_REQUEST, "Malformed JSON request body: " + e.getMessage());
        }
        if (node == null || node.isMissingNode()) {
            return JsonCodec.object();
        }
        if (!node.isObject()) {
            throw new MlflowException(ErrorCode.MALFORMED_REQUEST, "Malformed JSON request body: expected a JSON object");
        }
        return (ObjectNode) node;
    }

    private static long contentLength(HttpExchange ex) {
        String length = ex.getRequestHeaders().getFirst("Content-Length");
        if (length == null) {
            return -1;
        }
        try {
            return Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            throw new MlflowException(ErrorCode.BAD_REQUEST, "Invalid Content-Length");
        }
    }

    private static MlflowException tooLarge() {
        return new MlflowException(ErrorCode.INVALID_PARAMETER_VALUE, "Request body exceeds " + MAX_BYTES
                + " bytes (16 MiB), the limit for JSON requests; upload files through the artifact proxy instead", 413);
    }
}
