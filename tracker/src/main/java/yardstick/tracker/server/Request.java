package yardstick.tracker.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import yardstick.tracker.model.MlflowException;

/**
 * A REST request's fields, from a JSON body or a query string, read with MLflow's typing rules:
 * int64 fields accept numbers or numeric strings, doubles also accept "NaN" and "Infinity", and a
 * field of the wrong type is an INVALID_PARAMETER_VALUE error naming it.
 */
final class Request {
    private final ObjectNode fields;
    private final String userAgent;

    Request(ObjectNode fields) {
        this(fields, "");
    }

    Request(ObjectNode fields, String userAgent) {
        this.fields = fields;
        this.userAgent = userAgent == null ? "" : userAgent;
    }

    String userAgent() {
        return userAgent;
    }

    private JsonNode node(String name) {
        JsonNode n = fields.get(name);
        return n == null || n.isNull() ? null : n;
    }

    boolean has(String name) {
        return node(name) != null;
    }

    String string(String name) {
        JsonNode n = node(name);
        if (n == null) {
            return null;
        }
        if (!n.isTextual()) {
            throw wrongType(name, n, "a string");
        }
        return n.textValue();
    }

    String requiredString(String name) {
        String s = string(name);
        if (s == null || s.isEmpty()) {
            throw missing(name);
        }
        return s;
    }

    /** The run id, which MLflow clients send as {@code run_id}, {@code run_uuid}, or both. */
    String runId() {
        String id = string("run_id");
        if (id == null || id.isEmpty()) {
            id = string("run_uuid");
        }
        if (id == null || id.isEmpty()) {
            throw missing("run_id");
        }
        return id;
    }

    Long int64(String name) {
        JsonNode n = node(name);
        return n == null ? null : int64(name, n);
    }

    long requiredInt64(String name) {
        Long v = int64(name);
        if (v == null) {
            throw missing(name);
        }
        return v;
    }

    Integer int32(String name) {
        Long v = int64(name);
        if (v == null) {
            return null;
        }
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw MlflowException.invalidParameter("Invalid value " + v + " for parameter '" + name + "' supplied: out of int32 range");
        }
        return v.intValue();
    }

    /** A bool field: a JSON boolean, or "true"/"false" as a query string carries it. */
    Boolean bool(String name) {
        JsonNode n = node(name);
        if (n == null) {
            return null;
        }
        if (n.isBoolean()) {
            return n.booleanValue();
        }
        if (n.isTextual() && (n.textValue().equalsIgnoreCase("true") || n.textValue().equalsIgnoreCase("false"))) {
            return Boolean.parseBoolean(n.textValue());
        }
        throw wrongType(name, n, "a boolean");
    }

    List<String> stringList(String name) {
        JsonNode n = node(name);
        if (n == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        if (n.isTextual()) {
            out.add(n.textValue());
            return out;
        }
        if (!n.isArray()) {
            throw wrongType(name, n, "a list of strings");
        }
        for (JsonNode item : n) {
            if (!item.isTextual()) {
                throw wrongType(name, item, "a list of strings");
            }
            out.add(item.textValue());
        }
        return out;
    }

    List<Request> objects(String name) {
        JsonNode n = node(name);
        if (n == null) {
            return List.of();
        }
        if (!n.isArray()) {
            throw wrongType(name, n, "a list of objects");
        }
        List<Request> out = new ArrayList<>(n.size());
        for (JsonNode item : n) {
            if (!item.isObject()) {
                throw wrongType(name, item, "a list of objects");
            }
            out.add(new Request((ObjectNode) item));
        }
        return out;
    }

    Request object(String name) {
        JsonNode n = node(name);
        if (n == null) {
            return null;
        }
        if (!n.isObject()) {
            throw wrongType(name, n, "an object");
        }
        return new Request((ObjectNode) n);
    }

    double requiredDouble(String name) {
        JsonNode n = node(name);
        if (n == null) {
            throw missing(name);
        }
        if (n.isNumber()) {
            return n.doubleValue();
        }
        if (n.isTextual()) {
            String t = n.textValue().trim();
            switch (t) {
                case "NaN", "nan" -> {
                    return Double.NaN;
                }
                case "Infinity", "inf", "+inf", "+Infinity" -> {
                    return Double.POSITIVE_INFINITY;
                }
                case "-Infinity", "-inf" -> {
                    return Double.NEGATIVE_INFINITY;
                }
                default -> {
                    try {
                        return Double.parseDouble(t);
                    } catch (NumberFormatException e) {
                        throw wrongType(name, n, "a number");
                    }
                }
            }
        }
        throw wrongType(name, n, "a number");
    }

    private static long int64(String name, JsonNode n) {
        if (n.isIntegralNumber() && n.canConvertToLong()) {
            return n.longValue();
        }
        if (n.isFloatingPointNumber() && n.doubleValue() == Math.rint(n.doubleValue()) && Math.abs(n.doubleValue()) < 9.0e15) {
            // JSON has one number type; 5.0 is a valid int64 there.
            return (long) n.doubleValue();
        }
        if (n.isTextual()) {
            try {
                return Long.parseLong(n.textValue().trim());
            } catch (NumberFormatException e) {
                throw wrongType(name, n, "an int64");
            }
        }
        throw wrongType(name, n, "an int64");
    }

    static MlflowException missing(String name) {
        return MlflowException.invalidParameter("Missing value for required parameter '" + name
                + "'. See the API docs for more information about request parameters.");
    }

    private static MlflowException wrongType(String name, JsonNode n, String expected) {
        String shown = n.toString();
        if (shown.length() > 80) {
            shown = shown.substring(0, 80) + "...";
        }
        return MlflowException.invalidParameter("Invalid value " + shown + " for parameter '" + name + "' supplied: expected "
                + expected + ". See the API docs for more information about request parameters.");
    }
}
