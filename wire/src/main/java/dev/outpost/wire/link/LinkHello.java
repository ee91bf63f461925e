package dev.outpost.wire.link;

import java.util.Objects;

/**
 * The recorder's first message on a new link: who it is and the credential it got at activation.
 *
 * @param recorderId the id the cloud gave at activation
 * @param credential the recorder's secret; the cloud keeps only its hash; never logged
 * @param software   name and version, for the cloud's recorder list
 * @param viaProxy   whether the recorder reached the cloud through an HTTP CONNECT proxy
 */
public record LinkHello(String recorderId, String credential, String software, boolean viaProxy) {
    public LinkHello {
        Objects.requireNonNull(recorderId, "recorderId");
        Objects.requireNonNull(credential, "credential");
        software = software == null ? "" : software;
    }

    @Override
    public String toString() {
        return "LinkHello[recorderId=" + recorderId + ", software=" + software + ", viaProxy=" + viaProxy + "]";
    }
}
