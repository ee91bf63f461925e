package dev.outpost.client.p2p;

import dev.outpost.client.OutpostClient;
import dev.outpost.client.RelayResponse;
import dev.outpost.wire.json.Json;
import dev.outpost.wire.p2p.P2pAnswer;
import dev.outpost.wire.p2p.P2pCandidates;
import dev.outpost.wire.p2p.P2pOffer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;

/**
 * The viewer's side of P2P signalling: the recorder's {@code /api/p2p/sessions} routes, reached through the cloud's
 * relay and the recorder's link with this client's session (the relay adds the grant), as docs/p2p.md describes.
 */
final class P2pSignalling {
    /** A signalling answer bigger than this is not one. */
    private static final int MAX_ANSWER = 16 * 1024;

    private final OutpostClient cloud;
    private final String recorderId;

    P2pSignalling(OutpostClient cloud, String recorderId) {
        this.cloud = cloud;
        this.recorderId = recorderId;
    }

    P2pAnswer offer(P2pOffer offer) throws IOException {
        return read(send("POST", "api/p2p/sessions", Json.write(offer)), P2pAnswer.class);
    }

    void candidates(String sessionId, P2pCandidates candidates) throws IOException {
        try (RelayResponse response = send("POST", "api/p2p/sessions/" + sessionId + "/candidates",
                Json.write(candidates))) {
            response.requireSuccess();
        }
    }

    P2pCandidates recorderCandidates(String sessionId, int after, Duration wait) throws IOException {
        RelayResponse response = cloud.relayGet(recorderId, "api/p2p/sessions/" + sessionId + "/candidates?after="
                + after + "&wait=" + wait.toMillis());
        return read(response, P2pCandidates.class);
    }

    void close(String sessionId) throws IOException {
        try (RelayResponse response = send("DELETE", "api/p2p/sessions/" + sessionId, new byte[0])) {
            response.requireSuccess();
        }
    }

    private RelayResponse send(String method, String path, byte[] body) {
        return cloud.relaySend(recorderId, method, path, "application/json", new ByteArrayInputStream(body));
    }

    private static <T> T read(RelayResponse response, Class<T> type) throws IOException {
        try (response; InputStream body = response.requireSuccess().body()) {
            byte[] bytes = body.readNBytes(MAX_ANSWER + 1);
            if (bytes.length > MAX_ANSWER) {
                throw new IOException("the recorder's signalling answer is longer than " + MAX_ANSWER + " bytes");
            }
            try {
                return Json.read(bytes, type);
            } catch (RuntimeException e) {
                throw new IOException("the recorder's signalling answer is not a " + type.getSimpleName() + ": "
                        + e.getMessage(), e);
            }
        }
    }
}
