package dev.outpost.cloud.recorders;

/**
 * A recorder just made from an activation code: what the cloud tells it, less the cloud's own
 * material (grant key, certificate) that the HTTP layer adds to the {@code ActivationResponse}.
 *
 * @param credential the recorder's secret for its link; the cloud keeps only its hash, so this is
 *                   the one time it exists outside the recorder
 * @param cloudProof shows the recorder that this cloud knows the code too
 */
public record Activation(String recorderId, String recorderName, String credential, String cloudProof) {
    @Override
    public String toString() {
        return "Activation[recorderId=" + recorderId + ", recorderName=" + recorderName + "]";
    }
}
