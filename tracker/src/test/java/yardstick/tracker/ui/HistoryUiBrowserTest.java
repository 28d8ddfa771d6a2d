package yardstick.tracker.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
import yardstick.tracker.model.Dataset;
import yardstick.tracker.model.DatasetInput;
import yardstick.tracker.model.LifecycleStage;
import yardstick.tracker.model.Metric;
import yardstick.tracker.model.Param;
import yardstick.tracker.model.Run;
import yardstick.tracker.model.Tag;
import yardstick.tracker.store.TrackerStore;

/** The history UI in headless Chromium (Debian's chromium and chromium-driver) driven by Selenium. */
class HistoryUiBrowserTest {
    private static RunningTracker tracker;
    private static WebDriver browser;
    private static Path profile;
    private static String experimentId;
    private static String nestedExperimentId;
    private static String longRunId;
    static final int LONG_POINTS = 100_000;
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
            if (i == 0) {
                history.add(new Metric("final_score", 0.123456789, 30, 0));
            }
            store.logBatch(r.info().runId(), history, List.of(new Param("lr", "0.0" + i), new Param("model", "same")), List.of());
            runIds.add(r.info().runId());
        }
        Dataset questions = new Dataset("questions", "d1g3st", "local", "file:///data/questions.csv", null, null);
        store.logInputs(runIds.get(0), List.of(new DatasetInput(List.of(new Tag("mlflow.data.context", "eval")), questions)));
        store.logInputs(runIds.get(2), List.of(new DatasetInput(List.of(), questions)));
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

        // A notebook session with two magic runs nested under it, as the kernel logs them.
        nestedExperimentId = store.createExperiment("nested-demo", null, List.of()).experimentId();
        String session = store.createRun(nestedExperimentId, "ui", 100, "session", List.of()).info().runId();
        for (int i = 0; i < 2; i++) {
            String child = store.createRun(nestedExperimentId, "ui", 200 + i, "prompt-" + i,
                    List.of(new Tag(RunsTable.PARENT_TAG, session), new Tag("team", "nlp"))).info().runId();
            store.logBatch(child, List.of(new Metric("loss", 1.0 / (i + 1), 10, 0)), List.of(new Param("model", "m" + i)), List.of());
        }
        store.createRun(nestedExperimentId, "ui", 300, "standalone", List.of());

        // A long history: the chart must get it reduced, not all of it.
        String longExperiment = store.createExperiment("long-demo", null, List.of()).experimentId();
        longRunId = store.createRun(longExperiment, "ui", 100, "long", List.of()).info().runId();
        logLongHistory(store, longRunId, LONG_POINTS);

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

    /** Logs {@code n} points of "loss", a noisy decay, in batches as a client would. */
    static void logLongHistory(TrackerStore store, String runId, int n) {
        java.util.Random random = new java.util.Random(7);
        List<Metric> batch = new ArrayList<>(1000);
        for (int step = 0; step < n; step++) {
            batch.add(new Metric("loss", Math.exp(-step / (n / 5.0)) + random.nextGaussian() * 0.01 + 0.05, 1_700_000_000_000L + step * 100L, step));
            if (batch.size() == 1000) {
                store.logBatch(runId, batch, List.of(), List.of());
                batch.clear();
            }
        }
        if (!batch.isEmpty()) {
            store.logBatch(runId, batch, List.of(), List.of());
        }
    }

    /** Waits until the chart is drawn and answers what charts.js recorded of it. */
    @SuppressWarnings("unchecked")
    static java.util.Map<String, Object> drawnChart(WebDriver browser, String selector) {
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> "true".equals(d.findElement(By.cssSelector(selector)).getAttribute("data-drawn")));
        return (java.util.Map<String, Object>) ((JavascriptExecutor) browser).executeScript(
                "var el = document.querySelector(arguments[0]); var c = window.yardstickCharts.find(x => x.el === el);"
                + " return {points: c.points, series: c.plot.series.length - 1, total: c.data ? c.data.series.map(s => s.total) : null,"
                + " drawMs: c.drawMs, fetchMs: c.fetchMs, canvas: el.querySelectorAll('canvas').length,"
                + " xMin: c.plot.scales.x.min, xMax: c.plot.scales.x.max, yDistr: c.plot.scales.y.distr,"
                + " xTime: !!c.plot.scales.x.time, legend: el.querySelector('.u-legend').textContent};", selector);
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
        navigate(target, false);
    }

    /** As {@link #navigate(WebElement)}; with {@code submit}, presses Enter in the field instead of clicking. */
    private static void navigate(WebElement target, boolean submit) {
        // A mark on the old page's window: a new page load starts without it. (Waiting for the old element to go
        // stale is not reliable: newer Chromium answers a detached node with a generic error, not a stale one.)
        JavascriptExecutor js = (JavascriptExecutor) browser;
        js.executeScript("window.__yardstickOldPage = true;");
        if (submit) {
            target.sendKeys(org.openqa.selenium.Keys.ENTER);
        } else {
            target.click();
        }
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
        assertEquals(List.of("params.lr", "params.model", "metrics.acc", "metrics.final_score"), columns());
        assertEquals("lr ◇", browser.findElement(By.cssSelector("#runs th[data-col='params.lr']")).getText(), "the group names the kind");
    }

    private static List<String> columns() {
        return browser.findElements(By.cssSelector("#runs th.col")).stream().map(e -> e.getAttribute("data-col")).toList();
    }

    @Test
    void nestedRunsSitCollapsedUnderTheirParentAndExpand() {
        browser.get(tracker.uri() + "/experiments/" + nestedExperimentId);
        assertEquals(List.of("standalone", "session", "prompt-1", "prompt-0"), browser.findElements(By.cssSelector("#runs a.run-link"))
                .stream().map(e -> e.getAttribute("textContent")).toList(), "children follow their parent");
        List<WebElement> children = browser.findElements(By.cssSelector("#runs tr.child"));
        assertEquals(2, children.size());
        assertTrue(children.stream().noneMatch(WebElement::isDisplayed), "collapsed at first");
        assertEquals(2L, drawnChart(browser, "#experiment-chart").get("series"), "the chart holds the nested runs' loss");
        WebElement expand = browser.findElement(By.cssSelector("#runs button.expand"));
        assertTrue(expand.getText().contains("2"), expand.getText());
        expand.click();
        assertTrue(children.stream().allMatch(WebElement::isDisplayed), "expanded");
        expand.click();
        assertTrue(children.stream().noneMatch(WebElement::isDisplayed), "collapsed again");
    }

    @Test
    void columnsAreGroupedOnlyThoseWithValuesAndPinnable() {
        browser.get(tracker.uri() + "/experiments/" + nestedExperimentId);
        List<String> groups = browser.findElements(By.cssSelector("#runs th.group")).stream()
                .map(e -> e.getAttribute("data-group")).toList();
        assertEquals(List.of("params", "metrics", "tags"), groups);
        List<String> columns = browser.findElements(By.cssSelector("#runs th.col")).stream()
                .map(e -> e.getAttribute("data-col")).toList();
        assertEquals(List.of("params.model", "metrics.loss", "tags.team"), columns, "no system tags, no empty columns");

        navigate(browser.findElement(By.cssSelector("#runs th[data-col='metrics.loss'] a.pin")));
        columns = browser.findElements(By.cssSelector("#runs th.col")).stream().map(e -> e.getAttribute("data-col")).toList();
        assertEquals(List.of("metrics.loss", "params.model", "tags.team"), columns, "the pinned column comes first");
        assertEquals("pinned", browser.findElements(By.cssSelector("#runs th.group")).getFirst().getAttribute("data-group"));
        assertEquals("sticky", browser.findElement(By.cssSelector("#runs th.name-col")).getCssValue("position"));
        navigate(browser.findElement(By.cssSelector("#runs th[data-col='metrics.loss'] a.pin")));
        assertTrue(browser.findElements(By.cssSelector("#runs th.pinned")).isEmpty(), "unpinned again");
    }

    @Test
    void linksInMlflowsFormOpenTheSamePages() {
        browser.get(tracker.uri() + "/#/experiments/" + experimentId + "/runs/" + runIds.getFirst());
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> d.getCurrentUrl().endsWith("/runs/" + runIds.getFirst()));
        assertEquals("run-0", browser.findElement(By.id("run-name")).getText());
        browser.get(tracker.uri() + "/#/experiments/" + experimentId);
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> d.getCurrentUrl().endsWith("/experiments/" + experimentId));
        assertEquals("ui-demo", browser.findElement(By.id("experiment-name")).getText());
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
        navigate(browser.findElement(By.cssSelector("#runs th[data-col='metrics.acc'] a.sort")));
        assertEquals("run-4", runNames().getFirst(), "clicking the header sorts descending");

        browser.findElement(By.cssSelector("#column-picker summary")).click();
        for (WebElement box : browser.findElements(By.cssSelector("#column-picker input[type=checkbox]"))) {
            boolean wanted = box.getAttribute("value").equals("params.lr");
            if (box.isSelected() != wanted) {
                box.click();
            }
        }
        navigate(browser.findElement(By.id("apply-columns")));
        assertEquals(List.of("params.lr"), columns());
    }

    @Test
    void theRunPageShowsParamsSourceChartsAndArtifacts() {
        browser.get(tracker.uri() + "/runs/" + runIds.getFirst());
        assertEquals("run-0", browser.findElement(By.id("run-name")).getText());
        assertTrue(browser.findElement(By.id("params")).getText().contains("lr 0.00"));
        assertEquals("Experiments / ui-demo / run-0", browser.findElement(By.id("breadcrumbs")).getText());
        WebElement cell = browser.findElement(By.id("cell-source"));
        assertEquals("%%prompt --model local\nSummarize {text}", cell.getText(), "the cell as written, line break kept");
        assertEquals("%%prompt --model local", cell.findElement(By.cssSelector("span.magic")).getText(), "the magic line highlighted");
        WebElement input = browser.findElement(By.cssSelector("#inputs tr.input[data-digest=d1g3st]"));
        assertTrue(input.getText().startsWith("questions d1g3st eval"), input.getText());
        assertEquals(List.of("run-2"), input.findElements(By.cssSelector("a.same-data")).stream().map(WebElement::getText).toList());
        navigate(input.findElement(By.cssSelector("a.all-same-data")));
        assertEquals(List.of("run-2", "run-0"), browser.findElements(By.cssSelector("#found-runs a.run-link")).stream()
                .map(WebElement::getText).toList(), "the search by digest finds every run that used the data");
        browser.get(tracker.uri() + "/runs/" + runIds.getFirst());
        assertEquals(1L, drawnChart(browser, ".chart[data-key=acc]").get("canvas"), "acc is drawn by uPlot");
        assertTrue(browser.findElements(By.cssSelector(".chart[data-key=final_score]")).isEmpty(), "no one-dot chart");
        assertEquals("final_score 0.1235 0 " + Format.time(30), browser.findElement(By.cssSelector("#single-metrics tr[data-key=final_score]")).getText());

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
        // The preview sits in the run page beside the tree; "Open alone" shows the artifact on a page of its own.
        assertEquals(1, browser.findElements(By.id("run-name")).size());
        navigate(browser.findElement(By.linkText("Open alone")));
        assertEquals("Experiments / ui-demo / run-0 / model.bin", browser.findElement(By.id("breadcrumbs")).getText());
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

        java.util.Map<String, Object> chart = drawnChart(browser, ".compare-chart[data-key=acc]");
        assertEquals(3L, chart.get("series"), "one line per compared run");
        assertEquals(10L, chart.get("points"));

        WebElement acc = browser.findElement(By.cssSelector("#compare-metrics tr[data-key='metrics.acc']"));
        assertEquals("acc 0.4 0.3 0.2", acc.getText(), "final values side by side");
        assertEquals("0.4", acc.findElement(By.cssSelector("td.high")).getText());
        assertEquals("0.2", acc.findElement(By.cssSelector("td.low")).getText());

        java.util.Map<String, Object> scatter = drawnChart(browser, "#scatter");
        assertEquals(3L, scatter.get("series"), "one point per run");
        assertEquals("params.lr", new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("scatter-x")))
                .getFirstSelectedOption().getText());
        assertEquals("metrics.acc", new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("scatter-y")))
                .getFirstSelectedOption().getText());
        assertTrue(((Number) scatter.get("xMin")).doubleValue() < 0.02 && ((Number) scatter.get("xMax")).doubleValue() > 0.04,
                "x spans the runs' lr, padded: " + scatter);

        List<WebElement> lines = browser.findElements(By.cssSelector("#parallel polyline.run-line"));
        assertEquals(List.of("run-4", "run-3", "run-2"), lines.stream().map(l -> l.findElement(By.tagName("title"))
                .getAttribute("textContent")).toList());
        assertEquals(2, lines.getFirst().getAttribute("points").split(" ").length, "lr and acc axes");

        WebElement model = browser.findElement(By.cssSelector("#compare-params tr[data-key='params.model']"));
        assertTrue(model.isDisplayed());
        browser.findElement(By.id("only-diff")).click();
        assertFalse(model.isDisplayed(), "rows that do not differ can be hidden");
    }

    @Test
    void aLongHistoryIsChartedFromAtMost2000PointsAndTheControlsRedraw() {
        browser.get(tracker.uri() + "/runs/" + longRunId);
        java.util.Map<String, Object> chart = drawnChart(browser, ".chart[data-key=loss]");
        assertEquals(List.of((long) LONG_POINTS), chart.get("total"), "the server read the whole history");
        assertTrue(((Number) chart.get("points")).intValue() <= MetricData.MAX_POINTS, chart.toString());
        assertTrue(((Number) chart.get("points")).intValue() > 1000, chart.toString());
        assertEquals(0.0, ((Number) chart.get("xMin")).doubleValue(), 1e-9);
        assertEquals(LONG_POINTS - 1, ((Number) chart.get("xMax")).doubleValue(), 1e-9);

        // Dragging across the plot zooms the x axis.
        WebElement over = browser.findElement(By.cssSelector(".chart[data-key=loss] .u-over"));
        new org.openqa.selenium.interactions.Actions(browser).moveToElement(over, -over.getSize().width / 4, 0).clickAndHold()
                .moveByOffset(over.getSize().width / 4, 0).release().perform();
        chart = drawnChart(browser, ".chart[data-key=loss]");
        assertTrue(((Number) chart.get("xMax")).doubleValue() < LONG_POINTS / 2.0, "zoomed: " + chart);
        // Hovering fills the legend with the values under the cursor.
        new org.openqa.selenium.interactions.Actions(browser).moveToElement(over, 10, 10).perform();
        assertTrue(drawnChart(browser, ".chart[data-key=loss]").get("legend").toString().matches("(?s).*long\\s*\\d.*"),
                drawnChart(browser, ".chart[data-key=loss]").get("legend").toString());

        ((JavascriptExecutor) browser).executeScript("var s = document.getElementById('x-axis'); s.value = 'time';"
                + " s.dispatchEvent(new Event('input'));");
        assertEquals(Boolean.TRUE, drawnChart(browser, ".chart[data-key=loss]").get("xTime"), "time on the x axis");
        browser.findElement(By.id("log-scale")).click();
        assertEquals(3L, drawnChart(browser, ".chart[data-key=loss]").get("yDistr"), "log scale");
        ((JavascriptExecutor) browser).executeScript("var s = document.getElementById('smoothing'); s.value = '0.9';"
                + " s.dispatchEvent(new Event('input'));");
        assertEquals(1L, drawnChart(browser, ".chart[data-key=loss]").get("series"));
    }

    @Test
    void theExperimentPageChartsOneMetricAcrossTheTickedRuns() {
        browser.get(tracker.uri() + "/experiments/" + experimentId);
        assertEquals(5L, drawnChart(browser, "#experiment-chart").get("series"), "the table's runs at first");
        List<WebElement> boxes = browser.findElements(By.cssSelector("#runs input[name=run]"));
        boxes.get(0).click();
        boxes.get(1).click();
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> "2".equals(d.findElement(By.id("experiment-chart")).getAttribute("data-series")));
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("chart-metric"))).selectByValue("final_score");
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> "0".equals(d.findElement(By.id("experiment-chart")).getAttribute("data-series")));
        assertTrue(browser.findElement(By.id("experiment-chart")).getText().contains("None of these runs"));
        boxes.get(4).click();
        assertEquals(1L, drawnChart(browser, "#experiment-chart").get("series"), "run-0 logged final_score");
    }

    private static void fill(String formId, String field, String value) {
        WebElement box = browser.findElement(By.cssSelector("#" + formId + " input[name=" + field + "]"));
        box.clear();
        box.sendKeys(value);
    }

    @Test
    void runsAreRenamedAndTaggedFromTheirPage() {
        String id = tracker.server.store().createRun("0", "ui", 2000, "before", List.of()).info().runId();
        browser.get(tracker.uri() + "/runs/" + id);
        fill("rename-run", "name", "after <b>");
        navigate(browser.findElement(By.cssSelector("#rename-run button")));
        assertEquals("after <b>", browser.findElement(By.id("run-name")).getText());
        assertEquals("after <b>", tracker.server.store().getRun(id).info().runName());

        fill("tag-run", "key", "reviewed");
        fill("tag-run", "value", "yes");
        navigate(browser.findElement(By.cssSelector("#tag-run button")));
        WebElement tags = browser.findElement(By.id("tags"));
        assertTrue(tags.getText().contains("reviewed yes"), tags.getText());
        WebElement row = tags.findElements(By.tagName("tr")).stream().filter(r -> r.getText().startsWith("reviewed")).findFirst().orElseThrow();
        navigate(row.findElement(By.cssSelector("form button")));
        assertFalse(browser.findElement(By.id("tags")).getText().contains("reviewed"));
        assertTrue(tracker.server.store().getRun(id).tags().stream().noneMatch(t -> t.key().equals("reviewed")));
    }

    @Test
    void experimentsAreRenamedTaggedDeletedAndRestored() {
        String id = tracker.server.store().createExperiment("to-edit", null, List.of()).experimentId();
        browser.get(tracker.uri() + "/experiments/" + id);
        browser.findElement(By.cssSelector("#experiment-actions summary")).click();
        fill("rename-experiment", "name", "edited");
        navigate(browser.findElement(By.cssSelector("#rename-experiment button")));
        assertEquals("edited", browser.findElement(By.id("experiment-name")).getText());
        browser.findElement(By.cssSelector("#experiment-actions summary")).click();
        fill("tag-experiment", "key", "owner");
        fill("tag-experiment", "value", "ana");
        navigate(browser.findElement(By.cssSelector("#tag-experiment button")));
        assertEquals("owner: ana", browser.findElement(By.id("experiment-tags")).getText());
        browser.findElement(By.cssSelector("#experiment-actions summary")).click();
        navigate(browser.findElement(By.cssSelector("#delete-experiment button")));
        assertEquals(1, browser.findElements(By.id("experiment-deleted")).size());
        browser.get(tracker.uri() + "/?view=deleted");
        navigate(browser.findElement(By.linkText("edited")));
        browser.findElement(By.cssSelector("#experiment-actions summary")).click();
        navigate(browser.findElement(By.cssSelector("#restore-experiment button")));
        assertTrue(browser.findElements(By.id("experiment-deleted")).isEmpty());
        assertEquals(LifecycleStage.ACTIVE, tracker.server.store().getExperiment(id).lifecycleStage());
    }

    @Test
    void theSearchBoxFindsExperimentsAndRunsByName() {
        browser.get(tracker.uri() + "/");
        browser.findElement(By.id("search")).sendKeys("PROMPT");
        navigate(browser.findElement(By.id("search")), true);
        assertEquals(List.of("prompt-1", "prompt-0"), browser.findElements(By.cssSelector("#found-runs a.run-link")).stream()
                .map(WebElement::getText).toList());
        browser.findElement(By.id("search-page-q")).clear();
        browser.findElement(By.id("search-page-q")).sendKeys("nested");
        navigate(browser.findElement(By.id("search-submit")));
        assertEquals(List.of("nested-demo"), browser.findElements(By.cssSelector("#found-experiments a")).stream()
                .map(WebElement::getText).toList());
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
