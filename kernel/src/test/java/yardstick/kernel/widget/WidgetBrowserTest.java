package yardstick.kernel.widget;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import yardstick.kernel.comm.CommManager;
import yardstick.kernel.protocol.Json;

/**
 * Our widget models drawn by the real ipywidgets 8 front-end code, {@code @jupyter-widgets/html-manager} (from npm, at
 * test time, into target/), in headless Chromium: the states a front end receives over the control comm must pass
 * its schema and render as the controls they claim to be. Needs npm and Debian's chromium and chromium-driver.
 */
class WidgetBrowserTest {
    private static final String HTML_MANAGER = "@jupyter-widgets/html-manager@1.0.15";
    private static Path embedJs;
    private static Path profile;
    private static WebDriver browser;

    @BeforeAll
    static void start() throws Exception {
        embedJs = htmlManager();
        profile = Files.createTempDirectory("yardstick-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                "--allow-file-access-from-files", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
    }

    @AfterAll
    static void stop() throws IOException {
        if (browser != null) browser.quit();
        if (profile != null) {
            try (var walk = Files.walk(profile)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** The package's self-contained bundle, fetched once with npm into target/ (npm checks its integrity). */
    private static Path htmlManager() throws Exception {
        Path dir = Path.of("target", "npm", "html-manager-1.0.15").toAbsolutePath();
        Path embed = dir.resolve("package/dist/embed.js");
        if (Files.isRegularFile(embed)) return embed;
        Files.createDirectories(dir);
        run(dir, "npm", "pack", HTML_MANAGER, "--silent");
        try (var tgz = Files.list(dir)) {
            Path archive = tgz.filter(p -> p.toString().endsWith(".tgz")).findFirst()
                    .orElseThrow(() -> new AssertionError("npm pack " + HTML_MANAGER + " wrote no archive in " + dir));
            run(dir, "tar", "xzf", archive.getFileName().toString());
        }
        assertTrue(Files.isRegularFile(embed), "no " + embed);
        return embed;
    }

    private static void run(Path dir, String... command) throws Exception {
        Process p;
        try {
            p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command[0] + " (apt-get install npm): " + e.getMessage(), e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) throw new AssertionError(String.join(" ", command) + " failed:\n" + out);
    }

    @Test
    void whatAReloadingFrontEndIsSentRendersAsTheControlsItDescribes(@TempDir Path tmp) throws Exception {
        List<ObjectNode> sent = new ArrayList<>();
        CommManager comms = CommManager.withMetadata((type, content, metadata) -> {
            if (type.equals("comm_msg")) sent.add(content);
        });
        Html item = new Html(comms, "<b>Paris</b> &amp; more");
        List<Widget> row = new ArrayList<>();
        for (int k = 1; k <= 5; k++) row.add(new Button(comms, String.valueOf(k)));
        Button disabled = new Button(comms, "Stop");
        disabled.disabled(true);
        row.add(disabled);
        Textarea comment = new Textarea(comms, "comment (optional)");
        comment.value("first ✓");
        Box root = Box.vbox(comms, item, Box.hbox(comms, row.toArray(Widget[]::new)), comment);

        // A widget manager attaching to the kernel: open the control comm, ask for every state.
        comms.opened(Json.MAPPER.readTree("{\"comm_id\": \"control\", \"target_name\": \"jupyter.widget.control\", \"data\": {}}"));
        sent.clear();
        comms.message(Json.MAPPER.readTree("{\"comm_id\": \"control\", \"data\": {\"method\": \"request_states\"}}"));
        assertEquals(1, sent.size());
        JsonNode states = sent.get(0).path("data").path("states");

        ObjectNode manager = Json.object().put("version_major", 2).put("version_minor", 0);
        manager.set("state", states);
        String view = Json.MAPPER.writeValueAsString(root.bundle().data().get(Widget.VIEW_MIME));
        String page = "<!DOCTYPE html><html><head><meta charset='utf-8'>"
                // Collects what the page reports as wrong: a state that fails the schema, a model that cannot load.
                + "<script>window.problems = []; window.addEventListener('error', e => problems.push(String(e.message)));"
                + "window.addEventListener('unhandledrejection', e => problems.push(String(e.reason)));"
                + "const original = console.error; console.error = (...a) => { problems.push(a.map(String).join(' ')); original(...a); };</script>"
                + "<script src='" + embedJs.toUri() + "'></script>"
                + "<script type='application/vnd.jupyter.widget-state+json'>" + Json.MAPPER.writeValueAsString(manager) + "</script>"
                + "</head><body><script type='application/vnd.jupyter.widget-view+json'>" + view + "</script></body></html>";
        Path file = tmp.resolve("widgets.html");
        Files.writeString(file, page);

        browser.get(file.toUri().toString());
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(d ->
                !d.findElements(By.cssSelector(".widget-textarea textarea")).isEmpty()
                        || !((List<?>) ((JavascriptExecutor) d).executeScript("return window.problems")).isEmpty());
        assertEquals(List.of(), ((JavascriptExecutor) browser).executeScript("return window.problems"));

        List<WebElement> buttons = browser.findElements(By.cssSelector(".widget-vbox .widget-hbox button.widget-button"));
        assertEquals(List.of("1", "2", "3", "4", "5", "Stop"), buttons.stream().map(WebElement::getText).toList());
        assertTrue(buttons.get(5).getAttribute("disabled") != null, "Stop is drawn disabled");
        assertTrue(buttons.get(0).isEnabled());
        WebElement html = browser.findElement(By.cssSelector(".widget-vbox .widget-html-content"));
        assertEquals("Paris & more", html.getText());
        assertEquals("Paris", html.findElement(By.tagName("b")).getText(), "HTML values are drawn as HTML");
        WebElement area = browser.findElement(By.cssSelector(".widget-vbox .widget-textarea textarea"));
        assertEquals("comment (optional)", area.getAttribute("placeholder"));
        assertEquals("first ✓", area.getAttribute("value"));
    }
}
