package dev.outpost.wire.link;

import java.util.Objects;

/**
 * The recorder's first message on a new link: who it is and the credential it got at activation.
 *
 * @param recorderId the id the cloud gave at activation
 * @param credential the recorder's secret; the cloud keeps only its hash; never logged
 * @param software   name and version, for the cloud's recorder list
 * @param viaProxy   whether the recorder reached the cloud through an HTTP CONNECT proxy
 * @param local      where it serves its API on its own network (absent from older recorders: none)
 * @param p2p        whether it answers peer-to-peer signalling ({@code /api/p2p/sessions}; absent from older
 *                   recorders: false), so the broker may offer viewers a {@code p2p} path
 */
public record LinkHello(String recorderId, String credential, String software, boolean viaProxy,
                        LocalEndpoint local, boolean p2p) {
    /** Recorder ids as the cloud makes them; anything else is refused unseen and never logged. */
    private static final java.util.regex.Pattern RECORDER_ID = java.util.regex.Pattern.compile("[a-z0-9]{1,40}");
    private static final int MAX_SOFTWARE_CHARS = 100;

    public LinkHello {
        Objects.requireNonNull(recorderId, "recorderId");
        Objects.requireNonNull(credential, "credential");
        software = software == null ? "" : software.replaceAll("[^\\x20-\\x7e]", "?");
        local = local == null ? LocalEndpoint.NONE : local;
        if (software.length() > MAX_SOFTWARE_CHARS) {
            software = software.substring(0, MAX_SOFTWARE_CHARS);
        }
    }

    /** A hello that does not offer peer-to-peer. */
    public LinkHello(String recorderId, String credential, String software, boolean viaProxy, LocalEndpoint local) {
        this(recorderId, credential, software, viaProxy, local, false);
    }

    /** A hello that reports no local endpoint. */
    public LinkHello(String recorderId, String credential, String software, boolean viaProxy) {
        this(recorderId, credential, software, viaProxy, LocalEndpoint.NONE);
    }

    /** Whether the id has the shape of a recorder id: safe to look up, to log and to echo. */
    public boolean wellFormedId() {
        return RECORDER_ID.matcher(recorderId).matches();
    }

    @Override
    public String toString() {
        return "LinkHello[recorderId=" + recorderId + ", software=" + software + ", viaProxy=" + viaProxy + ", local=" + local + ", p2p=" + p2p + "]";
    }
}
