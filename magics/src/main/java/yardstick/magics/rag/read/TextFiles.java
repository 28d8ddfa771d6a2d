package yardstick.magics.rag.read;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reading a file as text, refusing binary files and naming why a file cannot be read. */
final class TextFiles {
    private static final int SNIFF = 8192;

    private TextFiles() {}

    static String read(Path file) throws SkippedFileException {
        byte[] bytes = bytes(file);
        if (looksBinary(bytes)) throw new SkippedFileException("binary file");
        String s = new String(bytes, StandardCharsets.UTF_8);
        return s.startsWith("\uFEFF") ? s.substring(1) : s;
    }

    static byte[] bytes(Path file) throws SkippedFileException {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw unreadable(e);
        }
    }

    static SkippedFileException unreadable(IOException e) {
        String why = e instanceof java.nio.file.NoSuchFileException ? "no such file"
                : e instanceof java.nio.file.AccessDeniedException ? "permission denied" : e.getMessage();
        return new SkippedFileException("unreadable: " + why);
    }

    /** A NUL byte in the first 8 KiB: text files never have one, nearly all binary formats do. */
    static boolean looksBinary(byte[] bytes) {
        for (int i = 0; i < Math.min(bytes.length, SNIFF); i++) if (bytes[i] == 0) return true;
        return false;
    }

    static boolean looksBinary(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return looksBinary(in.readNBytes(SNIFF));
        } catch (IOException e) {
            return false;
        }
    }
}
