package yardstick.kernel.guard;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.ProtectionDomain;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * The java agent ({@code -javaagent:}) that puts {@link ExitHook#check} first in {@code java.lang.Runtime.exit(int)}
 * and {@code halt(int)}, so every way of ending the JVM from Java code (System.exit, Runtime.exit, Runtime.halt,
 * directly, through reflection or a method handle, from any class loader) passes the kernel's {@link ExitGuard}.
 * Signals (SIGTERM, SIGINT) end the JVM without these methods, so Jupyter can still stop the kernel.
 *
 * <p>The agent jar holds only a manifest and {@link ExitHook}, which {@code -Xbootclasspath/a} puts on the boot class
 * path ({@link #jvmOptions}); this class, and ASM, are found on the ordinary class path. {@link #jar} writes that jar.
 * The boot class path is named on the command line rather than in the manifest's {@code Boot-Class-Path}: the JVM
 * that assembles an AOT cache (JDK 25, {@code -XX:AOTCacheOutput}) sees the command line, not what an agent added,
 * and refuses a boot class path that differs from the training run's.
 */
public final class ExitAgent {
    static final String HOOK = ExitHook.class.getName().replace('.', '/');
    private static volatile boolean installed;

    private ExitAgent() {}

    /** Called by the JVM before main when the kernel starts with {@code -javaagent:JAR}. */
    public static void premain(String args, Instrumentation inst) {
        try {
            install(inst);
        } catch (Throwable e) {
            // The kernel works without the guard; it only cannot refuse System.exit.
            System.err.println("yardstick: System.exit cannot be refused in this JVM: " + e);
        }
    }

    /** True when {@code Runtime.exit} and {@code Runtime.halt} call the hook in this JVM. */
    public static boolean installed() {
        return installed;
    }

    private static void install(Instrumentation inst) throws Exception {
        if (ExitHook.class.getClassLoader() != null) {
            throw new IllegalStateException(ExitHook.class.getName() + " is not on the boot class path (start the JVM"
                    + " with -Xbootclasspath/a: and -javaagent: both naming the agent jar)");
        }
        // java.lang.Runtime may only link to a class of a module that java.base reads.
        inst.redefineModule(Runtime.class.getModule(), Set.of(ExitHook.class.getModule()), Map.of(), Map.of(),
                Set.of(), Map.of());
        Throwable[] failure = new Throwable[1];
        ClassFileTransformer patcher = new ClassFileTransformer() {
            @Override
            public byte[] transform(Module module, ClassLoader loader, String name, Class<?> redefined,
                    ProtectionDomain domain, byte[] bytes) {
                if (redefined != Runtime.class) return null;
                try {
                    return patch(bytes);
                } catch (Throwable e) {
                    failure[0] = e;  // the JVM ignores what a transformer throws: keep it to report
                    return null;
                }
            }
        };
        inst.addTransformer(patcher, true);
        try {
            inst.retransformClasses(Runtime.class);
        } finally {
            inst.removeTransformer(patcher);
        }
        if (failure[0] != null) throw new IllegalStateException("patching java.lang.Runtime failed", failure[0]);
        ExitHook.guard = ExitGuard::check;
        installed = true;
    }

    /** Runtime's class file with {@code ExitHook.check("exit"|"halt", status)} first in exit(int) and halt(int). */
    static byte[] patch(byte[] runtime) {
        ClassReader reader = new ClassReader(runtime);
        ClassWriter writer = new ClassWriter(reader, ClassWriter.COMPUTE_MAXS);
        int[] patched = new int[1];
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String desc, String signature, String[] exceptions) {
                MethodVisitor mv = super.visitMethod(access, name, desc, signature, exceptions);
                if (!(name.equals("exit") || name.equals("halt")) || !desc.equals("(I)V")
                        || (access & Opcodes.ACC_STATIC) != 0) {
                    return mv;
                }
                patched[0]++;
                return new MethodVisitor(Opcodes.ASM9, mv) {
                    @Override
                    public void visitCode() {
                        super.visitCode();
                        // No branch: the method's stack map frames stay as they are, only moved.
                        super.visitLdcInsn(name);
                        super.visitVarInsn(Opcodes.ILOAD, 1);
                        super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOK, "check", "(Ljava/lang/String;I)V", false);
                    }
                };
            }
        }, 0);
        if (patched[0] != 2) throw new IllegalStateException("found " + patched[0] + " of Runtime.exit(int), halt(int)");
        return writer.toByteArray();
    }

    /** The JVM options that start a JVM with the exit agent in {@code jar} ({@link #jar}). */
    public static List<String> jvmOptions(Path jar) {
        String path = jar.toAbsolutePath().toString();
        return List.of("-Xbootclasspath/a:" + path, "-javaagent:" + path);
    }

    /**
     * The agent jar in {@code dir}, written when missing; its name carries a digest of its content, so jars of
     * other versions of the kernel sit beside it untouched. Returns its path.
     */
    public static Path jar(Path dir) throws IOException {
        byte[] hook;
        try (InputStream in = ExitAgent.class.getResourceAsStream("/" + HOOK + ".class")) {
            if (in == null) throw new IOException("no " + HOOK + ".class on the class path");
            hook = in.readAllBytes();
        }
        Manifest manifest = new Manifest();
        Attributes a = manifest.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Premain-Class", ExitAgent.class.getName());
        a.putValue("Can-Retransform-Classes", "true");
        ByteArrayOutputStream manifestBytes = new ByteArrayOutputStream();
        manifest.write(manifestBytes);
        String digest;
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(manifestBytes.toByteArray());
            digest = HexFormat.of().formatHex(Arrays.copyOf(sha.digest(hook), 6));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        Path jar = dir.resolve("yardstick-exit-agent-" + digest + ".jar");
        if (Files.isRegularFile(jar)) return jar;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream out = new JarOutputStream(bytes, manifest)) {
            out.putNextEntry(new JarEntry(HOOK + ".class"));
            out.write(hook);
            out.closeEntry();
        }
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".agent", ".tmp");
        Files.write(tmp, bytes.toByteArray());
        Files.move(tmp, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return jar;
    }

}
