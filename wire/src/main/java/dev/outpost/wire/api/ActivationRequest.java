package dev.outpost.wire.api;

/**
 * {@code POST /api/activate} body, sent by a recorder. The code's secret is not in it: {@code proof}
 * shows the recorder knows it, bound to the TLS certificate the recorder saw (see ActivationProof).
 */
public record ActivationRequest(String codeId, String binding, String proof, String software) {
}
