package dev.outpost.wire.api;

import java.time.Instant;
import java.util.List;

/**
 * {@code POST /api/recorders/{id}/connect}: how to reach a recorder from where the viewer stands.
 *
 * @param recorderId    the recorder
 * @param grant         a grant for it, to send as {@code Authorization: Bearer GRANT} on every path but the relay
 * @param expiresAt     when the grant expires
 * @param viewerAddress the viewer's public address as the cloud saw it
 * @param paths         the paths to try, best first; the last is always {@code relay}
 * @param certificateAuthority the cloud's recorder CA (PEM): an {@code https} path's certificate must chain to
 *                      it and name {@code certificateName}, whatever address the path has
 * @param certificateName the name in the recorder's certificate ({@code RECORDERID.recorders.outpost.invalid})
 */
public record ConnectView(String recorderId, String grant, Instant expiresAt, String viewerAddress,
                          List<PathView> paths, String certificateAuthority, String certificateName) {
    public ConnectView {
        paths = List.copyOf(paths);
    }

    @Override
    public String toString() {
        return "ConnectView[recorderId=" + recorderId + ", viewerAddress=" + viewerAddress + ", paths=" + paths + "]";
    }

    /**
     * One way to a recorder's API.
     *
     * @param kind {@code lan}, {@code direct}, {@code p2p} or {@code relay}
     * @param url  the base URL of the recorder's API on this path ({@code https://192.168.1.20:7443}); for the
     *             relay a path on the cloud ({@code /relay/ID}), relative to the cloud's URL; for {@code p2p} the
     *             recorder's signalling, through the relay ({@code /relay/ID/api/p2p/sessions})
     */
    public record PathView(String kind, String url) {
        public static final String LAN = "lan";
        public static final String DIRECT = "direct";
        public static final String RELAY = "relay";
        public static final String P2P = "p2p";
    }
}
