package yardstick.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The kernel in Debian's Notebook 6.4 ({@code jupyter-notebook}), driven in headless Chromium as a person uses it:
 * the Shift+Tab tooltip, an input box after printed text, a coloured traceback. One server, one notebook and one
 * kernel for the class; each test adds its cells at the bottom. Needs jupyter-notebook, chromium and chromium-driver.
 */
class NotebookSixTest {
    private static final String TOKEN = "n0tebook";
    private static final Duration KERNEL_WAIT = Duration.ofSeconds(180);

    @TempDir
    static Path tmp;
    private static Process server;
    private static Path serverLog;
    private static WebDriver browser;
    private static JavascriptExecutor js;

    @BeforeAll
    static void start() throws Exception {
        Path prefix = tmp.resolve("prefix");
        PythonSuite.install(prefix, tmp.resolve("install.log"));
        Path work = Files.createDirectories(tmp.resolve("work"));
        Files.writeString(work.resolve("frontend.ipynb"), """
                {"cells": [], "metadata": {"kernelspec": {"name": "yardstick", "display_name": "Java (Yardstick)",
                 "language": "java"}}, "nbformat": 4, "nbformat_minor": 5}""");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        serverLog = tmp.resolve("notebook.log");
        ProcessBuilder pb = new ProcessBuilder("/usr/bin/jupyter-notebook", "--no-browser", "--allow-root",
                "--port=" + port, "--port-retries=0", "--ip=127.0.0.1", "--NotebookApp.token=" + TOKEN,
                "--notebook-dir=" + work).redirectErrorStream(true).redirectOutput(serverLog.toFile());
        pb.environment().putAll(Map.of("JUPYTER_PATH", prefix.resolve("share/jupyter").toString(),
                "JUPYTER_RUNTIME_DIR", Files.createDirectories(tmp.resolve("runtime")).toString(),
                "JUPYTER_CONFIG_DIR", Files.createDirectories(tmp.resolve("config")).toString(),
                "JUPYTER_DATA_DIR", Files.createDirectories(tmp.resolve("data")).toString(),
                "HOME", tmp.toString(), "YARDSTICK_HOME", Files.createDirectories(tmp.resolve("home")).toString()));
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        server = pb.start();
        String base = "http://127.0.0.1:" + port + "/";
        awaitServer(base);

        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1400,1000",
                "--user-data-dir=" + Files.createDirectories(tmp.resolve("chromium")));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
        browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
        js = (JavascriptExecutor) browser;
        browser.get(base + "notebooks/frontend.ipynb?token=" + TOKEN);
        waitFor("the kernel to connect", () -> Boolean.TRUE.equals(js.executeScript(
                "return !!(window.Jupyter && Jupyter.notebook && Jupyter.notebook.kernel"
                        + " && Jupyter.notebook.kernel.is_connected() && Jupyter.notebook.kernel.info_reply"
                        + " && Jupyter.notebook.kernel.info_reply.implementation)")));
        assertEquals("yardstick", js.executeScript("return Jupyter.notebook.kernel.info_reply.implementation"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) browser.quit();
        if (server != null) {
            server.destroy();  // the server shuts its kernels down on SIGTERM
            if (!server.waitFor(20, TimeUnit.SECONDS)) server.destroyForcibly().waitFor();
        }
    }

    @Test
    void shiftTabShowsTheRenderedJavadocNotItsSource() {
        long cell = addCell("Math.max(1, 2)");
        js.executeScript("var c = Jupyter.notebook.get_cell(arguments[0]); Jupyter.notebook.select(arguments[0]);"
                + " c.focus_editor(); c.code_mirror.setCursor({line: 0, ch: 9});", cell);
        new Actions(browser).keyDown(Keys.SHIFT).sendKeys(Keys.TAB).keyUp(Keys.SHIFT).perform();
        WebElement tip = browser.findElement(By.id("tooltip"));
        waitFor("the tooltip", () -> tip.isDisplayed() && !tip.findElement(By.className("tooltiptext")).getText().isBlank());
        String text = tip.findElement(By.className("tooltiptext")).getText();
        assertTrue(text.contains("Returns the greater of two int values"), text);
        assertTrue(text.contains("Parameters:"), text);
        assertFalse(text.contains("{@"), text);
        assertFalse(text.contains("@param"), text);
        assertFalse(text.contains("<p>"), text);
    }

