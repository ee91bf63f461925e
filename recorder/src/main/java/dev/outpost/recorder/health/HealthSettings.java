package dev.outpost.recorder.health;

import dev.outpost.recorder.outbox.Outbox;
import java.time.Duration;
import java.time.LocalTime;
import java.util.List;
import java.util.Objects;

/**
 * What the recorder reports to the cloud about its health, and how (docs/configuration.md, "Health").
 *
 * @param outbox          how much the outbox holds while the cloud is out of reach
 * @param checkEvery      how often cameras, recording, disk and link are looked at
 * @param cameraGrace     how long a camera stream must be down before it is reported offline (short blips are not)
 * @param linkOutage      how long the link must have been down for its return to be reported
 * @param diskFreePercent below this share of free space on the recordings' disk, "disk nearly full" is reported
 * @param alertImages     whether alerts about a camera carry a picture of it
 * @param dayNightTimes   when each camera's day/night image is taken, in {@code zone}; empty for none
 * @param zone            the recorder's time zone, for {@code dayNightTimes}
 * @param backupEvery     how often the configuration is backed up to the cloud; zero for on demand only
 */
public record HealthSettings(Outbox.Limits outbox, Duration checkEvery, Duration cameraGrace, Duration linkOutage,
                             int diskFreePercent, boolean alertImages, List<LocalTime> dayNightTimes,
                             java.time.ZoneId zone, Duration backupEvery) {
    /** Weekly config backups. */
    public static final Duration WEEKLY = Duration.ofDays(7);
    public static final HealthSettings DEFAULTS = new HealthSettings(Outbox.Limits.DEFAULTS, Duration.ofSeconds(10),
            Duration.ofSeconds(30), Duration.ofSeconds(60), 5, true, List.of(LocalTime.of(12, 0), LocalTime.of(0, 0)),
            java.time.ZoneId.systemDefault(), WEEKLY);

    /** With weekly config backups. */
    public HealthSettings(Outbox.Limits outbox, Duration checkEvery, Duration cameraGrace, Duration linkOutage,
                          int diskFreePercent, boolean alertImages, List<LocalTime> dayNightTimes, java.time.ZoneId zone) {
        this(outbox, checkEvery, cameraGrace, linkOutage, diskFreePercent, alertImages, dayNightTimes, zone, WEEKLY);
    }

    public HealthSettings {
        Objects.requireNonNull(outbox, "outbox");
        if (checkEvery.isNegative() || checkEvery.isZero()) {
            throw new IllegalArgumentException("health checks must run more often than never, not every " + checkEvery);
        }
        Objects.requireNonNull(cameraGrace, "cameraGrace");
        Objects.requireNonNull(linkOutage, "linkOutage");
        if (diskFreePercent < 0 || diskFreePercent > 50) {
            throw new IllegalArgumentException("disk-free-percent must be 0 to 50, not " + diskFreePercent);
        }
        dayNightTimes = List.copyOf(dayNightTimes);
        Objects.requireNonNull(zone, "zone");
        if (dayNightTimes.size() > 4) {
            throw new IllegalArgumentException("at most 4 day/night image times, not " + dayNightTimes.size());
        }
        if (cameraGrace.isNegative() || linkOutage.isNegative()) {
            throw new IllegalArgumentException("camera and link delays cannot be negative: " + cameraGrace + ", "
                    + linkOutage);
        }
        if (backupEvery.isNegative() || (!backupEvery.isZero() && backupEvery.compareTo(Duration.ofHours(1)) < 0)) {
            throw new IllegalArgumentException("config backups are taken every hour or less often (or on demand only),"
                    + " not every " + backupEvery);
        }
    }

    public HealthSettings withChecks(Duration every, Duration grace, Duration outage) {
        return new HealthSettings(outbox, every, grace, outage, diskFreePercent, alertImages, dayNightTimes, zone, backupEvery);
    }

    public HealthSettings withOutbox(Outbox.Limits limits) {
        return new HealthSettings(limits, checkEvery, cameraGrace, linkOutage, diskFreePercent, alertImages, dayNightTimes, zone, backupEvery);
    }

    public HealthSettings withDiskFreePercent(int percent) {
        return new HealthSettings(outbox, checkEvery, cameraGrace, linkOutage, percent, alertImages, dayNightTimes, zone, backupEvery);
    }

    public HealthSettings withAlertImages(boolean on) {
        return new HealthSettings(outbox, checkEvery, cameraGrace, linkOutage, diskFreePercent, on, dayNightTimes, zone, backupEvery);
    }

    public HealthSettings withDayNightTimes(List<LocalTime> times) {
        return new HealthSettings(outbox, checkEvery, cameraGrace, linkOutage, diskFreePercent, alertImages, times, zone, backupEvery);
    }

    public HealthSettings withZone(java.time.ZoneId timeZone) {
        return new HealthSettings(outbox, checkEvery, cameraGrace, linkOutage, diskFreePercent, alertImages, dayNightTimes,
                timeZone, backupEvery);
    }

    public HealthSettings withBackupEvery(Duration every) {
        return new HealthSettings(outbox, checkEvery, cameraGrace, linkOutage, diskFreePercent, alertImages, dayNightTimes,
                zone, every);
    }
}
