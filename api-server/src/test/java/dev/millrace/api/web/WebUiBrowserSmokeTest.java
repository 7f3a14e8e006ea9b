package dev.millrace.api.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
 * The web UI's modules load and render in a real headless Chromium against the API server alone
 * (the end-to-end flows against local mode are not written yet, see docs/web-ui.md).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebUiBrowserSmokeTest {
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
        var prefs = new org.openqa.selenium.logging.LoggingPreferences();
        prefs.enable(org.openqa.selenium.logging.LogType.BROWSER, java.util.logging.Level.ALL);
        options.setCapability("goog:loggingPrefs", prefs);
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

    @Test
    void everyPageRendersAndTheLiveFeedConnects() {
        String base = cluster.server.baseUrl();
        var wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        browser.get(base + "/");
        wait.until(ExpectedConditions.textToBe(By.cssSelector("#live"), "Live"));
        wait.until(
                ExpectedConditions.textToBePresentInElementLocated(
                        By.cssSelector("main h1"), "Overview"));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("ul.cards")));
        for (String page : List.of("sources", "connections", "pipelines", "connectors", "models")) {
            browser.get(base + "/#/" + page);
            wait.until(
                    ExpectedConditions.presenceOfElementLocated(
                            By.cssSelector(
                                    "main[data-page='"
                                            + page
                                            + "'] table, main[data-page='"
                                            + page
                                            + "'] .graph, main[data-page='"
                                            + page
                                            + "'] p.muted")));
            assertThat(browser.findElements(By.cssSelector("main .error"))).as(page).isEmpty();
        }
    }
}
