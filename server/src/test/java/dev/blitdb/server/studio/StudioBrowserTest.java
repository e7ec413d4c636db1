package dev.blitdb.server.studio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.blitdb.indexing.worker.IndexingOptions;
import dev.blitdb.indexing.worker.ThreadSpawner;
import dev.blitdb.server.BlitDbServer;
import dev.blitdb.server.config.ServerConfig;
import dev.blitdb.server.indexes.IndexService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The studio driven by Selenium in Debian's headless Chromium (chromium + chromium-driver, installed by .ci/run)
 * against a real server on a loopback port. Without a browser on the machine these tests skip with a message, unless
 * {@code -Dblitdb.requireBrowser=true} (what .ci/run passes). Screenshots go to {@code server/target/studio/}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StudioBrowserTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SHOTS = Path.of("target", "studio");

    private Path data;
    private Path profile;
    private ThreadSpawner spawner;
    private BlitDbServer server;
    private HttpClient http;
    private WebDriver browser;
    private WebDriverWait wait;

    @BeforeAll
    void start() throws Exception {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER);
        String why = "no headless browser here (" + CHROMIUM + " and " + DRIVER + "; apt-get install chromium "
                + "chromium-driver, or run .ci/run): the studio browser tests are skipped";
        if (!present) {
            assertFalse(Boolean.getBoolean("blitdb.requireBrowser"), why + " — but -Dblitdb.requireBrowser=true");
            System.out.println(why);
            assumeTrue(false, why);
        }
        data = Files.createTempDirectory("studio-data");
        profile = Files.createTempDirectory("studio-chromium-profile");
        spawner = new ThreadSpawner("studio-test-spawner");
        // Small index batches, so a rebuild of a few thousand documents takes long enough to watch.
        IndexingOptions slow = new IndexingOptions(100, Duration.ofMillis(20), 64, 64);
        server = BlitDbServer.start(new ServerConfig("127.0.0.1", 0, data, false),
                List.of(IndexService.factory(spawner, slow)), List.of());
        http = HttpClient.newHttpClient();
        Files.createDirectories(SHOTS);

        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
                "--disable-dev-shm-usage", "--window-size=1400,1000", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        wait = new WebDriverWait(browser, Duration.ofSeconds(20), Duration.ofMillis(100));
        browser.get(server.url() + "/studio");
    }

    @AfterAll
    void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (http != null) {
            http.close();
        }
        if (server != null) {
            server.close();
        }
        if (spawner != null) {
            spawner.close();
        }
        for (Path dir : new Path[] {data, profile}) {
            if (dir != null) {
                try (var walk = Files.walk(dir)) {
                    walk.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
                }
            }
        }
    }

    private HttpResponse<String> call(String method, String path, String body) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(server.url() + path)).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode json(String path) throws Exception {
        HttpResponse<String> r = call("GET", path, null);
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    private WebElement el(String css) {
        return wait.until(d -> {
            var found = d.findElements(By.cssSelector(css));
            return found.isEmpty() || !found.getFirst().isDisplayed() ? null : found.getFirst();
        });
    }

    private void waitForText(String css, String expected) {
        new WebDriverWait(browser, Duration.ofSeconds(20), Duration.ofMillis(100))
                .withMessage(() -> css + " never contained '" + expected + "': '" + text(css) + "'")
                .until(d -> text(css).contains(expected));
    }

    private String text(String css) {
        var found = browser.findElements(By.cssSelector(css));
        return found.isEmpty() ? "" : found.getFirst().getText();
    }

    private void setValue(String css, String value) {
        WebElement e = el(css);
        ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("arguments[0].value = arguments[1];", e, value);
    }

    private void screenshot(String name) throws Exception {
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), SHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    private void selectDatabase(String name) {
        wait.until(d -> !d.findElements(By.cssSelector("#dbSelect option[value='" + name + "']")).isEmpty());
        new Select(el("#dbSelect")).selectByValue(name);
    }

    @Test
    @Order(1)
    void shouldCreateADatabase() throws Exception {
        el("#newDbName").sendKeys("browsershop");
        el("#createDb").click();
        el("#dbTable tr[data-db='browsershop']");
        waitForText("#status", "Database 'browsershop' created");
        waitForText("#dbStats", "\"Database\": \"browsershop\"");
        assertTrue(json("/databases").toString().contains("\"browsershop\""));
        screenshot("01-databases");
    }

    @Test
    @Order(2)
    void shouldStoreADocumentThroughTheEditorAndShowJsonErrorsAndConflicts() throws Exception {
        selectDatabase("browsershop");
        el("#tab-documents").click();
        el("#newDoc").click();
        el("#docId").sendKeys("users/1");
        setValue("#docEditor", "{\n  \"Name\": \"Ann\",\n  \"Age\": 34,\n  \"@metadata\": {\"@collection\": \"Users\"}\n}");
        el("#saveDoc").click();
        waitForText("#docMessage", "Saved users/1");
        JsonNode stored = json("/databases/browsershop/docs?id=users/1");
        assertEquals("Ann", stored.get("Name").asText());
        assertEquals("Users", stored.get("@metadata").get("@collection").asText());

        // A broken edit: the checker names line 3, column 13 (the second comma) and nothing is sent.
        setValue("#docEditor", "{\n  \"Name\": \"Bob\",\n  \"Age\": 34,,\n}");
        el("#saveDoc").click();
        waitForText("#docMessage", "Invalid JSON at line 3, column 13");
        assertTrue(el("#docMessage").getAttribute("class").contains("error"));
        screenshot("02-json-error");
        assertEquals("Ann", json("/databases/browsershop/docs?id=users/1").get("Name").asText());

        // Someone else writes after the editor loaded the document: the save is refused and says so.
        el("#docList tr.doc-row[data-id='users/1']").click();
        waitForText("#docMessage", "Loaded users/1");
        assertEquals(201, call("PUT", "/databases/browsershop/docs?id=users/1",
                "{\"Name\":\"Changed elsewhere\",\"@metadata\":{\"@collection\":\"Users\"}}").statusCode());
        setValue("#docEditor", "{\"Name\": \"Ann again\", \"@metadata\": {\"@collection\": \"Users\"}}");
        el("#saveDoc").click();
        waitForText("#docMessage", "Conflict");
        assertEquals("Changed elsewhere", json("/databases/browsershop/docs?id=users/1").get("Name").asText());
        screenshot("03-conflict");
    }

    @Test
    @Order(3)
    void shouldRunAQueryAndShowItsNumbers() throws Exception {
        StringBuilder bulk = new StringBuilder("{\"Commands\":[");
        for (int i = 2; i <= 12; i++) {
            bulk.append(i == 2 ? "" : ",").append("{\"Type\":\"PUT\",\"Id\":\"users/").append(i)
                    .append("\",\"Document\":{\"Name\":\"User ").append(i).append("\",\"Age\":").append(20 + i)
                    .append(",\"@metadata\":{\"@collection\":\"Users\"}}}");
        }
        assertEquals(200, call("POST", "/databases/browsershop/bulk_docs", bulk.append("]}").toString()).statusCode(),
                "bulk_docs");
        selectDatabase("browsershop");
        el("#tab-query").click();
        setValue("#rql", "from Users where Age >= 30 order by Age");
        WebElement waitBox = el("#waitNonStale");
        if (!waitBox.isSelected()) {
            waitBox.click();
        }
        el("#runQuery").click();
        waitForText("#qTotalResults", "TotalResults: 3"); // ages 30, 31, 32
        waitForText("#qIsStale", "IsStale: false");
        waitForText("#qIndexName", "Auto/Users/ByAge");
        assertTrue(text("#queryStats").contains("Server ms"));
        assertEquals(3, browser.findElements(By.cssSelector("#resultTable tbody tr")).size());
        assertTrue(text("#resultTable tbody").contains("users/10"));
        screenshot("04-query");
        el("#viewRaw").click();
        waitForText("#resultRaw", "\"@id\": \"users/12\"");

        setValue("#rql", "from Users where");
        el("#runQuery").click();
        waitForText("#queryError", "400 InvalidQuery");
    }

    @Test
    @Order(4)
    void shouldChangeAnIndexPriorityAndShowTheNiceValueReadBackFromTheOs() throws Exception {
        assertTrue(call("PUT", "/databases/browsershop/admin/indexes", "{\"Name\":\"Users/ByName\","
                + "\"Collection\":\"Users\",\"Fields\":{\"Name\":{\"Path\":\"Name\",\"Type\":\"Keyword\"}}}")
                .statusCode() < 300);
        selectDatabase("browsershop");
        el("#tab-indexes").click();
        String row = "#indexTable tr[data-index='Users/ByName']";
        el(row);
        JsonNode stats = json("/databases/browsershop/indexes/stats?name=Users/ByName").get("Results").get(0);
        assumeTrue(!stats.get("EffectiveNice").isNull(), "native thread priorities are unavailable here");
        waitForText(row + " .nice", "5");
        new Select(el(row + " select.priority")).selectByValue("Low");
        waitForText(row + " .nice", "19");
        assertEquals(19, json("/databases/browsershop/indexes/stats?name=Users/ByName").get("Results").get(0)
                .get("EffectiveNice").asInt());
        screenshot("05-priority-low");
        new Select(el(row + " select.priority")).selectByValue("High");
        wait.until(d -> text(row + " .nice").equals("0"));
        assertEquals("High", json("/databases/browsershop/indexes/stats?name=Users/ByName").get("Results").get(0)
                .get("Priority").asText());
    }

    @Test
    @Order(5)
    void shouldShowARebuildAndAReplacementProgressing() throws Exception {
        StringBuilder bulk = new StringBuilder("{\"Commands\":[");
        for (int i = 0; i < 5_000; i++) {
            bulk.append(i == 0 ? "" : ",").append("{\"Type\":\"PUT\",\"Id\":\"items/").append(i)
                    .append("\",\"Document\":{\"Name\":\"Item ").append(i).append("\",\"Size\":").append(i % 97)
                    .append(",\"@metadata\":{\"@collection\":\"Items\"}}}");
        }
        assertEquals(200, call("POST", "/databases/browsershop/bulk_docs", bulk.append("]}").toString()).statusCode());
        String def = "{\"Name\":\"Items/BySize\",\"Collection\":\"Items\",\"Fields\":{\"Size\":{\"Path\":\"Size\","
                + "\"Type\":\"Long\"}},\"Priority\":\"High\"}";
        assertTrue(call("PUT", "/databases/browsershop/admin/indexes", def).statusCode() < 300);
        selectDatabase("browsershop");
        el("#tab-indexes").click();
        String row = "#indexTable tr[data-index='Items/BySize']";
        el(row);
        slowWait(row + " built").until(d -> "100".equals(percent(row)));

        // Reset it while paused: the bar drops to 0 and stays; resumed, it climbs back to 100.
        el(row + " .pause").click();
        waitForText(row + " .state", "Paused");
        el(row + " .reset").click();
        slowWait(row + " reset").until(d -> "0".equals(percent(row)));
        screenshot("06-rebuild-paused");
        el(row + " .resume").click();
        List<Double> seen = new ArrayList<>();
        boolean shotMidway = false;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            double p = Double.parseDouble(percent(row));
            if (seen.isEmpty() || seen.getLast() != p) {
                seen.add(p);
            }
            if (p > 0 && p < 100 && !shotMidway) {
                screenshot("07-rebuild-progress");
                shotMidway = true;
            }
            if (p == 100) {
                break;
            }
            Thread.sleep(100);
        }
        System.out.println("studio: rebuild progress seen " + seen);
        assertEquals(100.0, seen.getLast(), "the bar reached 100%: " + seen);
        // 0% was on screen before the resume (waited for above); from there it only climbs.
        for (int i = 1; i < seen.size(); i++) {
            assertTrue(seen.get(i) >= seen.get(i - 1), "the bar only moves forward: " + seen);
        }

        // Change the definition: a ReplacementOf row with its own bar appears, then takes over.
        setValue("#newIndex", def.replace("\"Size\":{\"Path\":\"Size\",\"Type\":\"Long\"}",
                "\"Size\":{\"Path\":\"Size\",\"Type\":\"Long\"},\"Name\":{\"Path\":\"Name\",\"Type\":\"Keyword\"}"));
        el("#putIndex").click();
        waitForText("#putIndexResult", "Items/BySize: Replacing");
        String replacement = "#indexTable tr[data-index='ReplacementOf/Items/BySize']";
        boolean sawReplacement = false;
        deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!browser.findElements(By.cssSelector(replacement)).isEmpty()) {
                if (!sawReplacement) {
                    screenshot("08-replacement");
                }
                sawReplacement = true;
            } else if (json("/databases/browsershop/indexes?name=Items/BySize").toString().contains("\"Name\":{")) {
                break; // swapped in
            }
            Thread.sleep(100);
        }
        slowWait("replacement gone").until(d -> d.findElements(By.cssSelector(replacement)).isEmpty());
        System.out.println("studio: replacement row seen while building: " + sawReplacement);
        assertTrue(json("/databases/browsershop/indexes?name=Items/BySize").toString().contains("Keyword"),
                "the new definition took over");
        waitForText(row + " .entries", "5000");
        screenshot("09-indexes");
    }

    @Test
    @Order(6)
    void shouldDrawChartsFromMetrics() throws Exception {
        el("#tab-charts").click();
        // Two samples make a rate; the sampler runs every 2 s.
        slowWait("chart drawn").until(d -> Boolean.TRUE.equals(
                ((org.openqa.selenium.JavascriptExecutor) d).executeScript(
                        "const c = document.getElementById('chartRequests').getContext('2d');"
                                + "const px = c.getImageData(0, 0, 520, 160).data;"
                                + "for (let i = 0; i < px.length; i += 4) { if (px[i+2] > 150 && px[i] < 100) return true; }"
                                + "return false;")));
        screenshot("10-charts");
    }

    private WebDriverWait slowWait(String what) {
        return (WebDriverWait) new WebDriverWait(browser, Duration.ofSeconds(90), Duration.ofMillis(100))
                .withMessage(() -> what);
    }

    private String percent(String row) {
        var bars = browser.findElements(By.cssSelector(row + " .progress"));
        if (bars.isEmpty()) {
            return "";
        }
        String p = bars.getFirst().getAttribute("data-percent");
        return p == null ? "" : p.replaceAll("\\.0$", "");
    }
}
