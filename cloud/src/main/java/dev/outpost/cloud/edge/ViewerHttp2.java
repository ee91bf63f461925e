package dev.outpost.cloud.edge;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP/2 side of the cloud's port, for browsers and clients that offer {@code h2}: one connection carries many
 * requests at once (a 16-tile live grid is 16 streams on one connection, where HTTP/1.1 browsers stop at 6 per host).
 * Each HTTP/2 stream becomes a child channel that speaks {@code HttpObject}s to its own {@link FrontDoor}, so every
 * exchange (API, relay, web assets) runs unchanged; its writability follows the stream's flow-control window, which
 * is the relay's backpressure.
 */
final class ViewerHttp2 {
    /** Concurrent requests per viewer connection: a 16-tile grid, playback and API calls, with room to spare. */
    static final int MAX_STREAMS = 100;
    /** Per-stream receive window: request bodies are small (API) or streamed uploads the relay passes on. */
    static final int STREAM_WINDOW = 1 << 20;

    private ViewerHttp2() {
    }

    static void install(ChannelPipeline pipeline, ExchangeFactory exchanges) {
        Http2FrameCodec codec = Http2FrameCodecBuilder.forServer()
                .initialSettings(Http2Settings.defaultSettings()
                        .maxConcurrentStreams(MAX_STREAMS)
                        .initialWindowSize(STREAM_WINDOW)
                        .maxHeaderListSize(AlpnRouter.MAX_HEADER_BYTES))
                .build();
        pipeline.addLast("h2", codec);
        pipeline.addLast("h2-idle", new IdleStateHandler(0, 0, AlpnRouter.IDLE_SECONDS, TimeUnit.SECONDS));
        pipeline.addLast("h2-idle-close", new CloseWhenIdle(codec));
        pipeline.addLast("h2-streams", new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
            @Override
            protected void initChannel(Http2StreamChannel stream) {
                stream.pipeline().addLast("http", new Http2StreamFrameToHttpObjectCodec(true));
                stream.pipeline().addLast("http-continue", new HttpServerExpectContinueHandler());
                stream.pipeline().addLast("front-door", new FrontDoor(exchanges));
            }
        }));
    }

    /** Closes a connection that has carried nothing for a while and has no stream open (a live stream is never idle). */
    private static final class CloseWhenIdle extends ChannelInboundHandlerAdapter {
        private final Http2FrameCodec codec;

        CloseWhenIdle(Http2FrameCodec codec) {
            this.codec = codec;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt instanceof IdleStateEvent && codec.connection().numActiveStreams() == 0) {
                ctx.close();
                return;
            }
            super.userEventTriggered(ctx, evt);
        }
    }
}
