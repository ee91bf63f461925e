package dev.outpost.wire.api;

/** The object storage an organization's clips take: how many, and their bytes. */
public record ClipUsageView(String organizationId, long clips, long bytes) {
}
