package yardstick.kernel.eval;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Reader;
import java.io.StringReader;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.NestingKind;
import javax.tools.JavaFileObject;

/**
 * The entries of one jar by package, read once through {@link ZipFile}. javac's own file manager opens every
 * class-path jar as a zip file system and walks its whole tree the first time any package is looked up, which on a
 * kernel's class path of some 85 jars costs more than a second of the first cell; reading the same central directories
 * with {@code ZipFile} costs a fraction of that. Entries under {@code META-INF} are no package's.
 */
final class JarIndex implements AutoCloseable {
    private final Path jar;
    private final JarFile zip;
    /** Package directory ("a/b", "" for the root) to the names of the entries directly in it. */
    private final Map<String, List<String>> packages = new HashMap<>();

    JarIndex(Path jar) throws IOException {
        this.jar = jar;
        // Read as this JDK's release, as javac reads a multi-release jar when it compiles for the release it runs on:
        // a name stands for its entry of the highest version up to this one.
        this.zip = new JarFile(jar.toFile(), false, ZipFile.OPEN_READ, Runtime.version());
        try {
            zip.versionedStream().forEach(e -> {
                String name = e.getName();
                if (e.isDirectory() || name.startsWith("META-INF/")) return;
                int slash = name.lastIndexOf('/');
                packages.computeIfAbsent(slash < 0 ? "" : name.substring(0, slash), k -> new ArrayList<>()).add(name);
            });
        } catch (RuntimeException e) {
            zip.close();
            throw new IOException("cannot read " + jar + ": " + e.getMessage(), e);
        }
    }

    /** The files of a package (with {@code recurse}, and of its subpackages) whose kind is one of {@code kinds}. */
    void list(String packageName, Set<JavaFileObject.Kind> kinds, boolean recurse, List<JavaFileObject> into) {
        String dir = packageName.replace('.', '/');
        if (!recurse) {
            add(packages.get(dir), kinds, into);
            return;
        }
        for (Map.Entry<String, List<String>> p : packages.entrySet()) {
            String d = p.getKey();
            if (dir.isEmpty() || d.equals(dir) || d.startsWith(dir + "/")) add(p.getValue(), kinds, into);
        }
    }

    private void add(List<String> names, Set<JavaFileObject.Kind> kinds, List<JavaFileObject> into) {
        if (names == null) return;
        for (String n : names) {
            JavaFileObject.Kind k = kindOf(n);
            if (kinds.contains(k)) into.add(new Entry(this, n, k));
        }
    }

    static JavaFileObject.Kind kindOf(String name) {
        for (JavaFileObject.Kind k : JavaFileObject.Kind.values()) {
            if (k != JavaFileObject.Kind.OTHER && name.endsWith(k.extension)) return k;
        }
        return JavaFileObject.Kind.OTHER;
    }

    Path jar() {
        return jar;
    }

    @Override
    public void close() throws IOException {
        zip.close();
    }

    /**
     * One entry of an indexed jar, read from the jar when javac asks for its content. Not a {@code SimpleJavaFileObject}:
     * that wants a URI with a path, and a jar entry's {@code jar:} URI has none.
     */
    static final class Entry implements JavaFileObject {
        private final JarIndex index;
        private final String name;
        private final Kind kind;

        Entry(JarIndex index, String name, Kind kind) {
            this.index = index;
            this.name = name;
            this.kind = kind;
        }

        /** The binary name of the class this entry holds: {@code a/b/C$D.class} is {@code a.b.C$D}. */
        String binaryName() {
            return name.substring(0, name.length() - kind.extension.length()).replace('/', '.');
        }

        Path jar() {
            return index.jar;
        }

        @Override
        public URI toUri() {
            return URI.create("jar:" + index.jar.toUri() + "!/" + name);
        }

        @Override
        public String getName() {
            return index.jar + "(" + name + ")";  // as javac names a jar's entries in its messages
        }

        @Override
        public Kind getKind() {
            return kind;
        }

        @Override
        public boolean isNameCompatible(String simpleName, Kind kind) {
            return this.kind == kind && name.substring(name.lastIndexOf('/') + 1).equals(simpleName + kind.extension);
        }

        @Override
        public InputStream openInputStream() throws IOException {
            ZipEntry e = index.zip.getEntry(name);
            if (e == null) throw new IOException(name + " is no longer in " + index.jar);
            return index.zip.getInputStream(e);
        }

        @Override
        public Reader openReader(boolean ignoreEncodingErrors) throws IOException {
            return new StringReader(getCharContent(ignoreEncodingErrors).toString());
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) throws IOException {
            try (InputStream in = openInputStream()) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }

        @Override
        public OutputStream openOutputStream() {
            throw new UnsupportedOperationException(getName() + " is read-only");
        }

        @Override
        public Writer openWriter() {
            throw new UnsupportedOperationException(getName() + " is read-only");
        }

        @Override
        public long getLastModified() {
            ZipEntry e = index.zip.getEntry(name);
            return e == null ? 0 : e.getTime();
        }

        @Override
        public boolean delete() {
            return false;
        }

        @Override
        public NestingKind getNestingKind() {
            return null;
        }

        @Override
        public Modifier getAccessLevel() {
            return null;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Entry e && e.index.jar.equals(index.jar) && e.name.equals(name);
        }

        @Override
        public int hashCode() {
            return index.jar.hashCode() * 31 + name.hashCode();
        }

        @Override
        public String toString() {
            return getName();
        }
    }
}
