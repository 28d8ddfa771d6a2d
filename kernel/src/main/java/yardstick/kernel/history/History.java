package yardstick.kernel.history;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import yardstick.kernel.protocol.Header;
import yardstick.kernel.protocol.Json;
import yardstick.kernel.protocol.Log;

/**
 * Executed cells, kept per user in one JSON-lines file so history survives restarts. Each kernel start is a new
 * session number; lines count the cells of a session from 1.
 */
public final class History {
    /** One stored input. */
    public record Entry(int session, int line, String input) {}

    private final Path file;
    private final List<Entry> entries = new ArrayList<>();
    private final int session;

    public History(Path file) {
        this.file = file;
        this.session = claimSession();
    }

    /**
     * Reads the file and appends a marker that claims the next session number, under a file lock, so two kernels
     * starting at once get different numbers.
     */
    private int claimSession() {
        int last = 0;
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE); FileLock lock = ch.lock()) {
                byte[] all = new byte[(int) ch.size()];
                ch.read(ByteBuffer.wrap(all), 0);
                for (String l : new String(all, StandardCharsets.UTF_8).split("\n")) {
                    if (l.isBlank()) continue;
                    try {
                        JsonNode n = Json.MAPPER.readTree(l);
                        last = Math.max(last, n.path("session").asInt());
                        if (n.has("input")) entries.add(new Entry(n.path("session").asInt(), n.path("line").asInt(), n.path("input").asText()));
                    } catch (IOException bad) {
                        Log.warn("skipped a damaged history line in " + file);
                    }
                }
                byte[] marker = (Json.object().put("session", last + 1).put("started", Header.now()) + "\n").getBytes(StandardCharsets.UTF_8);
                ch.write(ByteBuffer.wrap(marker), ch.size());
            }
        } catch (IOException e) {
            Log.warn("cannot use history " + file + ": " + e.getMessage());
        }
        return last + 1;
    }

    public int session() {
        return session;
    }

    public synchronized void add(int line, String input) {
        Entry e = new Entry(session, line, input);
        entries.add(e);
        try {
            Files.createDirectories(file.getParent());
            try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
                w.write(Json.object().put("session", e.session()).put("line", e.line()).put("input", input).toString());
                w.write('\n');
            }
        } catch (IOException ex) {
            Log.warn("cannot write history " + file + ": " + ex.getMessage());
        }
    }

    /** The last {@code n} inputs, oldest first. */
    public synchronized List<Entry> tail(int n) {
        return List.copyOf(entries.subList(Math.max(0, entries.size() - n), entries.size()));
    }

    /** Lines {@code [start, stop)} of a session; 0 is this one, negative counts back from it. */
    public synchronized List<Entry> range(int sessionNumber, int start, int stop) {
        int s = sessionNumber <= 0 ? session + sessionNumber : sessionNumber;
        return entries.stream()
                .filter(e -> e.session() == s && e.line() >= start && (stop <= 0 || e.line() < stop))
                .toList();
    }

    /** Inputs matching a glob ({@code *}, {@code ?}), the last {@code n}, optionally without repeats. */
    public synchronized List<Entry> search(String glob, int n, boolean unique) {
        Pattern p = Pattern.compile(globToRegex(glob == null || glob.isEmpty() ? "*" : glob), Pattern.DOTALL);
        List<Entry> hits = entries.stream().filter(e -> p.matcher(e.input()).matches()).toList();
        if (unique) {
            Map<String, Entry> latest = new LinkedHashMap<>();
            for (Entry e : hits) {
                latest.remove(e.input());
                latest.put(e.input(), e);
            }
            hits = List.copyOf(latest.values());
        }
        return n > 0 ? hits.subList(Math.max(0, hits.size() - n), hits.size()) : hits;
    }

    static String globToRegex(String glob) {
        StringBuilder sb = new StringBuilder();
        for (char c : glob.toCharArray()) {
            switch (c) {
                case '*' -> sb.append(".*");
                case '?' -> sb.append('.');
                default -> sb.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return sb.toString();
    }
}
