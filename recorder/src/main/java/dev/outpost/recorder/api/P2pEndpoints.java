package dev.outpost.recorder.api;

import dev.outpost.recorder.p2p.P2pSessionRefused;
import dev.outpost.recorder.p2p.P2pSessions;
import dev.outpost.wire.json.Json;
import dev.outpost.wire.p2p.P2pCandidates;
import dev.outpost.wire.p2p.P2pOffer;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.time.Duration;

/**
 * Peer-to-peer signalling (docs/p2p.md, "Signalling"), reached through the cloud's relay like every other route
 * and grant-checked the same way (view right): {@code POST /api/p2p/sessions} answers an offer,
 * {@code POST .../candidates} takes the viewer's trickled candidates, {@code GET .../candidates?after=N} gives the
 * recorder's (waiting a little for new ones), {@code DELETE} ends a session. Session work runs on a virtual thread.
 */
final class P2pEndpoints {
    static final String SESSIONS = "/api/p2p/sessions";
    static final String SESSION = SESSIONS + "/([0-9a-f]{32})";
    static final int MAX_BODY = 8 * 1024;

    private P2pEndpoints() {
    }

    static void open(RecorderApi api, ApiCall call) throws ApiRefusal {
        P2pSessions sessions = sessions(api);
        call.readBody(MAX_BODY, body -> {
            P2pOffer offer = read(body, P2pOffer.class);
            api.blocking().execute(() -> {
                try {
                    call.json(HttpResponseStatus.CREATED, sessions.open(call.grant().userId(), offer));
                } catch (P2pSessionRefused e) {
                    call.refuse(refusal(e));
                } catch (RuntimeException e) {
                    call.fail(e);
                }
            });
        });
    }

    static void addCandidates(RecorderApi api, ApiCall call) throws ApiRefusal {
        P2pSessions sessions = sessions(api);
        call.readBody(MAX_BODY, body -> {
            P2pCandidates candidates = read(body, P2pCandidates.class);
            api.blocking().execute(() -> { // ice4j takes its locks
                try {
                    sessions.addCandidates(call.grant().userId(), call.param(0), candidates);
                    call.empty(HttpResponseStatus.NO_CONTENT);
                } catch (P2pSessionRefused e) {
                    call.refuse(refusal(e));
                } catch (RuntimeException e) {
                    call.fail(e);
                }
            });
        });
    }

    /** Never blocks: answers when the session's candidates change or the wait ends. */
    static void candidates(RecorderApi api, ApiCall call) throws ApiRefusal {
        int after = number(call, "after", 0, 16);
        int waitMillis = number(call, "wait", 0, (int) P2pSessions.MAX_WAIT.toMillis());
        try {
            sessions(api).candidates(call.grant().userId(), call.param(0), after, Duration.ofMillis(waitMillis))
                    .whenComplete((candidates, failure) -> {
                        if (failure != null) {
                            call.fail(failure);
                        } else {
                            call.json(HttpResponseStatus.OK, candidates);
                        }
                    });
        } catch (P2pSessionRefused e) {
            throw refusal(e);
        }
    }

    static void close(RecorderApi api, ApiCall call) throws ApiRefusal {
        P2pSessions sessions = sessions(api);
        // Closing QUIC and freeing the ICE agent block for a while (hundreds of ms): never on the event loop,
        // which also carries the link.
        api.blocking().execute(() -> {
            try {
                sessions.close(call.grant().userId(), call.param(0));
                call.empty(HttpResponseStatus.NO_CONTENT);
            } catch (P2pSessionRefused e) {
                call.refuse(refusal(e));
            } catch (RuntimeException e) {
                call.fail(e);
            }
        });
    }

    private static int number(ApiCall call, String name, int min, int max) throws ApiRefusal {
        String text = call.query(name).orElse(String.valueOf(min));
        try {
            int value = Integer.parseInt(text);
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw ApiRefusal.badParameter(name + ": '" + text + "' is not a number from " + min + " to " + max);
    }

    private static <T> T read(byte[] body, Class<T> type) throws ApiRefusal {
        try {
            return Json.read(body, type);
        } catch (RuntimeException e) {
            Throwable cause = e;
            while (cause.getCause() != null && !(cause instanceof IllegalArgumentException)) {
                cause = cause.getCause();
            }
            throw new ApiRefusal(400, "bad-body", "the body is not a " + type.getSimpleName()
                    + (cause instanceof IllegalArgumentException ? ": " + cause.getMessage() : ""));
        }
    }

    private static ApiRefusal refusal(P2pSessionRefused e) {
        return switch (e.reason()) {
            case BUSY -> new ApiRefusal(503, "p2p-busy", e.getMessage());
            case UNAVAILABLE -> new ApiRefusal(503, "p2p-unavailable", e.getMessage());
            case NO_SUCH_SESSION -> new ApiRefusal(404, "not-found", e.getMessage());
        };
    }

    private static P2pSessions sessions(RecorderApi api) throws ApiRefusal {
        return api.p2p().orElseThrow(() -> new ApiRefusal(404, "no-p2p",
                "this recorder does not offer peer-to-peer; use the relay"));
    }
}
