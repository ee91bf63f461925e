package dev.outpost.recorder.live;

import dev.outpost.recorder.cameras.StreamKind;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The recorder's live hubs, one per camera stream: the camera side adds {@link #hub} as a sink of its stream
 * ({@code CameraStream.addSink}), the HTTP side finds it ({@link #find}) to subscribe a viewer. Thread-safe.
 */
public final class LiveHubs implements AutoCloseable {
    private record Key(String cameraId, StreamKind kind) {
    }

    private final GopCache.Limits cacheLimits;
    private final LiveViewer.Limits viewerLimits;
    private final Map<Key, LiveHub> hubs = new ConcurrentHashMap<>();

    public LiveHubs(GopCache.Limits cacheLimits, LiveViewer.Limits viewerLimits) {
        this.cacheLimits = Objects.requireNonNull(cacheLimits, "cacheLimits");
        this.viewerLimits = Objects.requireNonNull(viewerLimits, "viewerLimits");
    }

    public LiveHubs() {
        this(GopCache.Limits.DEFAULT, LiveViewer.Limits.DEFAULT);
    }

    /** The hub of a camera stream, made on first use. */
    public LiveHub hub(String cameraId, StreamKind kind) {
        return hubs.computeIfAbsent(new Key(cameraId, kind),
                k -> new LiveHub(k.cameraId() + "/" + k.kind().label(), cacheLimits, viewerLimits));
    }

    /** The hub of a camera stream, if the camera side made one (the camera exists). */
    public Optional<LiveHub> find(String cameraId, StreamKind kind) {
        return Optional.ofNullable(hubs.get(new Key(cameraId, kind)));
    }

    /** The camera is gone: its hubs end their viewers' responses and are forgotten. */
    public void remove(String cameraId) {
        for (StreamKind kind : StreamKind.values()) {
            LiveHub hub = hubs.remove(new Key(cameraId, kind));
            if (hub != null) {
                hub.close();
            }
        }
    }

    @Override
    public void close() {
        List<Key> keys = List.copyOf(hubs.keySet());
        for (Key key : keys) {
            LiveHub hub = hubs.remove(key);
            if (hub != null) {
                hub.close();
            }
        }
    }
}
