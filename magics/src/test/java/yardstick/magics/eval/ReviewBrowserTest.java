package yardstick.magics.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.WebDriverWait;
import yardstick.magics.TestNotebook;
import yardstick.magics.eval.judge.Calibration;
import yardstick.magics.eval.judge.Judge;
import yardstick.magics.eval.stats.Bootstrap;
import yardstick.magics.track.Tracking;

/**
 * Two raters at once on the real review page in headless Chromium (Debian's chromium and chromium-driver), one on a
 * phone-sized screen: keys and clicks, a rationale, skip and back, the tracker restarted in the middle, then the
 * notebook sees their ratings and calibrates a judge against them.
 */
class ReviewBrowserTest {
    @TempDir
    static Path dir;
    static LiveTracker tracker;
    static TestNotebook nb;
    static final List<WebDriver> browsers = new ArrayList<>();

    @BeforeAll
    static void start() {
        tracker = new LiveTracker(dir);
        nb = new TestNotebook(dir);
        EvalSet s = Evals.create("towns");
        String[][] rows = {{"fr", "France", "Paris"}, {"de", "Germany", "Berlin"}, {"it", "Italy", "Rome"}};
        for (String[] r : rows) s.add("id", r[0], "country", r[1], "answer", r[2]);
        Evals.register(s);
        Evals.system("atlas", (row, p) -> "**" + row.get("answer") + "**");
        Evals.system("guess", (row, p) -> "Probably Lyon <img src=x onerror=alert(1)>");
        Evals.run("towns", "Capital of {{country}}?", List.of("atlas", "guess"), "exact");
    }

    @AfterAll
    static void stop() {
        browsers.forEach(WebDriver::quit);
        nb.close();
        tracker.close();
    }

