package dev.outpost.cloud.recorders;

/**
 * Whether a recorder presenting its credential may open a link, and if so whose recorder it is.
 * {@code organizationId} and {@code recorderName} are empty when the recorder is {@code UNKNOWN}.
 */
public record LinkAdmission(Verdict verdict, String recorderId, String organizationId, String recorderName) {

    public enum Verdict {
        ACCEPTED,
        /** No recorder has this id. */
        UNKNOWN,
        /** The recorder exists, but this is not its credential. */
        BAD_CREDENTIAL,
        /** The credential is right, but an installer revoked the recorder: it must be activated anew. */
        REVOKED
    }

    static LinkAdmission unknown(String recorderId) {
        return new LinkAdmission(Verdict.UNKNOWN, recorderId, "", "");
    }

    public boolean accepted() {
        return verdict == Verdict.ACCEPTED;
    }
}
