package dev.outpost.cloud.paths;

import dev.outpost.cloud.ApiFailure;
import dev.outpost.wire.api.ConnectView.PathView;
import dev.outpost.wire.api.PathSessionsView;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts viewing sessions per path and recorder, as viewers report them (docs/p2p.md, "Counting"): how often P2P
 * carried the video and how often the relay did. In memory, since this node started; one entry per recorder that
 * had a viewer (recorders are few and each report is authorized), four counters each.
 */
public final class PathSessions {
    private static final Logger log = LoggerFactory.getLogger(PathSessions.class);
    private static final java.util.List<String> KINDS = java.util.List.of(PathView.LAN, PathView.DIRECT,
            PathView.RELAY, PathView.P2P);

    private final Map<String, AtomicLongArray> counts = new ConcurrentHashMap<>();
    private final AtomicLongArray total = new AtomicLongArray(KINDS.size());

    /**
     * Counts one session of {@code recorderId} on {@code kind}.
     *
     * @throws ApiFailure 400 for an unknown kind
     */
    public void used(String recorderId, String kind) {
        int index = KINDS.indexOf(kind);
        if (index < 0) {
            throw ApiFailure.badRequest("bad-path", "kind: '" + String.valueOf(kind).replaceAll("[^ -~]", "?")
                    + "' is not lan, direct, relay or p2p");
        }
        counts.computeIfAbsent(recorderId, id -> new AtomicLongArray(KINDS.size())).incrementAndGet(index);
        long all = total.incrementAndGet(index);
        log.info("viewer of recorder {} on {} ({} sessions on {} since start; p2p {}, relay {})", recorderId, kind,
                all, kind, total.get(KINDS.indexOf(PathView.P2P)), total.get(KINDS.indexOf(PathView.RELAY)));
    }

    public PathSessionsView of(String recorderId) {
        AtomicLongArray c = counts.getOrDefault(recorderId, new AtomicLongArray(KINDS.size()));
        return new PathSessionsView(c.get(0), c.get(1), c.get(2), c.get(3));
    }

    /** Every recorder's together. */
    public PathSessionsView total() {
        return new PathSessionsView(total.get(0), total.get(1), total.get(2), total.get(3));
    }
}
