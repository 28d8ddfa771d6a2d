package yardstick.magics.track;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Log records waiting on disk for an unreachable tracker: one JSON line each, in order. A lock file marks a spool
 * whose session is alive; a spool whose lock can be taken belongs to a session that ended, and is replayed by the
 * next one.
 */
final class Spool implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path file;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private Spool(Path file, FileChannel lockChannel, FileLock lock) {
        this.file = file;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /** Takes the spool at {@code file}, or returns null when a live session holds it. */
    static Spool tryOpen(Path file) {
        try {
            Files.createDirectories(file.getParent());
            FileChannel ch = FileChannel.open(lockFile(file), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                ch.close();
                return null;
            }
            return new Spool(file, ch, lock);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the log spool " + file + ": " + e.getMessage(), e);
        }
    }

    /** Spools left by sessions that ended, each now held by the caller. */
    static List<Spool> orphans(Path dir, Path own) {
        List<Spool> found = new ArrayList<>();
        if (!Files.isDirectory(dir)) return found;
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.filter(p -> p.toString().endsWith(".jsonl") && !p.equals(own)).sorted().toList()) {
                Spool sp = tryOpen(p);
                if (sp != null) found.add(sp);
            }
        } catch (IOException e) {
            // Unreadable directory: nothing to adopt.
        }
        return found;
    }

    private static Path lockFile(Path file) {
        return file.resolveSibling(file.getFileName() + ".lock");
    }

    Path file() {
        return file;
    }

    synchronized void append(List<LogOp> ops) {
        if (ops.isEmpty()) return;
        StringBuilder sb = new StringBuilder();
        try {
            for (LogOp op : ops) sb.append(JSON.writeValueAsString(op)).append('\n');
            Files.writeString(file, sb, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the log spool " + file + ": " + e.getMessage(), e);
        }
    }

    synchronized List<LogOp> read() {
        List<LogOp> ops = new ArrayList<>();
        if (!Files.exists(file)) return ops;
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (line.isBlank()) continue;
                try {
                    ops.add(JSON.readValue(line, LogOp.class));
                } catch (IOException damaged) {
                    // A line cut short by a crash: the rest is still worth sending.
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the log spool " + file + ": " + e.getMessage(), e);
        }
        return ops;
    }

    /** Replaces the contents with {@code rest}; deletes the file when nothing is left. */
    synchronized void rewrite(List<LogOp> rest) {
        try {
            if (rest.isEmpty()) {
                Files.deleteIfExists(file);
                return;
            }
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            StringBuilder sb = new StringBuilder();
            for (LogOp op : rest) sb.append(JSON.writeValueAsString(op)).append('\n');
            Files.writeString(tmp, sb, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rewrite the log spool " + file + ": " + e.getMessage(), e);
        }
    }

    synchronized boolean isEmpty() {
        try {
            return !Files.exists(file) || Files.size(file) == 0;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public synchronized void close() {
        try {
            if (isEmpty()) Files.deleteIfExists(file);
            lock.release();
            lockChannel.close();
            if (!Files.exists(file)) Files.deleteIfExists(lockFile(file));
        } catch (IOException e) {
            // The lock goes with the process anyway.
        }
    }
}
