package dev.outpost.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's Chromium, headless, driven through Debian's chromedriver: both paths are given, so Selenium Manager
 * never looks for, let alone downloads, a browser or a driver. Selenium is an optional dependency of testkit:
 * a module that uses this class declares {@code selenium-chrome-driver} and {@code selenium-support} itself. The browser trusts exactly the cloud's certificate
 * (by its public key), so the page is a real secure origin with its Secure, HttpOnly session cookie.
 */
public final class Chromium implements AutoCloseable {
    public static final Path BINARY = Path.of("/usr/bin/chromium");
    public static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    public static final int WIDTH = 1280;
    public static final int HEIGHT = 900;

    private final ChromeDriver driver;
    private final URI origin;

    private Chromium(ChromeDriver driver, URI origin) {
        this.driver = driver;
        this.origin = origin;
    }

    /**
     * A fresh browser (its own profile in {@code profileDir}) opened on nothing yet.
     *
     * @param trustedCertificate PEM of the one certificate the browser accepts for {@code origin}
     */
    public static Chromium start(Path profileDir, URI origin, Path trustedCertificate) throws IOException {
        return start(profileDir, origin, List.of(trustedCertificate), List.of());
    }

    /**
     * Like {@link #start(Path, URI, Path)}, trusting each of several certificates (the first of each PEM file, by its
     * public key: the cloud's, a recorder's local one) and with more command-line switches, such as
     * {@code --host-resolver-rules=MAP *.recorders.outpost.invalid 127.0.0.1} for a recorder's name.
     */
    public static Chromium start(Path profileDir, URI origin, List<Path> trustedCertificates, List<String> moreArguments)
            throws IOException {
        if (!Files.isExecutable(BINARY) || !Files.isExecutable(DRIVER)) {
            throw new IllegalStateException("browser tests need Debian's Chromium: apt-get install -y chromium chromium-driver");
        }
        Files.createDirectories(profileDir);
        ChromeOptions options = new ChromeOptions()
                .setBinary(BINARY.toFile())
                .addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        "--disable-dev-shm-usage", "--mute-audio", "--autoplay-policy=no-user-gesture-required",
                        "--force-device-scale-factor=1", "--window-size=" + WIDTH + "," + HEIGHT,
                        "--user-data-dir=" + profileDir.toAbsolutePath(),
                        "--ignore-certificate-errors-spki-list=" + String.join(",", hashes(trustedCertificates)))
                .addArguments(moreArguments);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort()
                .withLogFile(profileDir.resolve("chromedriver.log").toFile())
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
        return new Chromium(driver, origin);
    }

    private static List<String> hashes(List<Path> certificates) throws IOException {
        List<String> hashes = new ArrayList<>();
        for (Path certificate : certificates) {
            hashes.add(spkiHash(certificate));
        }
        return hashes;
    }

    /** Chromium's --ignore-certificate-errors-spki-list value: base64 of SHA-256 of the SubjectPublicKeyInfo. */
    private static String spkiHash(Path pem) throws IOException {
        try (InputStream in = Files.newInputStream(pem)) {
            X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getPublicKey().getEncoded());
            return Base64.getEncoder().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read the certificate to trust in " + pem, e);
        }
    }

    public void open(String path) {
        driver.get(origin.resolve(path).toString());
    }

    /** Opens an absolute address (another origin than the one this browser was started for). */
    public void open(URI address) {
        driver.get(address.toString());
    }

    public WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    public List<WebElement> findAll(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    @SuppressWarnings("unchecked")
    public <T> T script(String javascript, Object... arguments) {
        return (T) ((JavascriptExecutor) driver).executeScript(javascript, arguments);
    }

    public void screenshot(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
    }

    /** Resizes the viewport (as a phone or a desktop window would be). */
    public void resize(int width, int height) {
        driver.manage().window().setSize(new org.openqa.selenium.Dimension(width, height));
    }

    public ChromeDriver driver() {
        return driver;
    }

    @Override
    public void close() {
        driver.quit();
    }
}
