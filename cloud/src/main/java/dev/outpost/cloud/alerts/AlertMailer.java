package dev.outpost.cloud.alerts;

import dev.outpost.cloud.MailSettings;
import jakarta.activation.DataHandler;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the alert emails the rules asked for through any SMTP server (STARTTLS or TLS, with or without an account),
 * each with the alert's image inlined (and so attached) and a link to the recorder. One worker on a virtual thread
 * takes pending emails from the database (written with their alert), sends each and marks it sent; a failure is
 * tried again with growing delays, up to {@value #MAX_ATTEMPTS} times. Each email carries a {@code Message-ID} made
 * from its row, so the rare email sent twice (the cloud stopped between sending and marking) is one message to
 * mail readers.
 */
public final class AlertMailer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AlertMailer.class);
    static final int MAX_ATTEMPTS = 8;
    private static final int BATCH = 20;
    /** How often the worker looks for emails due again after a failure, when nothing wakes it. */
    private static final Duration IDLE_CHECK = Duration.ofSeconds(5);
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private final Alerts alerts;
    private final MailSettings settings;
    private final Session session;
    private final Semaphore wake = new Semaphore(0);
    private volatile boolean closed;

    private AlertMailer(Alerts alerts, MailSettings settings) {
        this.alerts = alerts;
        this.settings = settings;
        this.session = Session.getInstance(properties(settings));
    }

    /** Starts the worker, or nothing when no SMTP server is configured. */
    public static AlertMailer start(Alerts alerts, MailSettings settings, Executor blocking, Clock clock) {
        AlertMailer mailer = new AlertMailer(alerts, settings);
        if (settings.enabled()) {
            alerts.onMailWaiting(mailer.wake::release);
            blocking.execute(mailer::run);
            LOG.info("alert emails go through {}", settings);
        }
        return mailer;
    }

    private static Properties properties(MailSettings settings) {
        Properties p = new Properties();
        String protocol = settings.security() == MailSettings.Security.TLS ? "smtps" : "smtp";
        p.put("mail.transport.protocol", protocol);
        String prefix = "mail." + protocol + ".";
        settings.host().ifPresent(h -> p.put(prefix + "host", h));
        p.put(prefix + "port", Integer.toString(settings.port()));
        p.put(prefix + "auth", Boolean.toString(settings.user().isPresent()));
        p.put(prefix + "connectiontimeout", "10000");
        p.put(prefix + "timeout", "30000");
        p.put(prefix + "writetimeout", "30000");
        if (settings.security() == MailSettings.Security.STARTTLS) {
            p.put(prefix + "starttls.enable", "true");
            p.put(prefix + "starttls.required", "true");
        }
        if (settings.security() != MailSettings.Security.NONE) {
            if (settings.trustAll()) {
                p.put(prefix + "ssl.trust", "*");
                p.put(prefix + "ssl.checkserveridentity", "false");
            } else {
                p.put(prefix + "ssl.checkserveridentity", "true");
            }
        }
        return p;
    }

    private void run() {
        while (!closed) {
            try {
                List<Alerts.PendingEmail> due = alerts.dueEmails(BATCH);
                if (!due.isEmpty()) {
                    send(due);
                    continue;
                }
                wake.tryAcquire(IDLE_CHECK.toMillis(), TimeUnit.MILLISECONDS);
                wake.drainPermits();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (closed) {
                    return;
                }
                LOG.warn("alert emails: {}; trying again shortly", e.toString());
                try {
                    wake.tryAcquire(IDLE_CHECK.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    private void send(List<Alerts.PendingEmail> due) {
        Transport transport = null;
        try {
            transport = session.getTransport();
            transport.connect(settings.host().orElseThrow(), settings.port(), settings.user().orElse(null),
                    settings.password().orElse(null));
            for (Alerts.PendingEmail email : due) {
                try {
                    MimeMessage message = message(email);
                    transport.sendMessage(message, message.getAllRecipients());
                    alerts.emailSent(email.id());
                    LOG.info("alert {} ({}) emailed to {}", email.alertId(), email.type(), email.email());
                } catch (MessagingException | IOException e) {
                    failed(email, e);
                }
            }
        } catch (MessagingException e) {
            due.forEach(email -> failed(email, e));
        } finally {
            if (transport != null) {
                try {
                    transport.close();
                } catch (MessagingException ignored) {
                    // the messages were sent or marked failed already
                }
            }
        }
    }

    private void failed(Alerts.PendingEmail email, Exception cause) {
        Duration retry = Duration.ofSeconds(Math.min(3600, 10L << Math.min(email.attempts(), 8)));
        String why = describe(cause);
        LOG.warn("alert email {} to {} failed (attempt {}): {}", email.id(), email.email(), email.attempts() + 1, why);
        alerts.emailFailed(email.id(), email.attempts(), MAX_ATTEMPTS, retry, why);
    }

    /** The failure and its causes in one line (SMTP errors hide the TLS or network reason in their cause). */
    static String describe(Throwable failure) {
        StringBuilder text = new StringBuilder(String.valueOf(failure.getMessage()));
        for (Throwable cause = failure.getCause(); cause != null && text.length() < 500; cause = cause.getCause()) {
            text.append(": ").append(cause.getClass().getSimpleName()).append(' ').append(cause.getMessage());
        }
        return text.toString();
    }

    MimeMessage message(Alerts.PendingEmail email) throws MessagingException, IOException {
        MimeMessage message = new MimeMessage(session) {
            @Override
            protected void updateMessageID() throws MessagingException {
                setHeader("Message-ID", "<" + email.id() + "@outpost>");
            }
        };
        message.setFrom(new InternetAddress(settings.from()));
        message.setRecipient(Message.RecipientType.TO, new InternetAddress(email.email()));
        String subject = subject(email);
        message.setSubject(subject, "UTF-8");
        String link = settings.webUrl().map(u -> u.resolve("/recorders/" + email.recorderId()).toString())
                .orElse("");
        String text = text(email, link);
        Optional<byte[]> image = alerts.imageOf(email);
        MimeMultipart related = new MimeMultipart("related");
        MimeBodyPart html = new MimeBodyPart();
        html.setContent(html(email, link, image.isPresent()), "text/html; charset=UTF-8");
        MimeMultipart alternative = new MimeMultipart("alternative");
        MimeBodyPart plain = new MimeBodyPart();
        plain.setText(text, "UTF-8");
        alternative.addBodyPart(plain);
        alternative.addBodyPart(html);
        MimeBodyPart body = new MimeBodyPart();
        body.setContent(alternative);
        related.addBodyPart(body);
        if (image.isPresent()) {
            MimeBodyPart picture = new MimeBodyPart();
            picture.setDataHandler(new DataHandler(new ByteArrayDataSource(image.get(), "image/jpeg")));
            picture.setContentID("<alert-image>");
            picture.setDisposition(MimeBodyPart.INLINE);
            picture.setFileName(email.alertId() + ".jpg");
            related.addBodyPart(picture);
        }
        message.setContent(related);
        message.saveChanges();
        return message;
    }

    static String subject(Alerts.PendingEmail email) {
        return "[Outpost] " + email.recorderName() + ": " + email.message();
    }

    private static String text(Alerts.PendingEmail email, String link) {
        return email.message() + "\n\n"
                + "Recorder: " + email.recorderName() + "\n"
                + (email.cameraId().isEmpty() ? "" : "Camera: " + email.cameraId() + "\n")
                + "When: " + WHEN.format(email.occurredAt()) + "\n"
                + "Alert: " + email.type() + "\n"
                + (link.isEmpty() ? "" : "\nOpen the recorder: " + link + "\n");
    }

    private static String html(Alerts.PendingEmail email, String link, boolean image) {
        return "<p>" + escape(email.message()) + "</p><p>Recorder: " + escape(email.recorderName())
                + (email.cameraId().isEmpty() ? "" : "<br>Camera: " + escape(email.cameraId()))
                + "<br>When: " + WHEN.format(email.occurredAt()) + "<br>Alert: " + escape(email.type()) + "</p>"
                + (image ? "<p><img src=\"cid:alert-image\" alt=\"camera image\"></p>" : "")
                + (link.isEmpty() ? "" : "<p><a href=\"" + escape(link) + "\">Open the recorder</a></p>");
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    @Override
    public void close() {
        closed = true;
        wake.release();
    }
}
