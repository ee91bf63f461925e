package dev.outpost.recorder.health;

import dev.outpost.recorder.cameras.StreamKind;
import dev.outpost.recorder.live.GopCache;
import dev.outpost.recorder.live.LiveHubs;
import dev.outpost.recorder.snapshot.Snapshot;
import dev.outpost.recorder.snapshot.SnapshotEncoder;
import dev.outpost.recorder.snapshot.SnapshotException;
import java.util.Optional;

/**
 * Pictures for alerts and day/night images: the latest live picture of a camera's sub (SD) stream, from its GOP
 * cache, as a JPEG at most {@value #WIDTH} pixels wide, which keeps an alert image near 30 KB. Blocking (a decode):
 * called on the health monitor's virtual thread, one at a time.
 */
public final class CameraPictures {
    static final int WIDTH = 640;
    private final LiveHubs live;

    public CameraPictures(LiveHubs live) {
        this.live = live;
    }

    /** The camera's picture now, or empty when it has sent none (offline) or it does not decode. */
    public Optional<Snapshot> now(String cameraId) {
        Optional<Snapshot> sd = picture(cameraId, StreamKind.SUB);
        return sd.isPresent() ? sd : picture(cameraId, StreamKind.MAIN);
    }

    private Optional<Snapshot> picture(String cameraId, StreamKind kind) {
        return live.find(cameraId, kind).flatMap(hub -> {
            GopCache.Snapshot gop = hub.latestGop();
            if (gop.format().isEmpty() || gop.pictures().isEmpty()) {
                return Optional.empty();
            }
            try {
                return Optional.of(SnapshotEncoder.encode(gop.format().get(), gop.pictures(), WIDTH));
            } catch (SnapshotException | RuntimeException e) {
                return Optional.empty();
            }
        });
    }
}
