package dev.outpost.cloud.alerts;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the alert history bounded: every hour, on a virtual thread, {@link Alerts#prune()} deletes alerts and
 * day/night images past {@link Alerts#KEPT} with their objects and emails, and receipts past
 * {@link Alerts#RECEIPTS_KEPT}.
 */
public final class AlertRetention implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AlertRetention.class);
    static final Duration EVERY = Duration.ofHours(1);

    private final Alerts alerts;
    private final Object lock = new Object();
    private volatile boolean closed;

    private AlertRetention(Alerts alerts) {
        this.alerts = alerts;
    }

    public static AlertRetention start(Alerts alerts, Executor blocking) {
        AlertRetention retention = new AlertRetention(alerts);
        blocking.execute(retention::run);
        return retention;
    }

    private void run() {
        while (!closed) {
            try {
                alerts.prune();
            } catch (IOException | RuntimeException e) {
                if (closed) {
                    return;
                }
                LOG.warn("pruning old alerts failed: {}; trying again in {}", e.toString(), EVERY);
            }
            synchronized (lock) {
                if (closed) {
                    return;
                }
                try {
                    lock.wait(EVERY.toMillis());
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        synchronized (lock) {
            lock.notifyAll();
        }
    }
}
