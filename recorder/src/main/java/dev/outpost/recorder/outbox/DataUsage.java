package dev.outpost.recorder.outbox;

import dev.outpost.wire.api.DataUsageView;
import dev.outpost.wire.json.Json;
import dev.outpost.wire.outbox.OutboxKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bytes the recorder sent the cloud, per category per UTC day (the reference page's "Recorder Data Usage"
 * table), kept in {@code DATA/usage.json} for 62 days. Outbox items count when the cloud acknowledges them;
 * the link's own bytes ({@code baseline}: everything on its connection that is not stream content, see
 * {@code LinkTraffic}) are added by the health monitor at each check. Thread-safe.
 */
public final class DataUsage {
    private static final Logger LOG = LoggerFactory.getLogger(DataUsage.class);
    public static final String BASELINE = "baseline";
    public static final String CONFIG_BACKUPS = "config-backups";
    public static final String ALERTS = "alerts";
    public static final String ALERT_IMAGES = "alert-images";
    public static final String DAY_NIGHT_IMAGES = "day-night-images";
    public static final String EXPORTS = "exports";
    private static final List<String> CATEGORIES = List.of(BASELINE, CONFIG_BACKUPS, ALERTS, ALERT_IMAGES,
            DAY_NIGHT_IMAGES, EXPORTS);
    private static final int DAYS_KEPT = 62;

    /** What the file holds: per date, per category, bytes. */
    record Saved(Map<String, Map<String, Long>> days) {
    }

    private final Path file;
    private final Clock clock;
    private final TreeMap<LocalDate, Map<String, Long>> days = new TreeMap<>();

    private DataUsage(Path file, Clock clock) {
        this.file = file;
        this.clock = clock;
    }

    /** The counts in {@code file}, or none if it does not exist or cannot be read (counts are not worth a failed start). */
    public static DataUsage open(Path file, Clock clock) {
        DataUsage usage = new DataUsage(file, clock);
        if (Files.exists(file)) {
            try {
                Saved saved = Json.read(Files.readAllBytes(file), Saved.class);
                saved.days().forEach((date, bytes) -> usage.days.put(LocalDate.parse(date), new LinkedHashMap<>(bytes)));
            } catch (IOException | RuntimeException e) {
                LOG.warn("data usage counts in {} are unreadable and start again from zero: {}", file, e.getMessage());
            }
        }
        return usage;
    }

    /** Counts an acknowledged outbox item: its JSON as its kind's category, its payload as its own. */
    synchronized void delivered(OutboxKind kind, long bodyBytes, long payloadBytes) {
        switch (kind) {
            case ALERT -> {
                add(ALERTS, bodyBytes);
                add(ALERT_IMAGES, payloadBytes);
            }
            case DAY_NIGHT_IMAGE -> add(DAY_NIGHT_IMAGES, bodyBytes + payloadBytes);
            case CONFIG_BACKUP -> add(CONFIG_BACKUPS, bodyBytes + payloadBytes);
            case CLIP_PART -> add(EXPORTS, bodyBytes + payloadBytes);
        }
    }

    /** Adds {@code bytes} to {@code category} today. */
    public synchronized void add(String category, long bytes) {
        if (!CATEGORIES.contains(category)) {
            throw new IllegalArgumentException("no data usage category " + category);
        }
        if (bytes <= 0) {
            return;
        }
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        days.computeIfAbsent(today, d -> new LinkedHashMap<>()).merge(category, bytes, Long::sum);
        while (days.size() > DAYS_KEPT) {
            days.pollFirstEntry();
        }
    }

    /** Writes the counts to disk (temporary file, then renamed). */
    public synchronized void save() {
        Map<String, Map<String, Long>> out = new TreeMap<>();
        days.forEach((date, bytes) -> out.put(date.toString(), Map.copyOf(bytes)));
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.write(tmp, Json.write(new Saved(out)));
            Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            LOG.warn("cannot save data usage counts to {}: {}", file, e.getMessage());
        }
    }

    /** Per day (newest first, at most 31) and the sum of the last 30 days, every category shown. */
    public synchronized DataUsageView view() {
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        List<DataUsageView.Day> shown = new ArrayList<>();
        Map<String, Long> month = zeros();
        for (var day : days.descendingMap().entrySet()) {
            if (shown.size() < 31) {
                Map<String, Long> bytes = zeros();
                bytes.putAll(day.getValue());
                shown.add(new DataUsageView.Day(day.getKey().toString(), bytes));
            }
            if (day.getKey().isAfter(today.minusDays(30))) {
                day.getValue().forEach((category, bytes) -> month.merge(category, bytes, Long::sum));
            }
        }
        return new DataUsageView(shown, month);
    }

    private static Map<String, Long> zeros() {
        Map<String, Long> zeros = new LinkedHashMap<>();
        CATEGORIES.forEach(c -> zeros.put(c, 0L));
        return zeros;
    }
}
