package dev.outpost.recorder.api;

import java.time.Instant;
import java.util.Objects;

/**
 * What a recorder says about itself in {@code GET /api/info}; the asking user comes from the grant.
 *
 * @param recorderId the id the cloud gave this recorder at activation
 * @param name       the name shown in the cloud's recorder list
 * @param software   product and version, for example {@code outpost-recorder/0.1.0}
 * @param startedAt  when this recorder process started
 */
public record RecorderFacts(String recorderId, String name, String software, Instant startedAt) {
    public RecorderFacts {
        Objects.requireNonNull(recorderId, "recorderId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(software, "software");
        Objects.requireNonNull(startedAt, "startedAt");
    }
}
