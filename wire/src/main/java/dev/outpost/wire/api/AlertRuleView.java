package dev.outpost.wire.api;

import java.time.Instant;
import java.util.List;

/**
 * An email rule of an organization: {@code email} gets the alerts of these {@code types} ({@code ["*"]} for all)
 * from {@code recorderId} (empty for every recorder of the organization).
 */
public record AlertRuleView(String id, String email, List<String> types, String recorderId, Instant createdAt) {
    public AlertRuleView {
        types = List.copyOf(types);
    }
}
