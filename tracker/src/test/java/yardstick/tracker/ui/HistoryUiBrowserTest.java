package yardstick.tracker.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import yardstick.tracker.RunningTracker;
import yardstick.tracker.TestFiles;
import yardstick.tracker.model.LifecycleStage;
import yardstick.tracker.model.Metric;
import yardstick.tracker.model.Param;
import yardstick.tracker.model.Run;
import yardstick.tracker.model.Tag;
import yardstick.tracker.store.TrackerStore;

/** The history UI in headless Chromium (Debian's chromium and chromium-driver) driven by Selenium. */
class HistoryUiBrowserTest {
    private static final Pattern SERIES_STROKE = Pattern.compile("fill:none;stroke:(rgb\\([^)]*\\));[^\"]*stroke-width:2");

    private static RunningTracker tracker;
    private static WebDriver browser;
    private static Path profile;
    private static String experimentId;
    private static final List<String> runIds = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        tracker = new RunningTracker();
        TrackerStore store = tracker.server.store();
        experimentId = store.createExperiment("ui-demo", null, List.of()).experimentId();
        for (int i = 0; i < 5; i++) {
            Run r = store.createRun(experimentId, "ui", 1000 + i, "run-" + i, i == 0
                    ? List.of(new Tag(yardstick.tracker.model.Tags.CELL, "%%prompt --model local\nSummarize {text}")) : List.of());
            List<Metric> history = new ArrayList<>();
            for (int step = 0; step < 10; step++) {
                history.add(new Metric("acc", i / 10.0 * step / 9.0, 10 + step, step));
            }
            store.logBatch(r.info().runId(), history, List.of(new Param("lr", "0.0" + i), new Param("model", "same")), List.of());
            runIds.add(r.info().runId());
        }
        Path artifacts = tracker.server.artifacts().root().resolve(experimentId + "/" + runIds.getFirst() + "/artifacts");
        Files.createDirectories(artifacts.resolve("tables"));
        Files.writeString(artifacts.resolve("notes.txt"), "plain <b>text</b>");
        Files.writeString(artifacts.resolve("data.json"), "{\"answer\":42,\"items\":[1,2]}");
        Files.writeString(artifacts.resolve("tables/scores.csv"), "question,score\n\"what, why\",0.5\nhow,0.75\n");
        Files.writeString(artifacts.resolve("report.html"), "<html><body><h1 id=\"inner\">Rendered report</h1></body></html>");
        Files.write(artifacts.resolve("model.bin"), new byte[] {0, 1, 2, 3});
        BufferedImage image = new BufferedImage(30, 20, BufferedImage.TYPE_INT_RGB);
        image.setRGB(1, 1, Color.RED.getRGB());
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(image, "png", png);
        Files.write(artifacts.resolve("plot.png"), png.toByteArray());

        profile = Files.createTempDirectory("yardstick-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        tracker.close();
        TestFiles.deleteTree(profile);
    }

