package dev.outpost.recorder.api;

import dev.outpost.media.mp4.Mp4FormatException;
import dev.outpost.recorder.cameras.StreamKind;
import dev.outpost.recorder.playback.PlaybackFeed;
import dev.outpost.recorder.playback.PlaybackRequest;
import dev.outpost.recorder.recording.RecordingIndex;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/cameras/{id}/playback.mp4?start=&end=&stream=&speed=}: recorded video as one fMP4 stream
 * ({@link PlaybackFeed}), read from disk on a virtual thread and written as fast as the viewer takes it: the worker
 * waits while the channel is not writable, so a viewer that stops reading holds the recorder to the channel's high
 * water mark plus one fragment.
 */
final class PlaybackEndpoint implements Endpoint {
    /** Tells the viewer the capture time of the first picture it gets (the keyframe at or before its start). */
    static final String FIRST_PICTURE_HEADER = "X-Outpost-Playback-Start";

    private static final Logger log = LoggerFactory.getLogger(PlaybackEndpoint.class);

    private final RecorderApi api;

    PlaybackEndpoint(RecorderApi api) {
        this.api = api;
    }

    @Override
    public void serve(ApiCall call) throws ApiRefusal {
        String cameraId = call.param(0);
        StreamKind kind = call.streamKind();
        Instant start = call.requiredInstant("start");
        Optional<Instant> end = call.instant("end");
        double speed = speed(call);
        PlaybackRequest request;
        try {
            request = new PlaybackRequest(cameraId, kind, start, end, speed);
        } catch (IllegalArgumentException e) {
            throw ApiRefusal.badParameter(e.getMessage());
        }
        RecordingIndex index = api.recordingIndex(cameraId, kind).orElseThrow(() -> ApiRoutes.noCamera(cameraId));
        api.blocking().execute(() -> play(call, index, request));
    }

    private static double speed(ApiCall call) throws ApiRefusal {
        String text = call.query("speed").orElse("1");
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw ApiRefusal.badParameter("speed: '" + text + "' is not a number; send 1, 2, 4 or 8");
        }
    }

    /** On a virtual thread. */
    private void play(ApiCall call, RecordingIndex index, PlaybackRequest request) {
        try (PlaybackFeed feed = PlaybackFeed.open(index, request).orElse(null)) {
            if (feed == null) {
                call.refuse(new ApiRefusal(404, "not-recorded", "nothing of " + request.cameraId() + "/"
                        + request.kind().label() + " is recorded from " + request.start()
                        + request.end().map(e -> " to " + e).orElse(" on") + "; ask GET .../recordings for what is"));
                return;
            }
            HttpResponse head = new DefaultHttpResponse(call.request().protocolVersion(), HttpResponseStatus.OK);
            head.headers().set(HttpHeaderNames.CONTENT_TYPE, "video/mp4");
            head.headers().set(FIRST_PICTURE_HEADER, feed.firstCapture().toString());
            Optional<ResponseStream> started = call.streamFromWorker(head);
            if (started.isEmpty()) {
                return;
            }
            pump(feed, started.get());
        } catch (IOException | Mp4FormatException e) {
            log.warn("{}/{}: playback from {} failed: {}", request.cameraId(), request.kind().label(),
                    request.start(), e.getMessage());
            call.refuse(new ApiRefusal(500, "recording-unreadable", "the recording could not be read: "
                    + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            call.fail(e);
        }
    }

    private static void pump(PlaybackFeed feed, ResponseStream response) throws IOException, InterruptedException {
        Channel channel = response.ctx().channel();
        ReentrantLock lock = new ReentrantLock();
        Condition changed = lock.newCondition();
        Runnable signal = () -> {
            lock.lock();
            try {
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        };
        response.onWritable(signal).onClosed(signal);
        for (Optional<byte[]> bytes = feed.next(); bytes.isPresent(); bytes = feed.next()) {
            lock.lock();
            try {
                while (channel.isActive() && !channel.isWritable()) {
                    changed.await();
                }
            } finally {
                lock.unlock();
            }
            if (!channel.isActive()) {
                return; // the viewer went away
            }
            byte[] fragment = bytes.get();
            // Written from the event loop and waited for, so the channel's writability counts it before the next.
            try {
                channel.eventLoop().submit(() -> response.ctx().writeAndFlush(
                        new DefaultHttpContent(Unpooled.wrappedBuffer(fragment)))).get();
            } catch (ExecutionException | RejectedExecutionException e) {
                return; // the event loop is shutting down
            }
        }
        response.end();
    }
}
