package dev.outpost.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The kernel's own counters of established TCP connections to one port ({@code ss -tin}, Linux
 * {@code tcp_info}): payload bytes and segments both ways, pure ACKs included. Read from the
 * connecting end, one socket sees every segment of its connection, so headers can be counted, not guessed.
 */
final class TcpSegments {
    /** Totals over the matching connections, keyed by nothing: a sum. */
    record Totals(int connections, long bytesSent, long bytesReceived, long segsOut, long segsIn,
                  long dataSegsOut, long dataSegsIn) {
        Totals minus(Totals earlier) {
            return new Totals(connections, bytesSent - earlier.bytesSent, bytesReceived - earlier.bytesReceived,
                    segsOut - earlier.segsOut, segsIn - earlier.segsIn, dataSegsOut - earlier.dataSegsOut,
                    dataSegsIn - earlier.dataSegsIn);
        }

        long segments() {
            return segsOut + segsIn;
        }

        long pureAcks() {
            return segments() - dataSegsOut - dataSegsIn;
        }
    }

    private TcpSegments() {
    }

    /**
     * How many TCP connections this machine has whose local port is {@code port} (the server's side)
     * and whose state is established or close-wait (the peer closed, this side not yet).
     */
    static int serverSideOpen(int port) throws IOException, InterruptedException {
        Process ss = new ProcessBuilder("ss", "-tnH", "state", "established", "state", "close-wait",
                "( sport = :" + port + " )").redirectErrorStream(true).start();
        String out = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (ss.waitFor() != 0) {
            throw new IOException("ss failed: " + out);
        }
        return (int) out.lines().filter(l -> !l.isBlank()).count();
    }

    /** Sums the counters of every established connection whose remote port is {@code port}. */
    static Totals toPort(int port) throws IOException, InterruptedException {
        Process ss = new ProcessBuilder("ss", "-tinH", "state", "established", "( dport = :" + port + " )")
                .redirectErrorStream(true).start();
        String out = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (ss.waitFor() != 0) {
            throw new IOException("ss failed: " + out);
        }
        int connections = 0;
        Map<String, Long> sum = new HashMap<>();
        for (String line : out.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            if (!Character.isWhitespace(line.charAt(0))) {
                connections++;
                continue;
            }
            for (String token : line.trim().split("\\s+")) {
                int colon = token.indexOf(':');
                if (colon <= 0) {
                    continue;
                }
                String key = token.substring(0, colon);
                switch (key) {
                    case "bytes_sent", "bytes_received", "segs_out", "segs_in", "data_segs_out", "data_segs_in" -> {
                        try {
                            sum.merge(key, Long.parseLong(token.substring(colon + 1)), Long::sum);
                        } catch (NumberFormatException ignored) {
                            // not a counter after all
                        }
                    }
                    default -> {
                    }
                }
            }
        }
        return new Totals(connections, sum.getOrDefault("bytes_sent", 0L), sum.getOrDefault("bytes_received", 0L),
                sum.getOrDefault("segs_out", 0L), sum.getOrDefault("segs_in", 0L),
                sum.getOrDefault("data_segs_out", 0L), sum.getOrDefault("data_segs_in", 0L));
    }
}
