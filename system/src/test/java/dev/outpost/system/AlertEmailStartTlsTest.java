package dev.outpost.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.outpost.client.OutpostClient;
import dev.outpost.cloud.MailSettings;
import dev.outpost.recorder.Recorder;
import dev.outpost.testkit.SmtpServer;
import dev.outpost.wire.api.NewAlertRule;
import dev.outpost.wire.outbox.HealthAlert;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimePart;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Alert emails through a real SMTP server that wants STARTTLS (RFC 3207) and an account (Debian's aiosmtpd, as
 * GreenMail has no STARTTLS; {@link AlertEmailTest} covers TLS from the first byte): the email arrives over TLS,
 * logged in, with its image inlined and a link to the recorder; and a server that does not offer STARTTLS gets
 * nothing, neither the email nor the password, in clear text.
 */
class AlertEmailStartTlsTest {
    static final String USER = "outpost-mailer";
    static final String PASSWORD = "mail secret";

    @Test
    void anAlertIsEmailedOverStartTlsWithAnAccountItsImageInlinedAndALink(@TempDir Path dir) throws Exception {
        try (SmtpServer smtp = SmtpServer.start(dir.resolve("smtp"), SmtpServer.Mode.STARTTLS, USER, PASSWORD);
             Site site = Site.start(dir, config -> config.withMail(mail(smtp)))) {
            OutpostClient admin = site.admin();
            admin.addAlertRule(new NewAlertRule("ops@example.com", List.of(HealthAlert.CAMERA_OFFLINE), ""));
            Recorder recorder = site.recorder("Warehouse", OutboxDeliveryTest.FAST_HEALTH);
            String id = recorder.identity().recorderId();
            byte[] jpeg = AlertEmails.jpeg();
            OutboxDeliveryTest.addAlert(recorder, "Camera cam-1 is offline", jpeg);

            await("the email").atMost(Duration.ofSeconds(30)).until(() -> !smtp.messages().isEmpty());
            SmtpServer.Received received = smtp.messages().getFirst();
            assertThat(received.meta()).contains("\"tls\": true", "\"login\": \"" + USER + "\"",
                    "\"to\": [\"ops@example.com\"]");
            MimeMessage email = new MimeMessage(Session.getInstance(new Properties()),
                    new ByteArrayInputStream(received.content()));
            assertThat(email.getSubject()).isEqualTo("[Outpost] Warehouse: Camera cam-1 is offline");
            List<Part> parts = AlertEmails.parts(email);
            assertThat(parts).filteredOn(p -> AlertEmails.isType(p, "text/plain")).singleElement()
                    .satisfies(p -> assertThat((String) p.getContent())
                            .contains("https://cloud.example.com/recorders/" + id));
            assertThat(parts).filteredOn(p -> AlertEmails.isType(p, "text/html")).singleElement()
                    .satisfies(p -> assertThat((String) p.getContent()).contains("cid:alert-image",
                            "href=\"https://cloud.example.com/recorders/" + id + "\""));
            Part image = parts.stream().filter(p -> AlertEmails.isType(p, "image/jpeg")).findFirst().orElseThrow();
            assertThat(((MimePart) image).getContentID()).isEqualTo("<alert-image>");
            assertThat(image.getDisposition()).isEqualTo(Part.INLINE);
            try (InputStream in = image.getInputStream()) {
                assertThat(in.readAllBytes()).as("the camera's picture, byte for byte").isEqualTo(jpeg);
            }
        }
    }

    @Test
    void aServerWithoutStartTlsGetsNothingInClearText(@TempDir Path dir) throws Exception {
        try (SmtpServer smtp = SmtpServer.start(dir.resolve("smtp"), SmtpServer.Mode.PLAIN, USER, PASSWORD);
             SecurityLogCapture log = new SecurityLogCapture();
             Site site = Site.start(dir, config -> config.withMail(mail(smtp)))) {
            site.admin().addAlertRule(new NewAlertRule("ops@example.com", List.of(HealthAlert.CAMERA_OFFLINE), ""));
            Recorder recorder = site.recorder("Warehouse", OutboxDeliveryTest.FAST_HEALTH);
            OutboxDeliveryTest.addAlert(recorder, "Camera cam-1 is offline", AlertEmails.jpeg());

            await("the send refused").atMost(Duration.ofSeconds(30))
                    .until(() -> !log.containing("failed (attempt 1)").isEmpty());
            assertThat(log.containing("failed (attempt 1)").getFirst()).containsIgnoringCase("STARTTLS");
            assertThat(smtp.messages()).as("nothing sent without TLS").isEmpty();
            assertThat(site.cloud().alerts().emailCounts()).as("kept to try again").containsEntry("pending", 1);
            assertThat(log.messages()).noneMatch(m -> m.contains(PASSWORD));
        }
    }

    private static MailSettings mail(SmtpServer smtp) {
        // The test server's certificate is self-signed: trusted as such here; production checks CAs and the name.
        return new MailSettings(Optional.of("127.0.0.1"), smtp.port(), MailSettings.Security.STARTTLS,
                Optional.of(USER), Optional.of(PASSWORD), "alerts@outpost.test",
                Optional.of(URI.create("https://cloud.example.com")), true);
    }
}