    /** Clicks something that loads a new page and waits until the old page is gone, so no stale element is read. */
    private static void navigate(WebElement target) {
        // A mark on the old page's window: a new page load starts without it. (Waiting for the old element to go
        // stale is not reliable: newer Chromium answers a detached node with a generic error, not a stale one.)
        JavascriptExecutor js = (JavascriptExecutor) browser;
        js.executeScript("window.__yardstickOldPage = true;");
        target.click();
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> Boolean.TRUE.equals(((JavascriptExecutor) d)
                .executeScript("return window.__yardstickOldPage === undefined && document.readyState === 'complete';")));
    }

    private static List<String> runNames() {
        return browser.findElements(By.cssSelector("#runs a.run-link")).stream().map(WebElement::getText).toList();
    }

    @Test
    void experimentsPageLeadsToTheRunsTable() {
        browser.get(tracker.uri() + "/");
        assertEquals("Experiments", browser.findElement(By.tagName("h1")).getText());
        navigate(browser.findElement(By.linkText("ui-demo")));
        assertEquals(List.of("run-4", "run-3", "run-2", "run-1", "run-0"), runNames());
        String headers = browser.findElement(By.cssSelector("#runs thead")).getText();
        assertTrue(headers.contains("params.lr") && headers.contains("metrics.acc"), headers);
    }

    @Test
    void aFilterNarrowsTheTable() {
        browser.get(tracker.uri() + "/experiments/" + experimentId);
        WebElement filter = browser.findElement(By.id("filter"));
        filter.clear();
        filter.sendKeys("metrics.acc > 0.25 and params.model = 'same'");
        navigate(browser.findElement(By.id("apply")));
        assertEquals(List.of("run-4", "run-3"), runNames());

        WebElement again = browser.findElement(By.id("filter"));
        again.clear();
        again.sendKeys("metrics.acc >> 1");
        navigate(browser.findElement(By.id("apply")));
        assertTrue(browser.findElement(By.id("filter-error")).getText().contains("acc"), "the error names the bad clause");
        assertEquals(List.of(), runNames(), "no table for an invalid filter");
    }

    @Test
    void headersSortAndThePickerChoosesColumns() {
        browser.get(tracker.uri() + "/experiments/" + experimentId + "?order_by=" + "metrics.%60acc%60+ASC");
        assertEquals("run-0", runNames().getFirst());
        navigate(browser.findElement(By.partialLinkText("metrics.acc")));
        assertEquals("run-4", runNames().getFirst(), "clicking the header sorts descending");

        browser.findElement(By.cssSelector("#column-picker summary")).click();
        for (WebElement box : browser.findElements(By.cssSelector("#column-picker input[type=checkbox]"))) {
            boolean wanted = box.getAttribute("value").equals("params.lr");
            if (box.isSelected() != wanted) {
                box.click();
            }
        }
        navigate(browser.findElement(By.id("apply-columns")));
        String headers = browser.findElement(By.cssSelector("#runs thead")).getText();
        assertTrue(headers.contains("params.lr"), headers);
        assertFalse(headers.contains("metrics.acc"), headers);
        assertFalse(headers.contains("params.model"), headers);
    }

    @Test
    void theRunPageShowsParamsSourceChartsAndArtifacts() {
        browser.get(tracker.uri() + "/runs/" + runIds.getFirst());
        assertEquals("run-0", browser.findElement(By.id("run-name")).getText());
        assertTrue(browser.findElement(By.id("params")).getText().contains("lr 0.00"));
        assertTrue(browser.findElement(By.id("cell-source")).getText().contains("Summarize {text}"));
        assertEquals(1, browser.findElements(By.cssSelector(".metric[data-key=acc] svg")).size());

        navigate(browser.findElement(By.linkText("scores.csv")));
        List<WebElement> rows = browser.findElements(By.cssSelector("#artifact-table tr"));
        assertEquals(3, rows.size());
        assertEquals("what, why 0.5", rows.get(1).getText());

        browser.get(tracker.uri() + "/runs/" + runIds.getFirst());
        navigate(browser.findElement(By.linkText("data.json")));
        assertTrue(browser.findElement(By.id("artifact-text")).getText().contains("\"answer\" : 42"));

        browser.get(tracker.uri() + "/runs/" + runIds.getFirst());
        navigate(browser.findElement(By.linkText("notes.txt")));
        assertEquals("plain <b>text</b>", browser.findElement(By.id("artifact-text")).getText(), "text is escaped, not markup");

        browser.get(tracker.uri() + "/runs/" + runIds.getFirst());
        navigate(browser.findElement(By.linkText("plot.png")));
        WebElement img = browser.findElement(By.id("artifact-image"));
        Object width = ((JavascriptExecutor) browser).executeScript("return arguments[0].naturalWidth", img);
        assertEquals(30L, ((Number) width).longValue());

        browser.get(tracker.uri() + "/runs/" + runIds.getFirst());
        navigate(browser.findElement(By.linkText("report.html")));
        browser.switchTo().frame(browser.findElement(By.id("artifact-html")));
        assertEquals("Rendered report", browser.findElement(By.id("inner")).getText());
        browser.switchTo().defaultContent();

        browser.get(tracker.uri() + "/runs/" + runIds.getFirst());
        navigate(browser.findElement(By.linkText("model.bin")));
        assertTrue(browser.getPageSource().contains("Binary file"));
        assertTrue(browser.findElement(By.id("download")).getAttribute("href").contains("/raw?path=model.bin"));
    }

    @Test
    void compareOverlaysOneLinePerRunAndHighlightsDifferingParams() throws Exception {
        browser.get(tracker.uri() + "/experiments/" + experimentId);
        List<WebElement> boxes = browser.findElements(By.cssSelector("#runs input[name=run]"));
        for (int i = 0; i < 3; i++) {
            boxes.get(i).click();
        }
        navigate(browser.findElement(By.id("compare")));
        assertEquals("Compare 3 runs", browser.findElement(By.tagName("h1")).getText());
        List<WebElement> diffRows = browser.findElements(By.cssSelector("#compare-params tr.diff"));
        assertEquals(1, diffRows.size());
        assertTrue(diffRows.getFirst().getText().startsWith("lr"));
        assertTrue(browser.findElement(By.id("compare-params")).getText().contains("model same same same"));

        WebElement chart = browser.findElement(By.cssSelector(".compare-chart[data-key=acc] svg"));
        String svg = chart.getAttribute("outerHTML");
        Set<String> lineColors = new HashSet<>();
        Matcher m = SERIES_STROKE.matcher(svg.replace(" ", ""));
        while (m.find()) {
            lineColors.add(m.group(1));
        }
        assertEquals(3, lineColors.size(), "one line color per compared run");
        assertTrue(new String(svg.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8).startsWith("<svg"));
        assertTrue(ImageIO.read(new ByteArrayInputStream(Files.readAllBytes(
                tracker.server.artifacts().root().resolve(experimentId + "/" + runIds.getFirst() + "/artifacts/plot.png")))) != null);
    }

    @Test
    void theRunPageFormsDeleteAndRestoreTheRun() {
        // A run of its own, in the default experiment, so the other tests' tables stay as they are.
        String id = tracker.server.store().createRun("0", "ui", 2000, "disposable", List.of()).info().runId();
        browser.get(tracker.uri() + "/runs/" + id);
        assertEquals("active", browser.findElement(By.id("lifecycle")).getText());
        navigate(browser.findElement(By.cssSelector("#delete-run button")));
        assertEquals(tracker.uri() + "/runs/" + id, browser.getCurrentUrl(), "the post redirects back to the run");
        assertEquals("deleted", browser.findElement(By.id("lifecycle")).getText());
        assertEquals(LifecycleStage.DELETED, tracker.server.store().getRun(id).info().lifecycleStage());
        navigate(browser.findElement(By.cssSelector("#restore-run button")));
        assertEquals("active", browser.findElement(By.id("lifecycle")).getText());
        assertEquals(LifecycleStage.ACTIVE, tracker.server.store().getRun(id).info().lifecycleStage());

        // The same form with its token removed, as a forger would have to send it: refused, and the run stays.
        ((JavascriptExecutor) browser).executeScript("document.querySelector('#delete-run input[name=csrf]').remove();");
        navigate(browser.findElement(By.cssSelector("#delete-run button")));
        assertTrue(browser.getPageSource().contains("reload the page"), browser.getPageSource());
        assertEquals(LifecycleStage.ACTIVE, tracker.server.store().getRun(id).info().lifecycleStage());
    }
}
