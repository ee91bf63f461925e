package dev.outpost.wire.api;

import java.time.Instant;

/** A new activation code, shown once to the installer who made it. */
public record ActivationCodeView(String code, String recorderName, Instant expiresAt) {
    @Override
    public String toString() {
        return "ActivationCodeView[recorderName=" + recorderName + ", expiresAt=" + expiresAt + "]";
    }
}
