package dev.millrace.api.openapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.millrace.api.ApiTestCluster;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Swagger UI and ReDoc rendered by a real headless Chromium (Debian's chromium and chromedriver),
 * with no network but this server: the pages' scripts come from the webjars.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiDocsBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    @TempDir static Path tmp;
    private ApiTestCluster cluster;
    private ChromeDriverService service;
    private WebDriver browser;

    @BeforeAll
    void start() throws Exception {
        assumeTrue(
                Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "Skipped: the browser tests need Debian's chromium and chromium-driver"
                        + " (/usr/bin/chromium, /usr/bin/chromedriver): apt-get install -y"
                        + " chromium chromium-driver");
        cluster = new ApiTestCluster(tmp.resolve("cluster"));
        service =
                new ChromeDriverService.Builder()
                        .usingDriverExecutable(new File(CHROMEDRIVER.toString()))
                        .usingAnyFreePort()
                        .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toString());
        options.addArguments(
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
                "--user-data-dir=" + Files.createTempDirectory(tmp, "chromium-profile"));
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (service != null) {
            service.stop();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    /** /api/sources where the platform fragment describes it, else another documented path. */
    private String documentedPath() throws Exception {
        JsonNode paths =
                new ObjectMapper().readTree(cluster.get("/api/openapi.json").body()).path("paths");
        for (String candidate :
                List.of("/api/sources", "/api/public/v1/sources", "/api/openapi.json")) {
            if (paths.has(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError("the document has none of the expected paths");
    }

    @Test
    void swaggerUiShowsTheSourcesOperations() throws Exception {
        String path = documentedPath();
        browser.get(cluster.server.baseUrl() + "/api/docs");

        new WebDriverWait(browser, Duration.ofSeconds(60))
                .until(
                        ExpectedConditions.presenceOfElementLocated(
                                By.cssSelector(".opblock-summary-path[data-path='" + path + "']")));

        assertThat(browser.findElement(By.cssSelector(".info .title")).getText())
                .contains(ApiDocs.TITLE);
        assertThat(browser.findElements(By.cssSelector(".opblock"))).isNotEmpty();
    }

    @Test
    void redocRendersTheApiTitle() {
        browser.get(cluster.server.baseUrl() + "/api/redoc");

        new WebDriverWait(browser, Duration.ofSeconds(60))
                .until(
                        ExpectedConditions.textToBePresentInElementLocated(
                                By.cssSelector("h1"), ApiDocs.TITLE));
    }
}
