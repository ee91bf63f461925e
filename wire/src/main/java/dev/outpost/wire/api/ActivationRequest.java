package dev.outpost.wire.api;

/**
 * {@code POST /api/activate} body, sent by a recorder. The code's secret is not in it: {@code proof}
 * shows the recorder knows it, bound to the TLS certificate the recorder saw (see ActivationProof).
 *
 * @param localPublicKey the public key (PEM) of the recorder's local HTTPS, for the cloud to certify; absent
 *                       from older recorders, which then serve no local HTTPS
 */
public record ActivationRequest(String codeId, String binding, String proof, String software, String localPublicKey) {
    public ActivationRequest(String codeId, String binding, String proof, String software) {
        this(codeId, binding, proof, software, null);
    }
}
