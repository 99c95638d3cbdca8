package io.hepstack.ui.browser;

import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Debian's headless Chromium driven by chromedriver, each instance with a fresh profile (its own
 * storage, as a new visitor). Fails, never skips, when the packages are missing.
 */
final class Browser implements AutoCloseable {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SCREENSHOTS = Path.of("target/screenshots");

    /** Records alert()/confirm()/prompt() calls and CSP violations of every document, before its scripts run. */
    private static final String WATCH = """
            window.__alerts = [];
            window.__csp = [];
            window.alert = window.confirm = window.prompt = function (m) { window.__alerts.push(String(m)); };
            document.addEventListener('securitypolicyviolation', function (e) {
              window.__csp.push(e.violatedDirective + ' ' + e.blockedURI);
            });
            """;

    final ChromeDriver driver;
    final Path downloads;
    private final Path profile;

    Browser() {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            fail("The browser tests need Debian's chromium and chromium-driver: "
                    + "apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium chromium-driver "
                    + "(./hepstack test installs them)");
        }
        try {
            profile = Files.createTempDirectory("homer-ui-chromium-");
            downloads = Files.createTempDirectory("homer-ui-downloads-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-extensions", "--window-size=1400,1000", "--user-data-dir=" + profile);
        options.setExperimentalOption("prefs", Map.of(
                "download.default_directory", downloads.toString(),
                "download.prompt_for_download", false));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        driver = new ChromeDriver(service, options);
        driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", WATCH));
        driver.executeCdpCommand("Browser.setDownloadBehavior", Map.of("behavior", "allow", "downloadPath", downloads.toString()));
    }

    @SuppressWarnings("unchecked")
    List<String> alerts() {
        return (List<String>) driver.executeScript("return window.__alerts || []");
    }

    @SuppressWarnings("unchecked")
    List<String> cspViolations() {
        return (List<String>) driver.executeScript("return window.__csp || []");
    }

    /** axe-core's script, from its WebJar on the test classpath (found by the WebJar locator, whatever its version). */
    private static final String AXE = axeSource();

    private static String axeSource() {
        String path = new org.webjars.WebJarVersionLocator().fullPath("axe-core", "axe.min.js");
        if (path == null) {
            throw new IllegalStateException("axe-core is not on the test classpath (homer-ui/pom.xml, test scope)");
        }
        try (var in = Browser.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("axe-core is not on the test classpath: " + path);
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The serious and critical accessibility violations axe-core finds in the current document (or frame), each as
     * "rule: element, element" (WCAG 2.x A and AA rules and axe's best practices).
     */
    @SuppressWarnings("unchecked")
    List<String> accessibilityViolations() {
        driver.executeScript(AXE);
        return (List<String>) driver.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                axe.run(document, { resultTypes: ['violations'] }).then((r) => done(r.violations
                    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
                    .map((v) => v.id + ': ' + v.nodes.slice(0, 5).map((n) => n.target.join(' ')).join(', '))),
                  (e) => done(['axe failed: ' + e]));
                """);
    }

    /** The narrow width every screenshot is also taken at (the docs' second set). */
    static final int NARROW = 1024;

    /**
     * Saves the page as {@code name.png} and, when the window is wider, at {@link #NARROW} px as
     * {@code name-1024.png} (the window is narrowed for it, laid out again, and widened back).
     */
    void screenshot(String name) {
        save(name);
        var size = driver.manage().window().getSize();
        if (size.getWidth() > NARROW) {
            driver.manage().window().setSize(new org.openqa.selenium.Dimension(NARROW, size.getHeight()));
            settle();
            save(name + "-" + NARROW);
            driver.manage().window().setSize(size);
            settle();
        }
    }

    /** Waits two animation frames: the layout (and ResizeObserver callbacks) after a resize are done. */
    private void settle() {
        driver.executeAsyncScript("const done = arguments[0]; requestAnimationFrame(() => requestAnimationFrame(() => done()));");
    }

    private void save(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
            Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        driver.quit();
    }
}
