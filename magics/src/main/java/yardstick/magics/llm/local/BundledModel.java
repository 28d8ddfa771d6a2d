package yardstick.magics.llm.local;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import yardstick.magics.YardstickHome;

/**
 * Yardstick's own small language model, pre-trained from scratch on the project's documentation and templates (see
 * {@code magics/data/local-model/README.md} for the command that reproduces it). It ships in this jar as float16.
 */
public final class BundledModel {
    /** The model name that means this model. */
    public static final String NAME = "local";
    public static final String RESOURCE = "yardstick/magics/llm/local/yardstick-tiny.ysw";
    /** The file name of the extracted weights, under the home's {@code models} folder. */
    public static final String FILE_NAME = "yardstick-tiny.ysw";

    private BundledModel() {}

    public static InputStream open() throws IOException {
        InputStream in = BundledModel.class.getClassLoader().getResourceAsStream(RESOURCE);
        if (in == null) throw new IOException(RESOURCE + " is not on the class path");
        return in;
    }

    /** The bundled weights as a file under Yardstick's home (see {@link #file(Path)}). */
    public static Path file() throws IOException {
        return file(YardstickHome.resolve());
    }

    /**
     * The bundled weights as the file {@code <home>/models/yardstick-tiny.ysw}, for programs outside this JVM (a
     * PyTorch trainer's {@code --base}): written atomically when missing or different, else reused as it is.
     */
    public static Path file(Path home) throws IOException {
        byte[] bytes;
        try (InputStream in = open()) {
            bytes = in.readAllBytes();
        }
        Path target = home.resolve("models").resolve(FILE_NAME);
        // Compared byte for byte, so a file left by another version of the jar is replaced, never trusted by name.
        if (Files.isRegularFile(target) && Files.size(target) == bytes.length
                && Arrays.equals(Files.readAllBytes(target), bytes)) {
            return target;
        }
        Files.createDirectories(target.getParent());
        // A temporary file of its own, so two kernels extracting at once never write into the same file.
        Path tmp = Files.createTempFile(target.getParent(), FILE_NAME + ".", ".tmp");
        try {
            Files.write(tmp, bytes);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return target;
    }
}