    static WebDriver browser(int width, int height) throws Exception {
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                "--user-data-dir=" + Files.createTempDirectory(dir, "chromium-"), "--window-size=" + width + "," + height);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build();
        WebDriver b = new ChromeDriver(service, options);
        b.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
        b.manage().window().setSize(new Dimension(width, height));
        browsers.add(b);
        return b;
    }

    /**
     * Waits for a page that shows {@code text} and has run its script (so keys pressed next are heard); a page replaced
     * while it is read (the next item loading) is read again.
     */
    static void waitFor(WebDriver b, String text) {
        new WebDriverWait(b, Duration.ofSeconds(20)).ignoring(WebDriverException.class).until(d -> (Boolean) ((JavascriptExecutor) d)
                .executeScript("return document.readyState === 'complete' && document.body.innerText.includes(arguments[0])", text));
    }

    static void key(WebDriver b, CharSequence k) {
        new Actions(b).sendKeys(k).perform();
    }

    static void click(WebDriver b, String id) {
        b.findElement(By.id(id)).click();
    }

    @Test
    void twoRatersOnTheRealPageThenTheNotebookCalibrates() throws Exception {
        Map<String, String> links = ReviewMagicTest.links((String) nb.ok("%review share towns --raters ann,bob --rubric \"5: the capital. 1: wrong.\""));
        WebDriver ann = browser(1280, 900), bob = browser(375, 740);
        ann.get(links.get("ann"));
        bob.get(links.get("bob"));
        waitFor(ann, "1 of 6");
        waitFor(bob, "1 of 6");
        assertTrue(ann.findElements(By.tagName("img")).isEmpty(), "an output's HTML is text, not markup");
        assertEquals("Paris", ann.findElement(By.cssSelector("#output-0 strong")).getText(), "Markdown is rendered");
        assertTrue(ann.findElement(By.id("rubric")).getText().contains("5: the capital"));
        Object overflow = ((JavascriptExecutor) bob).executeScript("return document.documentElement.scrollWidth > window.innerWidth");
        assertEquals(false, overflow, "the page fits a phone's width");

        // Ann uses the keyboard, Bob taps, in turns.
        key(ann, "5");
        waitFor(ann, "2 of 6");
        bob.findElement(By.id("rationale")).sendKeys("spot on");
        click(bob, "score-4");
        waitFor(bob, "2 of 6");
        key(ann, "1");
        waitFor(ann, "3 of 6");
        key(bob, Keys.ARROW_RIGHT);
        waitFor(bob, "3 of 6");
        key(bob, Keys.ARROW_LEFT);
        waitFor(bob, "2 of 6");
        assertTrue(bob.findElement(By.id("status")).getText().contains("skipped"), "the skip shows when going back");
        click(bob, "score-2");
        waitFor(bob, "3 of 6");

        // The tracker restarts mid-session; both pick up where they were.
        tracker.restart();
        ann.get(links.get("ann"));
        bob.get(links.get("bob"));
        waitFor(ann, "3 of 6 · 2 answered");
        waitFor(bob, "3 of 6 · 2 answered");
        int[] annRest = {5, 1, 4, 1}, bobRest = {5, 2, 5, 1};
        for (int i = 0; i < 4; i++) {
            key(ann, Integer.toString(annRest[i]));
            click(bob, "score-" + bobRest[i]);
            if (i < 3) {
                waitFor(ann, (4 + i) + " of 6");
                waitFor(bob, (4 + i) + " of 6");
            }
        }
        waitFor(ann, "Thank you");
        waitFor(bob, "Thank you");
        assertTrue(ann.findElement(By.id("summary")).getText().contains("answered 6 of 6"));
        assertTrue(bob.findElement(By.id("mean")).getText().contains("3.17"), bob.findElement(By.tagName("body")).getText());
        bob.findElement(By.id("revisit")).click();
        waitFor(bob, "1 of 6");
        assertEquals("spot on", bob.findElement(By.id("rationale")).getAttribute("value"));

        // The notebook sees both raters at once and calibrates a judge against them.
        List<Rating> ratings = Ratings.all("towns");
        assertEquals(12, ratings.size());
        assertEquals("spot on", Ratings.byRater("towns", "bob").get(0).comment());
        Judge judge = new Judge("towns", "5: the capital. 1: wrong.", EvalFixture.model("judge",
                u -> u.substring(u.lastIndexOf("Answer:")).contains("Lyon") ? "Score: 1\nRationale: wrong" : "Score: 5\nRationale: right",
                new ArrayList<>()), "judge", 0);
        Calibration c = Calibration.run("towns", judge, new Bootstrap(200, 1));
        assertEquals(List.of("judge vs ann", "judge vs bob", "ann vs bob (ceiling)"), c.rows().stream().map(Calibration.Row::comparison).toList());
        assertEquals(6, c.rows().get(2).items());
        assertTrue(c.raterAgreement().alpha().value() > 0.5, c.raterAgreement().toString());
    }

    @Test
    void blindVotesWithTheKeyboard() throws Exception {
        Map<String, String> links = ReviewMagicTest.links((String) nb.ok("%review share towns --arena atlas,guess --raters cleo"));
        WebDriver cleo = browser(1024, 768);
        cleo.get(links.get("cleo"));
        waitFor(cleo, "1 of 3");
        for (int p = 1; p <= 3; p++) {
            String html = cleo.getPageSource();
            assertFalse(html.contains("atlas") || html.contains("guess"), "no model name in the page");
            assertFalse(cleo.getCurrentUrl().contains("atlas") || cleo.getCurrentUrl().contains("guess"));
            boolean capitalFirst = cleo.findElement(By.id("output-0")).getText().contains("Lyon") == false;
            key(cleo, capitalFirst ? "a" : "b");
            waitFor(cleo, p < 3 ? (p + 1) + " of 3" : "Thank you");
        }
        assertFalse(cleo.getPageSource().contains("atlas"));
        var votes = yardstick.magics.eval.arena.Arena.votes("towns").stream().filter(v -> v.rater().equals("cleo")).toList();
        assertEquals(3, votes.size());
        assertTrue(votes.stream().allMatch(v -> v.winner().equals("atlas")), votes.toString());
    }
}
