package dev.outpost.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.outpost.client.OutpostClient;
import dev.outpost.cloud.MailSettings;
import dev.outpost.recorder.Recorder;
import dev.outpost.wire.api.NewAlertRule;
import dev.outpost.wire.outbox.HealthAlert;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Alert emails through a real SMTP server (GreenMail, in this JVM, over TLS with an account): the rule's address
 * gets the alert once, with its image inlined and a link to the recorder, even when the recorder sends it again.
 */
class AlertEmailTest {
    static final String SMTP_USER = "outpost-mailer";
    static final String SMTP_PASSWORD = "mail secret";

    GreenMail smtp;

    @BeforeEach
    void startSmtp() {
        smtp = new GreenMail(ServerSetupTest.SMTPS.dynamicPort());
        smtp.setUser("alerts@outpost.test", SMTP_USER, SMTP_PASSWORD);
        smtp.start();
    }

    @AfterEach
    void stopSmtp() {
        smtp.stop();
    }

    @Test
    void anAlertIsEmailedOnceWithItsImageAndALinkToTheRecorder(@TempDir Path dir) throws Exception {
        MailSettings mail = new MailSettings(Optional.of("127.0.0.1"), smtp.getSmtps().getPort(), MailSettings.Security.TLS,
                Optional.of(SMTP_USER), Optional.of(SMTP_PASSWORD), "alerts@outpost.test",
                Optional.of(URI.create("https://cloud.example.com")), true);
        try (Site site = Site.start(dir, config -> config.withMail(mail))) {
            OutpostClient admin = site.admin();
            admin.addAlertRule(new NewAlertRule("ops@example.com", List.of(HealthAlert.CAMERA_OFFLINE), ""));
            admin.addAlertRule(new NewAlertRule("boss@example.com", List.of(HealthAlert.DISK_NEARLY_FULL), ""));
            Recorder recorder = site.recorder("Warehouse", OutboxDeliveryTest.FAST_HEALTH);
            String id = recorder.identity().recorderId();
            byte[] jpeg = AlertEmails.jpeg();
            OutboxDeliveryTest.addAlert(recorder, "Camera cam-1 is offline", jpeg);
            // What the outbox holds now, to put back later: the alert sent again, as after a lost acknowledgement.
            Map<Path, byte[]> waiting = snapshot(dir.resolve("recorder-0/outbox"));

            await("the email").atMost(Duration.ofSeconds(20)).until(() -> smtp.getReceivedMessages().length >= 1);
            MimeMessage email = smtp.getReceivedMessages()[0];
            assertThat(email.getAllRecipients()).extracting(Object::toString).containsExactly("ops@example.com");
            assertThat(email.getFrom()).extracting(Object::toString).containsExactly("alerts@outpost.test");
            assertThat(email.getSubject()).isEqualTo("[Outpost] Warehouse: Camera cam-1 is offline");
            List<Part> parts = AlertEmails.parts(email);
            assertThat(parts).filteredOn(p -> AlertEmails.isType(p, "text/plain")).singleElement()
                    .satisfies(p -> assertThat((String) p.getContent()).contains("Recorder: Warehouse", "Camera: cam-1",
                            "https://cloud.example.com/recorders/" + id));
            assertThat(parts).filteredOn(p -> AlertEmails.isType(p, "text/html")).singleElement()
                    .satisfies(p -> assertThat((String) p.getContent()).contains("cid:alert-image"));
            Part image = parts.stream().filter(p -> AlertEmails.isType(p, "image/jpeg")).findFirst().orElseThrow();
            try (InputStream in = image.getInputStream()) {
                assertThat(in.readAllBytes()).isEqualTo(jpeg);
            }
            await("the email noted as sent").atMost(Duration.ofSeconds(10))
                    .until(() -> site.cloud().alerts().emailCounts().equals(Map.of("sent", 1)));

            recorder.close();
            waiting.forEach(AlertEmailTest::write);
            Recorder again = site.restart(OutboxDeliveryTest.FAST_HEALTH.apply(site.recorderConfig(0)));
            site.restartCloud();
            site.awaitOnline(again);
            await("the resent alert taken").atMost(Duration.ofSeconds(20)).until(() -> again.outbox().size() == 0);
            assertThat(site.cloud().alerts().emailCounts()).isEqualTo(Map.of("sent", 1));
            assertThat(smtp.getReceivedMessages()).as("exactly one email").hasSize(1);
            assertThat(site.admin().alerts(Optional.of(id), Optional.empty(), 100))
                    .filteredOn(a -> a.type().equals(HealthAlert.CAMERA_OFFLINE)).hasSize(1);
        }
    }

    private static Map<Path, byte[]> snapshot(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.collect(java.util.stream.Collectors.toMap(p -> p, p -> {
                try {
                    return Files.readAllBytes(p);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }));
        }
    }

    private static void write(Path file, byte[] bytes) {
        try {
            Files.write(file, bytes);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
