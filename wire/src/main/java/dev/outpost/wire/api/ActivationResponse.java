package dev.outpost.wire.api;

/**
 * {@code POST /api/activate} answer.
 *
 * @param credential          the recorder's secret for its link; stored in its data directory, never logged
 * @param grantPublicKey      the cloud's Ed25519 key for grants, X.509 SubjectPublicKeyInfo in base64
 * @param cloudCertificatePem the certificate the cloud serves, for the recorder to pin
 * @param cloudProof          shows the cloud knows the code too, so the recorder may trust this answer
 * @param localCertificatePem the recorder's local HTTPS certificate then the cloud's recorder CA (PEM), when the
 *                            request carried a key; empty otherwise
 */
public record ActivationResponse(String recorderId, String recorderName, String credential, String grantPublicKey,
                                 String cloudCertificatePem, String cloudProof, String localCertificatePem) {
    public ActivationResponse(String recorderId, String recorderName, String credential, String grantPublicKey,
                              String cloudCertificatePem, String cloudProof) {
        this(recorderId, recorderName, credential, grantPublicKey, cloudCertificatePem, cloudProof, "");
    }

    @Override
    public String toString() {
        return "ActivationResponse[recorderId=" + recorderId + ", recorderName=" + recorderName + "]";
    }
}
