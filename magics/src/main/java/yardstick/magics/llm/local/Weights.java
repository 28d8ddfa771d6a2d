package yardstick.magics.llm.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Named float tensors and a JSON header in one file, readable without DJL: the format of trainer checkpoints, of
 * fine-tune results and of the bundled local model. Layout: the bytes {@code YSW1}, the header's length (int32,
 * little-endian), the header as UTF-8 JSON ({@code {"kind", "config", "meta", "tensors": [{"name", "shape",
 * "dtype"}]}}), then each tensor's values in order, little-endian, as float32 ({@code f32}) or float16 ({@code f16}).
 */
public final class Weights {
    private static final byte[] MAGIC = {'Y', 'S', 'W', '1'};
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One tensor: its shape and values, row-major. */
    public record Tensor(int[] shape, float[] values) {
        public Tensor {
            long n = 1;
            for (int d : shape) n *= d;
            if (n != values.length) throw new IllegalArgumentException("shape holds " + n + " values, not " + values.length);
        }
    }

    private final String kind;
    private final ObjectNode config;
    private final ObjectNode meta;
    private final Map<String, Tensor> tensors;

    public Weights(String kind, ObjectNode config, ObjectNode meta, Map<String, Tensor> tensors) {
        this.kind = kind;
        this.config = config;
        this.meta = meta == null ? JSON.createObjectNode() : meta;
        this.tensors = new LinkedHashMap<>(tensors);
    }

    public String kind() {
        return kind;
    }

    public ObjectNode config() {
        return config;
    }

    public ObjectNode meta() {
        return meta;
    }

    public Map<String, Tensor> tensors() {
        return tensors;
    }

    public long parameterCount() {
        long n = 0;
        for (Tensor t : tensors.values()) n += t.values().length;
        return n;
    }

    /** The tensor's values; a clear error names a missing one (a file of another model). */
    public float[] get(String name, int... shape) {
        Tensor t = tensors.get(name);
        if (t == null) throw new IllegalArgumentException("weights have no tensor '" + name + "'");
        if (shape.length > 0 && !java.util.Arrays.equals(shape, t.shape())) {
            throw new IllegalArgumentException("tensor '" + name + "' has shape " + java.util.Arrays.toString(t.shape())
                    + ", expected " + java.util.Arrays.toString(shape));
        }
        return t.values();
    }

    /** Writes atomically (a reader never sees half a file), in float16 when {@code half}, else float32. */
    public void write(Path file, boolean half) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        if (file.getParent() != null) Files.createDirectories(file.getParent());
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
            write(out, half);
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    public void write(OutputStream out, boolean half) throws IOException {
        ObjectNode header = JSON.createObjectNode();
        header.put("kind", kind);
        header.set("config", config);
        header.set("meta", meta);
        ArrayNode list = header.putArray("tensors");
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            ObjectNode t = list.addObject();
            t.put("name", e.getKey());
            ArrayNode s = t.putArray("shape");
            for (int d : e.getValue().shape()) s.add(d);
            t.put("dtype", half ? "f16" : "f32");
        }
        byte[] h = JSON.writeValueAsBytes(header);
        out.write(MAGIC);
        out.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(h.length).array());
        out.write(h);
        for (Tensor t : tensors.values()) {
            float[] v = t.values();
            ByteBuffer b = ByteBuffer.allocate(v.length * (half ? 2 : 4)).order(ByteOrder.LITTLE_ENDIAN);
            for (float x : v) {
                if (half) b.putShort(Float.floatToFloat16(x));
                else b.putFloat(x);
            }
            out.write(b.array());
        }
    }

    public static Weights read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        }
    }

    /** Reads a weights file; {@code source} names it in errors. */
    public static Weights read(InputStream raw, String source) throws IOException {
        DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 1 << 16));
        byte[] magic = new byte[4];
        in.readFully(magic);
        if (!java.util.Arrays.equals(magic, MAGIC)) throw new IOException(source + " is not a Yardstick weights file");
        byte[] len = new byte[4];
        in.readFully(len);
        int n = ByteBuffer.wrap(len).order(ByteOrder.LITTLE_ENDIAN).getInt();
        if (n <= 0 || n > (64 << 20)) throw new IOException(source + " has a corrupt header");
        byte[] h = new byte[n];
        in.readFully(h);
        ObjectNode header = (ObjectNode) JSON.readTree(new String(h, StandardCharsets.UTF_8));
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (var t : header.withArray("tensors")) {
            int[] shape = new int[t.get("shape").size()];
            int count = 1;
            for (int i = 0; i < shape.length; i++) {
                shape[i] = t.get("shape").get(i).asInt();
                count *= shape[i];
            }
            boolean half = t.get("dtype").asText().equals("f16");
            byte[] data = new byte[count * (half ? 2 : 4)];
            in.readFully(data);
            ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
            float[] v = new float[count];
            for (int i = 0; i < count; i++) v[i] = half ? Float.float16ToFloat(b.getShort()) : b.getFloat();
            tensors.put(t.get("name").asText(), new Tensor(shape, v));
        }
        return new Weights(header.path("kind").asText(), (ObjectNode) header.get("config"),
                header.get("meta") instanceof ObjectNode m ? m : JSON.createObjectNode(), tensors);
    }
}
