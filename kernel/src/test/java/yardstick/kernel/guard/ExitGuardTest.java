package yardstick.kernel.guard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

class ExitGuardTest {
    private record Result(int exit, String output) {}

    private static Result java(Path dir, boolean agent, String main, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        if (agent) cmd.addAll(ExitAgent.jvmOptions(ExitAgent.jar(dir.resolve("agent"))));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), main));
        cmd.addAll(List.of(args));
        Path log = dir.resolve("out.log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), "the probe JVM did not end");
        return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }

    @Test
    void withTheAgentEveryWayOutIsRefusedWhileASessionIsOpen(@TempDir Path dir) throws Exception {
        Result r = java(dir, true, ExitProbe.class.getName());
        assertEquals(List.of(
                "active true",
                "refused: System.exit(3) was called; the kernel keeps running",
                "refused: Runtime.exit(4) was called; the kernel keeps running",
                "refused: Runtime.halt(5) was called; the kernel keeps running",
                "refused: System.exit(6) was called; the kernel keeps running",
                "refused: System.exit(7) was called; the kernel keeps running",
                "refused: Runtime.halt(8) was called; the kernel keeps running",
                "still running"), r.output().lines().toList());
        assertEquals(42, r.exit(), "the kernel's own exit passes: " + r.output());
    }

    @Test
    void withNoSessionOpenExitWorksAsUsual(@TempDir Path dir) throws Exception {
        Result r = java(dir, true, ExitProbe.class.getName(), "no-session");
        assertEquals(List.of("active true"), r.output().lines().toList());
        assertEquals(3, r.exit(), r.output());
    }

    @Test
    void withoutTheAgentNothingIsRefused(@TempDir Path dir) throws Exception {
        Result r = java(dir, false, ExitProbe.class.getName());
        assertEquals(List.of("active false"), r.output().lines().toList());
        assertEquals(3, r.exit(), r.output());
    }

    @Test
    void thePatchCallsTheHookFirstInExitAndHalt() throws Exception {
        byte[] runtime = Files.readAllBytes(FileSystems.getFileSystem(URI.create("jrt:/"))
                .getPath("modules", "java.base", "java/lang/Runtime.class"));
        List<String> firsts = new ArrayList<>();
        new ClassReader(ExitAgent.patch(runtime)).accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String desc, String sig, String[] exceptions) {
                if (!desc.equals("(I)V") || !(name.equals("exit") || name.equals("halt"))) return null;
                return new MethodVisitor(Opcodes.ASM9) {
                    final List<String> seen = new ArrayList<>();

                    @Override
                    public void visitLdcInsn(Object value) {
                        seen.add("ldc " + value);
                    }

                    @Override
                    public void visitVarInsn(int opcode, int var) {
                        seen.add((opcode == Opcodes.ILOAD ? "iload " : opcode + " ") + var);
                    }

                    @Override
                    public void visitMethodInsn(int opcode, String owner, String method, String d, boolean itf) {
                        seen.add(owner + "." + method + d);
                    }

                    @Override
                    public void visitEnd() {
                        firsts.add(name + ": " + String.join(", ", seen.subList(0, 3)));
                    }
                };
            }
        }, 0);
        String hook = ExitAgent.HOOK + ".check(Ljava/lang/String;I)V";
        assertEquals(List.of("exit: ldc exit, iload 1, " + hook, "halt: ldc halt, iload 1, " + hook), firsts);
    }

    @Test
    void withTheAgentButNotOnTheBootClassPathTheGuardIsOffAndSaysWhy(@TempDir Path dir) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-javaagent:" + ExitAgent.jar(dir.resolve("agent")), "-cp", System.getProperty("java.class.path"),
                ExitProbe.class.getName()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(2, TimeUnit.MINUTES));
        assertTrue(out.contains("System.exit cannot be refused in this JVM"), out);
        assertTrue(out.contains("-Xbootclasspath/a:"), out);
        assertEquals(3, p.exitValue(), out);
    }

    @Test
    void theAgentJarHoldsOnlyTheHookForTheBootClassPath(@TempDir Path dir) throws Exception {
        Path jar = ExitAgent.jar(dir);
        assertEquals(jar, ExitAgent.jar(dir), "the same content gets the same jar");
        assertEquals(List.of("-Xbootclasspath/a:" + jar.toAbsolutePath(), "-javaagent:" + jar.toAbsolutePath()),
                ExitAgent.jvmOptions(jar));
        try (JarFile f = new JarFile(jar.toFile())) {
            var main = f.getManifest().getMainAttributes();
            assertEquals(ExitAgent.class.getName(), main.getValue("Premain-Class"));
            assertEquals("true", main.getValue("Can-Retransform-Classes"));
            assertEquals(null, main.getValue("Boot-Class-Path"), "an AOT cache's assembly would not see it");
            assertTrue(f.getEntry(ExitAgent.HOOK + ".class") != null);
            assertFalse(f.stream().anyMatch(e -> e.getName().endsWith("ExitAgent.class")),
                    "the agent class stays on the class path, where ASM is");
        }
    }
}
