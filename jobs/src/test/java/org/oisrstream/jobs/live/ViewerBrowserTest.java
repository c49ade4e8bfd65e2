package org.oisrstream.jobs.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oisrstream.jobs.local.LiveSettings;
import org.oisrstream.jobs.local.LocalUpscale;
import org.oisrstream.jobs.upscale.UpscaleJobParameters;
import org.oisrstream.operators.infer.UpscalerSpec;
import org.oisrstream.operators.kafka.ChunkRecord;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The viewer page in a real browser (Debian's headless Chromium through chromedriver and Selenium) while a live
 * UDP source is upscaled by the local pipeline: both videos play, in sync, the upscaled one is scale times wider,
 * the split slider moves the split, the upscaled player shows every segment in order to the end, and the page
 * is not blank.
 */
class ViewerBrowserTest {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    @TempDir
    Path dir;

    @Test
    void thePagePlaysSourceAndUpscaledInSyncWithAWorkingSlider() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "skipped: no headless browser (apt-get install chromium chromium-driver; .ci/run does)");
        // A live source (up to 3 minutes, stopped by the test), upscaled while it plays; the page is opened once
        // the first segments are listed.
        LivePublisher publisher = new LivePublisher(160, 90, 180 * 10, 10, LivePublisher.freeUdpPort());
        Path hlsDir = dir.resolve("hls");
        LiveHlsOutput hls = new LiveHlsOutput(hlsDir, "nearest", 2, 1);
        LiveSettings live = LiveSettings.defaults().withSourceTimeout(Duration.ofSeconds(3))
                .withCheckpointInterval(Duration.ofMillis(200));
        CompletableFuture<LocalUpscale.Result> run = CompletableFuture.supplyAsync(() -> {
            try {
                return LocalUpscale.run(new LocalUpscale.Request(publisher.url(), dir.resolve("out.mp4"),
                        UpscaleJobParameters.builder().upscaler(UpscalerSpec.of("nearest", 2)), null, 1,
                        Duration.ofMinutes(3), live), new LocalUpscale.Listener() {
                            @Override
                            public void chunkIngested(ChunkRecord chunk) {
                                hls.sourceChunk(chunk);
                            }

                            @Override
                            public void chunkUpscaled(ChunkRecord chunk) {
                                hls.upscaledChunk(chunk);
                            }
                        });
            } catch (Exception e) {
                throw new IllegalStateException(e);
            } finally {
                hls.close();
            }
        });
        CompletableFuture<Void> publishing = publisher.startAsync();
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (hls.upscaledSegments().size() < 2 && !run.isDone() && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertTrue(hls.upscaledSegments().size() >= 2 && !publishing.isDone(),
                "the page is to be opened while the source plays");

        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--autoplay-policy=no-user-gesture-required", "--window-size=1100,900", "--mute-audio");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString())).usingAnyFreePort().build();
        ChromeDriver browser = new ChromeDriver(service, options);
        try (LiveServer server = LiveServer.start(hlsDir, null, 0)) {
            browser.get(server.uri() + "?start=0");
            JavascriptExecutor js = browser;
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
            wait.until(d -> number(js, "return document.getElementById('source').currentTime") > 0.3
                    && number(js, "return document.getElementById('upscaled').currentTime") > 0.3);
            double source1 = number(js, "return document.getElementById('source').currentTime");
            double upscaled1 = number(js, "return document.getElementById('upscaled').currentTime");
            Thread.sleep(1500);
            double source2 = number(js, "return document.getElementById('source').currentTime");
            double upscaled2 = number(js, "return document.getElementById('upscaled').currentTime");
            assertTrue(source2 > source1 && upscaled2 > upscaled1,
                    "both play: source " + source1 + " -> " + source2 + ", upscaled " + upscaled1 + " -> " + upscaled2);
            assertTrue(Math.abs(source2 - upscaled2) < 0.5, "in sync: source " + source2 + ", upscaled " + upscaled2);
            assertEquals(160, (long) number(js, "return document.getElementById('source').videoWidth"));
            assertEquals(2 * 160, (long) number(js, "return document.getElementById('upscaled').videoWidth"));
            wait.until(d -> d.findElement(By.id("scale")).getText().equals("x2"));
            assertEquals("nearest", browser.findElement(By.id("model")).getText());

            WebElement slider = browser.findElement(By.id("slider"));
            assertEquals("50", slider.getDomProperty("value"));
            for (int i = 0; i < 20; i++) {
                slider.sendKeys(Keys.ARROW_RIGHT);
            }
            assertEquals("70", slider.getDomProperty("value"));
            // The split line (white) is drawn where the slider now points.
            Thread.sleep(300);
            double line = number(js, "const c = document.getElementById('split');"
                    + "const x = Math.round(c.width * 0.7); return c.getContext('2d').getImageData(x, 10, 1, 1).data[0];");
            assertEquals(255, (long) line);

            // The source stops; the upscaled stream plays to its end (the playlist closed), every segment in order.
            Thread.sleep(3000);
            publisher.stop();
            new WebDriverWait(browser, Duration.ofMinutes(3)).until(d -> Boolean.TRUE.equals(
                    js.executeScript("return document.getElementById('upscaled').ended")));
            publishing.get();
            run.get(1, TimeUnit.MINUTES);
            int segments = hls.upscaledSegments().size();
            Object shown = js.executeScript("return window.shownSegments.upscaled");
            List<Long> expected = new ArrayList<>();
            for (long i = 0; i < segments; i++) {
                expected.add(i);
            }
            assertEquals(expected, shown, "segments the upscaled player showed");

            byte[] png = browser.getScreenshotAs(OutputType.BYTES);
            Path shot = Path.of("target", "viewer-screenshot.png");
            Files.createDirectories(shot.getParent());
            Files.write(shot, png);
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
            Set<Integer> colours = new HashSet<>();
            for (int y = 0; y < image.getHeight(); y += 4) {
                for (int x = 0; x < image.getWidth(); x += 4) {
                    colours.add(image.getRGB(x, y));
                }
            }
            assertTrue(colours.size() > 500, "screenshot " + shot.toAbsolutePath() + " has " + colours.size() + " colours");
        } finally {
            browser.quit();
        }
    }

    private static double number(JavascriptExecutor js, String script) {
        Object v = js.executeScript(script);
        return v instanceof Number n ? n.doubleValue() : Double.NaN;
    }
}