    @Test
    void textPrintedBeforeInputShowsAboveTheInputBox() {
        long cell = addCell("System.out.println(\"before the prompt\");\n"
                + "String who = input(\"Your name: \");\nSystem.out.println(\"hello \" + who);");
        execute(cell);
        WebElement out = output(cell);
        waitFor("the input box", () -> !out.findElements(By.cssSelector(".raw_input_container input")).isEmpty());
        WebElement box = out.findElement(By.cssSelector(".raw_input_container"));
        assertEquals("Your name:", box.findElement(By.className("raw_input_prompt")).getText().strip());
        WebElement printed = out.findElement(By.cssSelector(".output_stdout"));
        assertEquals("before the prompt", printed.getText().strip());
        assertTrue(follows(printed, box), "the printed text is above the input box");

        box.findElement(By.tagName("input")).sendKeys("Ada", Keys.ENTER);
        awaitIdle(cell);
        String all = out.getText();
        assertTrue(all.contains("hello Ada"), all);
        assertTrue(all.indexOf("before the prompt") < all.indexOf("hello Ada"), all);
    }

    @Test
    void errorsAreColouredWithTheCellsFrameFirst() {
        long cell = addCell("int parse(String s) {\n    return Integer.parseInt(s);\n}\nparse(\"x\");");
        execute(cell);
        awaitIdle(cell);
        WebElement error = output(cell).findElement(By.cssSelector(".output_error pre"));
        String text = error.getText() + "\n" + error.getAttribute("innerHTML");
        List<WebElement> red = error.findElements(By.cssSelector("span[class*='ansi-red']"));
        assertTrue(red.stream().anyMatch(s -> s.getText().contains("NumberFormatException: For input string: \"x\"")), text);
        List<WebElement> green = error.findElements(By.cssSelector("span[class*='ansi-green']"));
        assertEquals(2, green.size(), text);
        assertTrue(green.get(0).getText().contains("parse(cell [") && green.get(0).getText().contains("line 2)"), text);
        assertTrue(green.get(1).getText().contains("line 4)"), text);
        int folded = error.getText().indexOf("library frames, innermost java.base/java.lang.NumberFormatException.forInputString");
        assertTrue(folded > error.getText().indexOf(green.get(1).getText()),
                "the cell's frames come first, then the library's:\n" + text);
    }

    // ---- driving the page ----

    /** Adds a code cell at the bottom with this source; returns its index. */
    private static long addCell(String source) {
        return (Long) js.executeScript("var c = Jupyter.notebook.insert_cell_at_bottom('code'); c.set_text(arguments[0]);"
                + " return Jupyter.notebook.find_cell_index(c);", source);
    }

    private static void execute(long cell) {
        js.executeScript("Jupyter.notebook.get_cell(arguments[0]).execute();", cell);
    }

    private static WebElement output(long cell) {
        return (WebElement) js.executeScript("return Jupyter.notebook.get_cell(arguments[0]).output_area.element[0];", cell);
    }

    /** Waits until the cell has its execution count and the kernel is idle. */
    private static void awaitIdle(long cell) {
        waitFor("cell " + cell + " to finish", () -> Boolean.TRUE.equals(js.executeScript(
                "var c = Jupyter.notebook.get_cell(arguments[0]);"
                        + " return typeof c.input_prompt_number === 'number'"
                        + " && document.getElementById('kernel_indicator_icon').className.indexOf('kernel_idle_icon') >= 0;",
                cell)));
    }

    private static boolean follows(WebElement first, WebElement second) {
        return Boolean.TRUE.equals(js.executeScript(
                "return !!(arguments[0].compareDocumentPosition(arguments[1]) & Node.DOCUMENT_POSITION_FOLLOWING);",
                first, second));
    }

    private static void waitFor(String what, java.util.function.BooleanSupplier done) {
        try {
            new WebDriverWait(browser, KERNEL_WAIT).withMessage(() -> "waited for " + what + "\n" + serverLogTail())
                    .until(d -> done.getAsBoolean());
        } catch (RuntimeException e) {
            throw new AssertionError("waited for " + what + ": " + e.getMessage(), e);
        }
    }

    private static void awaitServer(String base) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline) {
                try {
                    HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(base + "api/status?token=" + TOKEN))
                            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
                    if (r.statusCode() == 200) return;
                } catch (IOException notYetListening) {
                    // starting
                }
                if (!server.isAlive()) break;
                Thread.sleep(200);
            }
        }
        throw new AssertionError("jupyter-notebook did not start:\n" + serverLogTail());
    }

    private static String serverLogTail() {
        try {
            String s = Files.readString(serverLog, StandardCharsets.UTF_8);
            return s.length() <= 4000 ? s : "...\n" + s.substring(s.length() - 4000);
        } catch (IOException e) {
            return "(no server log: " + e.getMessage() + ")";
        }
    }
}
