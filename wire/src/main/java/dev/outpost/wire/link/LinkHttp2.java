package dev.outpost.wire.link;

import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2Settings;

/**
 * The HTTP/2 settings of a link, in one place for both ends. The cloud is the HTTP/2 client and the
 * recorder the HTTP/2 server, whoever dialled (docs/link.md).
 *
 * <p>Flow control is what keeps one stalled viewer from slowing the others: each stream has its own
 * window, and the connection window is as large as all stream windows together, so a stream whose
 * viewer stopped reading can hold at most its own window and never the connection's.
 */
public final class LinkHttp2 {
    /** Per-stream receive window: enough for a few hundred ms of HD video at loopback speeds. */
    public static final int STREAM_WINDOW = 1 << 20;
    /** Headers larger than this are refused (RFC 9113 section 6.5.2, SETTINGS_MAX_HEADER_LIST_SIZE). */
    public static final int MAX_HEADER_LIST = 32 * 1024;
    /**
     * The largest DATA frame the cloud accepts (RFC 9113 section 6.5.2, SETTINGS_MAX_FRAME_SIZE): larger
     * than the 16 KiB default, so bulk video costs fewer frames, writes and wake-ups.
     */
    public static final int CLOUD_MAX_FRAME = 256 * 1024;
    /**
     * Closing a link closes it now: GOAWAY, then the connection, without waiting for open streams to end (Netty
     * waits 30 s by default). A link is closed on purpose only to revoke, to replace it or to shut down, and its
     * streams (live video, the outbox's long poll) never end by themselves.
     */
    static final long GRACEFUL_SHUTDOWN_MILLIS = 0;

    private LinkHttp2() {
    }

    /** The cloud's end: an HTTP/2 client that opens one stream per relayed request. */
    public static Http2FrameCodec cloudCodec(int maxStreams) {
        Http2Settings settings = Http2Settings.defaultSettings()
                .pushEnabled(false)
                .maxFrameSize(CLOUD_MAX_FRAME)
                .initialWindowSize(STREAM_WINDOW)
                .maxHeaderListSize(MAX_HEADER_LIST);
        Http2FrameCodec codec = Http2FrameCodecBuilder.forClient()
                .initialSettings(settings)
                .gracefulShutdownTimeoutMillis(GRACEFUL_SHUTDOWN_MILLIS)
                .autoAckPingFrame(true)
                .validateHeaders(true)
                .build();
        return codec;
    }

    /** The recorder's end: an HTTP/2 server serving the recorder's HTTP API, one request per stream. */
    public static Http2FrameCodec recorderCodec(int maxStreams) {
        Http2Settings settings = Http2Settings.defaultSettings()
                .maxConcurrentStreams(maxStreams)
                .initialWindowSize(STREAM_WINDOW)
                .maxHeaderListSize(MAX_HEADER_LIST);
        return Http2FrameCodecBuilder.forServer()
                .initialSettings(settings)
                .gracefulShutdownTimeoutMillis(GRACEFUL_SHUTDOWN_MILLIS)
                .autoAckPingFrame(true)
                .validateHeaders(true)
                .build();
    }

    /**
     * Widens the connection's receive window so every stream can fill its own window without blocking
     * the others. Call once the codec is in an active pipeline.
     */
    public static void widenConnectionWindow(Http2FrameCodec codec, int maxStreams) {
        long target = Math.min((long) STREAM_WINDOW * Math.max(1, maxStreams), Integer.MAX_VALUE);
        Http2Connection connection = codec.connection();
        Http2Stream connectionStream = connection.connectionStream();
        int current = connection.local().flowController().windowSize(connectionStream);
        if (target > current) {
            try {
                connection.local().flowController().incrementWindowSize(connectionStream, (int) (target - current));
            } catch (Http2Exception e) {
                throw new IllegalStateException("cannot widen the link's connection window", e);
            }
        }
    }
}
