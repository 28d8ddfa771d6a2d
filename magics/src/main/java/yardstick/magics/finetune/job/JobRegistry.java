package yardstick.magics.finetune.job;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * Jobs on disk, one folder each under {@code YARDSTICK_HOME/jobs/ID}: {@code spec.json}, {@code job.json},
 * {@code progress.jsonl}, {@code log.txt}, {@code checkpoints/} and the result. Because everything is in files, a
 * restarted kernel finds its jobs again by id.
 */
public final class JobRegistry {
    static final String RECORD = "job.json", LOG = "log.txt";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path root;
    private final Map<String, Cached> cache = new HashMap<>();

    public JobRegistry(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    public Path dir(String id) {
        if (id == null || !id.matches("[A-Za-z0-9._-]{1,80}")) throw new JobException("'" + id + "' is not a job id");
        return root.resolve(id);
    }

    /** A fresh id: the time and a random suffix, readable and sortable ("ft-20250101-120000-3f2a"). */
    public String newId() {
        String t = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        return "ft-" + t + "-" + Integer.toHexString(0x1000 + ThreadLocalRandom.current().nextInt(0xf000));
    }

    public synchronized void save(JobRecord r) {
        try {
            Path dir = dir(r.id());
            Files.createDirectories(dir);
            // A temporary file of its own: another kernel's registry may be saving the same job at this moment.
            Path tmp = Files.createTempFile(dir, RECORD + ".", ".tmp");
            JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), r);
            Files.move(tmp, dir.resolve(RECORD), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            cache.remove(r.id());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save job " + r.id() + ": " + e.getMessage(), e);
        }
    }

    /** Reads a job's record, changes it and saves it as one step for this registry; returns what was saved. */
    public synchronized JobRecord update(String id, java.util.function.UnaryOperator<JobRecord> change) {
        JobRecord r = change.apply(get(id));
        save(r);
        return r;
    }

    public synchronized JobRecord get(String id) {
        Path f = dir(id).resolve(RECORD);
        try {
            // Monitors ask several times a second: parse the file again only when it changed.
            BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
            Cached c = cache.get(id);
            if (c != null && c.modified().equals(a.lastModifiedTime()) && c.size() == a.size()) return c.record();
            JobRecord r = JSON.readValue(f.toFile(), JobRecord.class);
            cache.put(id, new Cached(a.lastModifiedTime(), a.size(), r));
            return r;
        } catch (java.nio.file.NoSuchFileException e) {
            throw new JobException("no job '" + id + "' in " + root);
        } catch (IOException e) {
            throw new JobException("job " + id + " has an unreadable " + RECORD + ": " + e.getMessage());
        }
    }

    private record Cached(FileTime modified, long size, JobRecord record) {}

    public JobSpec spec(String id) {
        try {
            return JobSpec.read(dir(id).resolve("spec.json"));
        } catch (IOException e) {
            throw new JobException("job " + id + " has no readable spec.json: " + e.getMessage());
        }
    }

    /** Every job, oldest first. */
    public List<JobRecord> list() {
        if (!Files.isDirectory(root)) return List.of();
        List<JobRecord> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(root)) {
            for (Path d : s.sorted().toList()) {
                if (Files.isRegularFile(d.resolve(RECORD))) out.add(get(d.getFileName().toString()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** The last {@code lines} lines of the job's log. */
    public String logTail(String id, int lines) {
        Path f = dir(id).resolve(LOG);
        if (!Files.isRegularFile(f)) return "";
        try {
            List<String> all = Files.readAllLines(f);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(cannot read " + f + ": " + e.getMessage() + ")";
        }
    }
}
