package dev.outpost.recorder;

import dev.outpost.recorder.cameras.CameraSet;
import dev.outpost.recorder.cameras.StreamKind;
import dev.outpost.recorder.cameras.VideoSink;
import dev.outpost.recorder.live.LiveHubs;
import dev.outpost.recorder.recording.Recordings;
import java.util.List;

/** Where a camera's streams go in a running recorder: their live hubs and their recordings. */
record CameraOutlets(LiveHubs live, Recordings recordings) implements CameraSet.Outlets {
    @Override
    public List<VideoSink> sinks(String cameraId, StreamKind kind) {
        return List.of(live.hub(cameraId, kind), recordings.sink(cameraId, kind));
    }

    /** Live viewers' responses end at once; recording then writes what it has queued (blocking) and stops. */
    @Override
    public void release(String cameraId) {
        live.remove(cameraId);
        for (StreamKind kind : StreamKind.values()) {
            recordings.remove(cameraId, kind);
        }
    }
}
