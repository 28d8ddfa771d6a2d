package yardstick.spark.driver;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectStreamClass;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Base64;
import java.util.function.BiConsumer;

/**
 * Code from notebook cells on the driver: the kernel sends the bytecode of its snippet classes, which are written to a
 * folder here and published where executors load them (a classic driver's folder is itself the REPL class folder
 * Spark serves them from; a Spark Connect session gets them as class artifacts). Objects made in cells (a scorer, a
 * lambda) arrive serialized and are read with a class loader that sees those classes: here to check them before a
 * job starts, on executors with the task's class loader.
 */
final class CellClasses {
    private final Path dir;
    private final BiConsumer<String, byte[]> publish;
    private final URLClassLoader loader;

    /** {@code publish} gets each class written, by name, for where executors load classes from. */
    CellClasses(Path dir, BiConsumer<String, byte[]> publish) {
        this.dir = dir;
        this.publish = publish;
        try {
            this.loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, CellClasses.class.getClassLoader());
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes classes sent as {@code {"REPL.$JShell$12$Shout": base64, ...}}, each whole before it can be served. */
    void write(JsonNode classes) {
        classes.properties().forEach(e -> {
            Path f = dir.resolve(e.getKey().replace('.', '/') + ".class");
            try {
                Files.createDirectories(f.getParent());
                byte[] bytes = Base64.getDecoder().decode(e.getValue().asText());
                Path tmp = Files.write(f.resolveSibling(f.getFileName() + ".tmp"), bytes);
                Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                publish.accept(e.getKey(), bytes);
            } catch (IOException ex) {
                throw new UncheckedIOException("cannot write the cell class " + e.getKey() + " to " + f, ex);
            }
        });
    }

    ClassLoader loader() {
        return loader;
    }

    /**
     * Reads a serialized cell object with {@code loader} (the driver's, or an executor task's, which fetches cell
     * classes from the driver); {@code what} names it in the error.
     */
    static Object read(byte[] bytes, ClassLoader loader, String what) {
        try (ObjectInputStream in = new LoaderInput(new ByteArrayInputStream(bytes), loader)) {
            return in.readObject();
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(what + " needs the class " + e.getMessage() + ", which is neither in "
                    + "Yardstick's jars nor among the notebook's cell classes", e);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + what + " from the notebook: " + e, e);
        }
    }

    /** Resolves classes with a given loader, not the caller's (which is Yardstick's and knows no cell class). */
    private static final class LoaderInput extends ObjectInputStream {
        private final ClassLoader loader;

        LoaderInput(InputStream in, ClassLoader loader) throws IOException {
            super(in);
            this.loader = loader;
        }

        @Override
        protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
            try {
                return Class.forName(desc.getName(), false, loader);
            } catch (ClassNotFoundException e) {
                return super.resolveClass(desc);  // primitives
            }
        }
    }
}
