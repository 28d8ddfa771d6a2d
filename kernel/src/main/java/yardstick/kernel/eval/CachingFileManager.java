package yardstick.kernel.eval;

import java.io.File;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;

/**
 * JShell's file manager with package listings remembered. Every cell's javac pass lists the same packages across
 * every class-path jar and JDK module; those never change, so a listing of a location made only of jars and the JDK
 * image is kept until the location's entries change (as {@code %classpath} and {@code %maven} change the class path).
 * A location with a directory in it is listed afresh each time: a directory's classes may change between cells.
 * A class path made only of jars is listed from each jar's {@link JarIndex}, whose entries this manager also names,
 * compares and places, as javac asks of every file object it lists.
 */
final class CachingFileManager extends ForwardingJavaFileManager<StandardJavaFileManager>
        implements StandardJavaFileManager {
    private record Listing(Location location, String packageName, Set<JavaFileObject.Kind> kinds, boolean recurse) {}

    /** What a location was made of when last listed, and whether that is only jars and the JDK image. */
    private record Entries(List<Path> paths, boolean archivesOnly) {}

    private final Map<Listing, List<JavaFileObject>> listings = new ConcurrentHashMap<>();
    private final Map<Location, Entries> entries = new ConcurrentHashMap<>();
    /** Class-path jars read once: javac's own reading of them is what makes the first cell slow (see {@link JarIndex}). */
    private final Map<Path, JarIndex> jars = new ConcurrentHashMap<>();

    CachingFileManager(StandardJavaFileManager standard) {
        super(standard);
    }

    @Override
    public Iterable<JavaFileObject> list(Location location, String packageName, Set<JavaFileObject.Kind> kinds,
                                         boolean recurse) throws IOException {
        if (!archivesOnly(location)) return super.list(location, packageName, kinds, recurse);
        Listing key = new Listing(location, packageName, Set.copyOf(kinds), recurse);
        List<JavaFileObject> cached = listings.get(key);
        if (cached != null) return cached;
        List<JavaFileObject> files = new ArrayList<>();
        List<JarIndex> indexes = location == StandardLocation.CLASS_PATH ? jarIndexes(entries.get(location).paths()) : null;
        if (indexes != null) {
            for (JarIndex jar : indexes) jar.list(packageName, kinds, recurse, files);
        } else {
            super.list(location, packageName, kinds, recurse).forEach(files::add);
        }
        cached = List.copyOf(files);
        listings.put(key, cached);
        return cached;
    }

    /** The indexes of a class path made only of jars, in its order; null when it has anything else or a jar is unreadable. */
    private List<JarIndex> jarIndexes(List<Path> paths) {
        List<JarIndex> found = new ArrayList<>();
        for (Path p : paths) {
            if (p.getFileSystem() != FileSystems.getDefault() || !Files.isRegularFile(p)) return null;
            JarIndex index = jars.computeIfAbsent(p.toAbsolutePath(), jar -> {
                try {
                    return new JarIndex(jar);
                } catch (IOException e) {
                    return null;  // javac's own file manager then reads it and reports what is wrong with it
                }
            });
            if (index == null) return null;
            found.add(index);
        }
        return found;
    }

    @Override
    public String inferBinaryName(Location location, JavaFileObject file) {
        return file instanceof JarIndex.Entry e ? e.binaryName() : super.inferBinaryName(location, file);
    }

    @Override
    public boolean isSameFile(FileObject a, FileObject b) {
        if (a instanceof JarIndex.Entry || b instanceof JarIndex.Entry) return a.equals(b);
        return fileManager.isSameFile(a, b);
    }

    @Override
    public boolean contains(Location location, FileObject file) throws IOException {
        if (!(file instanceof JarIndex.Entry e)) return super.contains(location, file);
        Iterable<? extends Path> paths = fileManager.getLocationAsPaths(location);
        if (paths == null) return false;
        for (Path p : paths) if (p.toAbsolutePath().equals(e.jar())) return true;
        return false;
    }

    @Override
    public void close() throws IOException {
        for (JarIndex index : jars.values()) index.close();
        jars.clear();
        super.close();
    }

    /**
     * Whether every entry of a location is a jar or lies in the JDK's image, whose contents stay as they are. The
     * entries are compared with the last listing's on every call, not watched through option calls, which arrive with
     * every compile; when they changed, that location's listings are dropped.
     */
    private boolean archivesOnly(Location location) {
        List<Path> paths = new ArrayList<>();
        try {
            Iterable<? extends Path> current = fileManager.getLocationAsPaths(location);
            if (current == null) return false;
            current.forEach(paths::add);
        } catch (RuntimeException e) {
            return false; // a module-oriented location: its modules are listed through their own locations
        }
        Entries known = entries.get(location);
        if (known != null && known.paths().equals(paths)) return known.archivesOnly();
        listings.keySet().removeIf(l -> l.location().equals(location));
        boolean archives = paths.stream()
                .allMatch(p -> p.getFileSystem() != FileSystems.getDefault() || Files.isRegularFile(p));
        entries.put(location, new Entries(paths, archives));
        return archives;
    }

    // The rest of StandardJavaFileManager, forwarded as is.

    @Override
    public void setLocation(Location location, Iterable<? extends File> files) throws IOException {
        fileManager.setLocation(location, files);
    }

    @Override
    public void setLocationFromPaths(Location location, Collection<? extends Path> paths) throws IOException {
        fileManager.setLocationFromPaths(location, paths);
    }

    @Override
    public void setLocationForModule(Location location, String moduleName, Collection<? extends Path> paths)
            throws IOException {
        fileManager.setLocationForModule(location, moduleName, paths);
    }

    @Override
    public Iterable<? extends JavaFileObject> getJavaFileObjectsFromFiles(Iterable<? extends File> files) {
        return fileManager.getJavaFileObjectsFromFiles(files);
    }

    @Override
    public Iterable<? extends JavaFileObject> getJavaFileObjectsFromPaths(Collection<? extends Path> paths) {
        return fileManager.getJavaFileObjectsFromPaths(paths);
    }

    @Override
    public Iterable<? extends JavaFileObject> getJavaFileObjects(File... files) {
        return fileManager.getJavaFileObjects(files);
    }

    @Override
    public Iterable<? extends JavaFileObject> getJavaFileObjects(Path... paths) {
        return fileManager.getJavaFileObjects(paths);
    }

    @Override
    public Iterable<? extends JavaFileObject> getJavaFileObjectsFromStrings(Iterable<String> names) {
        return fileManager.getJavaFileObjectsFromStrings(names);
    }

    @Override
    public Iterable<? extends JavaFileObject> getJavaFileObjects(String... names) {
        return fileManager.getJavaFileObjects(names);
    }

    @Override
    public Iterable<? extends File> getLocation(Location location) {
        return fileManager.getLocation(location);
    }

    @Override
    public Iterable<? extends Path> getLocationAsPaths(Location location) {
        return fileManager.getLocationAsPaths(location);
    }

    @Override
    public Path asPath(FileObject file) {
        return fileManager.asPath(file);
    }

    @Override
    public void setPathFactory(PathFactory f) {
        fileManager.setPathFactory(f);
    }
}
