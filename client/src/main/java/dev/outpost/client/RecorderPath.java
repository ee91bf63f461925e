package dev.outpost.client;

import java.net.URI;
import java.time.Duration;

/**
 * The path a {@link RecorderConnection} reached its recorder by.
 *
 * @param kind        {@code lan}, {@code direct} or {@code relay}
 * @param url         the base URL of the recorder's API on this path (for the relay, on the cloud)
 * @param connectTime from the start of the race (or of the fallback) until this path answered
 */
public record RecorderPath(String kind, URI url, Duration connectTime) {
    @Override
    public String toString() {
        return kind + " " + url + " (" + connectTime.toMillis() + " ms)";
    }
}
