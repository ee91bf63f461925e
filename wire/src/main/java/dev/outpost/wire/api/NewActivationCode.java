package dev.outpost.wire.api;

/** {@code POST /api/activation-codes} body: the name the new recorder will have. */
public record NewActivationCode(String name) {
}
