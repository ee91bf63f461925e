package dev.outpost.cli;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;

/** How the client commands show URLs, times and tables to people. */
final class ClientText {
    private static final DateTimeFormatter MINUTES = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);

    private ClientText() {
    }

    /** The cloud URL as a person typed it: without the trailing slash of an empty path. */
    static String cloud(URI cloud) {
        String text = cloud.toString();
        return cloud.getRawPath() != null && cloud.getRawPath().equals("/") ? text.substring(0, text.length() - 1) : text;
    }

    /** Parses {@code --cloud}: a URL, or host[:port] which means https. */
    static URI cloudUrl(String text) {
        String trimmed = text.strip();
        String withScheme = trimmed.contains("://") ? trimmed : "https://" + trimmed;
        URI uri;
        try {
            uri = URI.create(withScheme);
        } catch (IllegalArgumentException e) {
            throw ClientFailure.usage("--cloud: not a URL: " + text);
        }
        if (!"https".equalsIgnoreCase(uri.getScheme())) {
            throw ClientFailure.usage("--cloud: the cloud is reached over https, not " + uri.getScheme()
                    + " (https://host:8443)");
        }
        if (uri.getHost() == null) {
            throw ClientFailure.usage("--cloud: no host name in " + text + " (https://host:8443)");
        }
        return uri;
    }

    /** {@code 2026-11-23 18:00 UTC (2 h ago)}, or {@code never}. */
    static String when(Optional<Instant> instant, Instant now) {
        return instant.map(at -> MINUTES.format(at) + " (" + relative(at, now) + ")").orElse("never");
    }

    /** {@code 5 min ago}, {@code in 23 h}, {@code just now}. */
    static String relative(Instant at, Instant now) {
        Duration distance = Duration.between(at, now);
        boolean past = !distance.isNegative();
        Duration size = distance.abs();
        String amount;
        if (size.toSeconds() < 60) {
            return "just now";
        } else if (size.toMinutes() < 60) {
            amount = size.toMinutes() + " min";
        } else if (size.toHours() < 48) {
            amount = size.toHours() + " h";
        } else {
            amount = size.toDays() + " d";
        }
        return past ? amount + " ago" : "in " + amount;
    }

    /** Columns padded to their widest cell, two spaces apart; the last column is not padded. */
    static String table(List<String> header, List<List<String>> rows) {
        int[] widths = new int[header.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = header.get(i).length();
            for (List<String> row : rows) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        StringBuilder out = new StringBuilder();
        appendRow(out, header, widths);
        rows.forEach(row -> appendRow(out, row, widths));
        return out.toString();
    }

    private static void appendRow(StringBuilder out, List<String> cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            line.append(cells.get(i));
            if (i < cells.size() - 1) {
                line.append(" ".repeat(widths[i] - cells.get(i).length() + 2));
            }
        }
        out.append(line.toString().stripTrailing()).append('\n');
    }
}
