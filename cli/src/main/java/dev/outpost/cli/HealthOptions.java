package dev.outpost.cli;

import dev.outpost.recorder.health.HealthSettings;
import dev.outpost.recorder.outbox.Outbox;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The recorder's health settings as flags of {@code outpost recorder} (and so as keys of its YAML file and
 * {@code OUTPOST_*} variables): alerts, day/night images, config backups and the outbox (docs/configuration.md,
 * "Health").
 */
final class HealthOptions {
    @Option(names = "--health-check-seconds", defaultValue = "10", paramLabel = "SECONDS",
            description = "How often cameras, recording, disks and the link are checked. Default: ${DEFAULT-VALUE}.")
    int checkSeconds;

    @Option(names = "--camera-offline-seconds", defaultValue = "30", paramLabel = "SECONDS",
            description = "How long a camera's main stream must be down to be reported offline. Default: ${DEFAULT-VALUE}.")
    int cameraOfflineSeconds;

    @Option(names = "--link-outage-seconds", defaultValue = "60", paramLabel = "SECONDS",
            description = "Shortest link outage reported when the link returns. Default: ${DEFAULT-VALUE}.")
    int linkOutageSeconds;

    @Option(names = "--disk-free-percent", defaultValue = "5", paramLabel = "PERCENT",
            description = "Below this share of free space on the recordings' disk, 'disk nearly full' is reported "
                    + "(0 to 50; 0 for never). Default: ${DEFAULT-VALUE}.")
    int diskFreePercent;

    @Option(names = "--alert-images", defaultValue = "true", arity = "1", paramLabel = "true|false",
            description = "Whether alerts about a camera carry a picture of it. Default: ${DEFAULT-VALUE}.")
    boolean alertImages;

    @Option(names = "--day-night-times", defaultValue = "12:00,00:00", paramLabel = "HH:MM[,HH:MM]|none",
            description = "When a picture of every camera is sent to the cloud, in --time-zone; up to 4 times, or none. "
                    + "Default: ${DEFAULT-VALUE}.")
    String dayNightTimes;

    @Option(names = "--time-zone", paramLabel = "ZONE",
            description = "The recorder's time zone for --day-night-times (Europe/Paris, UTC, ...). Default: the system's.")
    String timeZone;

    @Option(names = "--backup-every-days", defaultValue = "7", paramLabel = "DAYS",
            description = "How often the configuration is backed up to the cloud by itself; 0 for on demand only. "
                    + "Default: ${DEFAULT-VALUE}.")
    int backupEveryDays;

    @Option(names = "--outbox-max-items", defaultValue = "10000", paramLabel = "N",
            description = "Most alerts, images and backups kept while the cloud is out of reach. Default: ${DEFAULT-VALUE}.")
    int outboxMaxItems;

    @Option(names = "--outbox-max-mb", defaultValue = "1024", paramLabel = "MIB",
            description = "Most MiB they take on disk; past either bound the least important give way first. "
                    + "Default: ${DEFAULT-VALUE}.")
    long outboxMaxMb;

    /**
     * The settings these options say.
     *
     * @throws IllegalArgumentException naming the flag that is wrong
     */
    HealthSettings settings() {
        positive("--health-check-seconds", checkSeconds, 1, 3600);
        positive("--camera-offline-seconds", cameraOfflineSeconds, 0, 86_400);
        positive("--link-outage-seconds", linkOutageSeconds, 0, 86_400);
        positive("--disk-free-percent", diskFreePercent, 0, 50);
        positive("--backup-every-days", backupEveryDays, 0, 365);
        positive("--outbox-max-items", outboxMaxItems, 1, 1_000_000);
        positive("--outbox-max-mb", outboxMaxMb, 1, 1L << 20);
        return new HealthSettings(new Outbox.Limits(outboxMaxItems, outboxMaxMb << 20), Duration.ofSeconds(checkSeconds),
                Duration.ofSeconds(cameraOfflineSeconds), Duration.ofSeconds(linkOutageSeconds), diskFreePercent,
                alertImages, times(dayNightTimes), zone(), Duration.ofDays(backupEveryDays));
    }

    private ZoneId zone() {
        if (timeZone == null || timeZone.isBlank()) {
            return ZoneId.systemDefault();
        }
        try {
            return ZoneId.of(timeZone.strip());
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("--time-zone: no time zone '" + timeZone + "' (use a name such as "
                    + "Europe/Paris or America/New_York, or UTC)");
        }
    }

    static List<LocalTime> times(String text) {
        String list = text.strip();
        if (list.isEmpty() || list.equalsIgnoreCase("none")) {
            return List.of();
        }
        List<LocalTime> times = new ArrayList<>();
        for (String part : list.split(",")) {
            try {
                times.add(LocalTime.parse(part.strip()));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("--day-night-times: '" + part.strip()
                        + "' is not a time of day as HH:MM (24-hour clock), e.g. 12:00,00:00");
            }
        }
        if (times.size() > 4) {
            throw new IllegalArgumentException("--day-night-times: at most 4 times, not " + times.size());
        }
        if (times.stream().distinct().count() != times.size()) {
            throw new IllegalArgumentException("--day-night-times: a time is given twice in " + list);
        }
        return List.copyOf(times);
    }

    private static void positive(String flag, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(flag + " must be " + min + " to " + max + ", not " + value);
        }
    }
}
