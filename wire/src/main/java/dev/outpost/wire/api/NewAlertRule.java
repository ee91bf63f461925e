package dev.outpost.wire.api;

import java.util.List;

/**
 * {@code POST /api/alert-rules}: who gets which alerts by email.
 *
 * @param types      alert types, or {@code ["*"]} (the default when empty) for all
 * @param recorderId one recorder of the organization; empty or absent for all
 */
public record NewAlertRule(String email, List<String> types, String recorderId) {
    public NewAlertRule {
        types = types == null ? List.of() : List.copyOf(types);
        recorderId = recorderId == null ? "" : recorderId;
    }
}
