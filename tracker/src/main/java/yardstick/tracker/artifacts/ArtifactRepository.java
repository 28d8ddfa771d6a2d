package yardstick.tracker.artifacts;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import yardstick.tracker.model.ErrorCode;
import yardstick.tracker.model.MlflowException;

/**
 * Artifact files under one root directory. Every path is relative and checked to stay inside the
 * root: {@code ..}, absolute paths, percent-encoded variants and symlinks leading out are refused
 * with INVALID_PARAMETER_VALUE.
 */
public final class ArtifactRepository {
    private final Path root;
    private final Path realRoot;
    private final long maxUploadBytes;

    public ArtifactRepository(Path root, long maxUploadBytes) {
        try {
            Files.createDirectories(root);
            this.root = root.toAbsolutePath().normalize();
            this.realRoot = this.root.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot use artifact root " + root, e);
        }
        this.maxUploadBytes = maxUploadBytes;
    }

    public Path root() {
        return root;
    }

    public long maxUploadBytes() {
        return maxUploadBytes;
    }

    /**
     * Checks a relative artifact path, decoding percent-escapes repeatedly so that no encoding of
     * {@code ..} slips through, and returns it with redundant slashes removed.
     */
    public static String checkRelative(String path) {
        String candidate = path;
        for (int depth = 0; depth < 4; depth++) {
            checkSegments(path, candidate);
            String decoded = percentDecode(candidate);
            if (decoded == null || decoded.equals(candidate)) {
                break;
            }
            candidate = decoded;
        }
        StringBuilder clean = new StringBuilder();
        for (String part : path.split("/")) {
            if (!part.isEmpty() && !part.equals(".")) {
                if (!clean.isEmpty()) {
                    clean.append('/');
                }
                clean.append(part);
            }
        }
        return clean.toString();
    }

    private static void checkSegments(String original, String path) {
        if (path.startsWith("/") || path.startsWith("\\") || path.contains("\\") || path.indexOf('\0') >= 0
                || path.contains("#") || (path.length() >= 2 && path.charAt(1) == ':' && Character.isLetter(path.charAt(0)))) {
            throw invalid(original);
        }
        for (String part : path.split("/")) {
            if (part.equals("..")) {
                throw invalid(original);
            }
        }
    }

    static MlflowException invalid(String path) {
        return MlflowException.invalidParameter("Invalid path: " + path);
    }

    /** Decodes %XX escapes (UTF-8); null when the text holds a malformed escape. */
    static String percentDecode(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        var out = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) {
                    return null;
                }
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return null;
                }
                out.write(hi * 16 + lo);
                i += 2;
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                out.write(b, 0, b.length);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Resolves a checked relative path and makes sure no symlink along it leads out of the root. */
    public Path resolve(String relative) {
        String clean = checkRelative(relative);
        Path target = clean.isEmpty() ? root : root.resolve(clean).normalize();
        if (!target.startsWith(root)) {
            throw invalid(relative);
        }
        Path existing = target;
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            throw invalid(relative);
        }
        try {
            Path real = Files.exists(existing) ? existing.toRealPath() : null;
            // A dangling symlink (exists only without following) or one resolving outside the root is refused.
            if (real == null || !real.startsWith(realRoot)) {
                throw invalid(relative);
            }
        } catch (IOException e) {
            throw invalid(relative);
        }
        return target;
    }

    /**
     * Streams {@code body} into the file at {@code relative}: written to a temporary file beside it
     * and moved into place, so readers never see half a file and a refused upload leaves nothing.
     */
    public long write(String relative, InputStream body) {
        Path target = resolve(relative);
        if (target.equals(root)) {
            throw invalid(relative);
        }
        if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            throw MlflowException.invalidParameter("Invalid path: " + relative + " is a directory");
        }
        Path tmp = null;
        try {
            Files.createDirectories(target.getParent());
            resolve(relative);
            tmp = Files.createTempFile(target.getParent(), ".upload-", ".part");
            long written = 0;
            byte[] buffer = new byte[64 * 1024];
            try (OutputStream out = Files.newOutputStream(tmp)) {
                int n;
                while ((n = body.read(buffer)) > 0) {
                    written += n;
                    if (written > maxUploadBytes) {
                        throw new MlflowException(ErrorCode.INVALID_PARAMETER_VALUE, "Artifact '" + relative
                                + "' exceeds the upload size limit of " + maxUploadBytes + " bytes");
                    }
                    out.write(buffer, 0, n);
                }
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            tmp = null;
            return written;
        } catch (FileAlreadyExistsException e) {
            throw MlflowException.invalidParameter("Invalid path: " + relative + " collides with an existing file");
        } catch (IOException e) {
            throw new MlflowException(ErrorCode.INTERNAL_ERROR, "Could not write artifact '" + relative + "': " + e.getMessage());
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // The failure being reported matters more than a leftover temporary file.
                }
            }
        }
    }

    /** The regular file at {@code relative}, or RESOURCE_DOES_NOT_EXIST. */
    public Path file(String relative) {
        Path p = resolve(relative);
        if (!Files.isRegularFile(p) || p.getFileName().toString().startsWith(".upload-")) {
            throw MlflowException.notFound("Artifact '" + relative + "' does not exist");
        }
        return p;
    }

    /** The entries of a directory, sorted by name; empty when it does not exist. */
    public List<ArtifactEntry> list(String relative) {
        Path dir = resolve(relative);
        List<ArtifactEntry> entries = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return entries;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                if (name.startsWith(".upload-")) {
                    continue;
                }
                ArtifactEntry entry = entry(p, name);
                if (entry != null) {
                    entries.add(entry);
                }
            }
        } catch (IOException e) {
            throw new MlflowException(ErrorCode.INTERNAL_ERROR, "Could not list '" + relative + "': " + e.getMessage());
        }
        entries.sort(Comparator.comparing(ArtifactEntry::name));
        return entries;
    }

    /** One listed entry; null for a symlink leading out of the root or nowhere, or an entry gone meanwhile. */
    private ArtifactEntry entry(Path p, String name) {
        try {
            if (Files.isSymbolicLink(p) && !p.toRealPath().startsWith(realRoot)) {
                return null;
            }
            boolean isDir = Files.isDirectory(p);
            return new ArtifactEntry(name, isDir, isDir ? 0 : Files.size(p));
        } catch (IOException dangling) {
            return null;
        }
    }

    /** Deletes a file or a whole directory. */
    public void delete(String relative) {
        Path p = resolve(relative);
        if (p.equals(root)) {
            throw invalid(relative);
        }
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            throw MlflowException.notFound("Artifact '" + relative + "' does not exist");
        }
        try (Stream<Path> walk = Files.walk(p)) {
            for (Path q : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        } catch (IOException e) {
            throw new MlflowException(ErrorCode.INTERNAL_ERROR, "Could not delete '" + relative + "': " + e.getMessage());
        }
    }

    /** Opens a file for reading. */
    public InputStream open(String relative) throws IOException {
        return Files.newInputStream(file(relative));
    }
}
