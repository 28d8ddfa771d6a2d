package yardstick.kernel.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import yardstick.kernel.guard.ExitAgent;
import yardstick.kernel.protocol.Json;

/** {@code yardstick install}: writes the kernelspec (kernel.json and logos) where Jupyter looks for kernels. */
public final class Install {
    static final String DEFAULT_NAME = "yardstick";

    private Install() {}

    static int run(List<String> args) throws IOException, InterruptedException {
        String name = DEFAULT_NAME;
        Path kernels = null;
        for (int i = 0; i < args.size(); i++) {
            switch (args.get(i)) {
                case "--user" -> kernels = userDataDir().resolve("kernels");
                case "--sys-prefix" -> kernels = Path.of(pythonSysPrefix(), "share", "jupyter", "kernels");
                case "--prefix" -> kernels = Path.of(value(args, ++i, "--prefix"), "share", "jupyter", "kernels");
                case "--name" -> name = value(args, ++i, "--name");
                default -> {
                    System.err.println("yardstick install: unknown argument " + args.get(i)
                            + "\nusage: yardstick install [--user|--sys-prefix|--prefix DIR] [--name NAME]");
                    return 2;
                }
            }
        }
        if (!name.matches("[A-Za-z0-9._-]+")) {
            System.err.println("yardstick install: a kernel name may only have letters, digits, '.', '_' and '-'");
            return 2;
        }
        if (kernels == null) kernels = userDataDir().resolve("kernels");
        Path dir = kernels.resolve(name);
        write(dir);
        System.out.println("Installed kernelspec " + name + " in " + dir);
        try {
            System.out.println(StartupCache.prepare(ExitAgent.jar(dir)));
        } catch (IOException e) {
            // The kernel still starts without the cache, only slower.
            System.err.println("yardstick install: no startup cache (" + e.getMessage().lines().findFirst().orElse("") + ")");
        }
        return 0;
    }

    private static String value(List<String> args, int i, String option) {
        if (i >= args.size()) throw new IllegalArgumentException(option + " needs a value");
        return args.get(i);
    }

    /** Writes kernel.json and the logos into {@code dir}. */
    static void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        ObjectNode spec = Json.object();
        ArrayNode argv = spec.putArray("argv");
        // The exit agent's jar lives beside kernel.json, so the kernelspec names nothing that can go missing apart.
        kernelCommand(ExitAgent.jar(dir)).forEach(argv::add);
        spec.put("display_name", "Java (Yardstick)").put("language", "java").put("interrupt_mode", "message");
        spec.putObject("env");
        spec.putObject("metadata").put("debugger", false);
        Files.writeString(dir.resolve("kernel.json"), Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(spec));
        ImageIO.write(logo(32), "png", dir.resolve("logo-32x32.png").toFile());
        ImageIO.write(logo(64), "png", dir.resolve("logo-64x64.png").toFile());
    }

    /**
     * The command that starts this kernel with this JVM and this class path, with the exit agent from the Yardstick
     * home (written there when missing); without it, when that cannot be written.
     */
    public static List<String> kernelCommand() {
        return kernelCommand(homeExitAgent());
    }

    /** The exit agent's jar in the Yardstick home, written when missing; null when it cannot be. */
    static Path homeExitAgent() {
        try {
            return ExitAgent.jar(Paths.home().resolve("agent"));
        } catch (IOException e) {
            System.err.println("yardstick: the kernel starts without its exit guard: " + e.getMessage());
            return null;
        }
    }

    /** The command that starts this kernel with this JVM, this class path and the exit agent jar given (or none). */
    static List<String> kernelCommand(Path exitAgent) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(Jvm.kernelFlags(exitAgent));
        cmd.add("-cp");
        cmd.add(absoluteClassPath());
        cmd.add(Main.class.getName());
        cmd.add("kernel");
        cmd.add("-f");
        cmd.add("{connection_file}");
        return cmd;
    }

    static String absoluteClassPath() {
        List<String> parts = new ArrayList<>();
        for (String p : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!p.isEmpty()) parts.add(Path.of(p).toAbsolutePath().toString());
        }
        return String.join(File.pathSeparator, parts);
    }

    private static Path userDataDir() {
        String xdg = System.getenv("JUPYTER_DATA_DIR");
        if (xdg != null && !xdg.isBlank()) return Path.of(xdg);
        return Path.of(System.getProperty("user.home"), ".local", "share", "jupyter");
    }

    private static String pythonSysPrefix() throws IOException, InterruptedException {
        for (String python : List.of("python3", "python")) {
            try {
                Process p = new ProcessBuilder(python, "-c", "import sys; print(sys.prefix)").redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes()).strip();
                if (p.waitFor() == 0 && !out.isEmpty()) return out;
            } catch (IOException tryNext) {
                // not on PATH
            }
        }
        throw new IOException("--sys-prefix needs python3 on PATH to find sys.prefix");
    }

    /** A yardstick: a ruler with tick marks, drawn rather than shipped as a binary. */
    static BufferedImage logo(int size) {
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.rotate(-Math.PI / 4, size / 2.0, size / 2.0);
        int h = size / 4, y = (size - h) / 2;
        g.setColor(new Color(0xF2B33D));
        g.fillRoundRect(-size / 8, y, size + size / 4, h, h / 3, h / 3);
        g.setColor(new Color(0x3B2F1E));
        g.setStroke(new BasicStroke(Math.max(1f, size / 32f)));
        for (int i = 0; i <= 8; i++) {
            int x = i * size / 8;
            g.drawLine(x, y, x, y + (i % 2 == 0 ? h / 2 : h / 3));
        }
        g.dispose();
        return img;
    }
}
