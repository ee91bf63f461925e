package dev.outpost.wire.api;

/** The body of every error answer: a stable word for programs and a sentence for people. */
public record ApiError(String error, String message) {
}
