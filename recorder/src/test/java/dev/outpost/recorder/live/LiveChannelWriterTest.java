package dev.outpost.recorder.live;

import static dev.outpost.recorder.live.LiveTestVideo.FORMAT;
import static dev.outpost.recorder.live.LiveTestVideo.picture;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The writer's body goes through the real HTTP/1.1 and HTTP/2 codecs the router puts in front of it. */
class LiveChannelWriterTest {
    private final LiveHub hub = new LiveHub("cam-1/sd");

    @Test
    void http11ChunkedBodyCarriesTheFmp4AndEndsWhenTheStreamEnds() {
        hub.onFormat(FORMAT);
        feed(0, 45);
        EmbeddedChannel server = new EmbeddedChannel(new HttpResponseEncoder());
        EmbeddedChannel client = new EmbeddedChannel(new HttpResponseDecoder());
        try {
            server.writeAndFlush(head());
            LiveChannelWriter.attach(server, hub.subscribe(), LiveChannelWriter.Framing.HTTP);
            feed(45, 60);
            hub.close();
            server.runPendingTasks();
            ByteBuf wire;
            while ((wire = server.readOutbound()) != null) {
                client.writeInbound(wire);
            }
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            boolean ended = false;
            Object message;
            while ((message = client.readInbound()) != null) {
                try {
                    if (message instanceof HttpResponse response) {
                        assertThat(response.status()).isEqualTo(HttpResponseStatus.OK);
                        assertThat(response.headers().get(HttpHeaderNames.CONTENT_TYPE)).isEqualTo("video/mp4");
                        assertThat(response.headers().get(HttpHeaderNames.TRANSFER_ENCODING))
                                .isEqualTo(HttpHeaderValues.CHUNKED.toString());
                    }
                    if (message instanceof HttpContent content) {
                        body.writeBytes(bytesOf(content.content()));
                        ended |= content instanceof LastHttpContent;
                    }
                } finally {
                    ReferenceCountUtil.release(message);
                }
            }
            assertThat(ended).isTrue();
            assertThat(Fmp4Check.of(body.toByteArray()).pictures()).isEqualTo(IntStream.range(30, 60).boxed().toList());
        } finally {
            server.finishAndReleaseAll();
            client.finishAndReleaseAll();
        }
    }

    @Test
    void http2StreamGetsDataFramesAndEndStreamAtTheEnd() {
        hub.onFormat(FORMAT);
        feed(0, 10);
        EmbeddedChannel stream = new EmbeddedChannel(new Http2StreamFrameToHttpObjectCodec(true));
        try {
            stream.writeAndFlush(head());
            LiveChannelWriter.attach(stream, hub.subscribe(), LiveChannelWriter.Framing.HTTP);
            hub.close();
            stream.runPendingTasks();
            Http2HeadersFrame headers = stream.readOutbound();
            assertThat(headers.headers().status().toString()).isEqualTo("200");
            assertThat(headers.headers().contains(HttpHeaderNames.TRANSFER_ENCODING)).isFalse();
            assertThat(headers.isEndStream()).isFalse();
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            boolean endStream = false;
            Object frame;
            while ((frame = stream.readOutbound()) != null) {
                try {
                    assertThat(endStream).as("nothing after end of stream").isFalse();
                    if (frame instanceof Http2DataFrame data) {
                        body.writeBytes(bytesOf(data.content()));
                        endStream = data.isEndStream();
                    } else if (frame instanceof Http2HeadersFrame trailers) {
                        endStream = trailers.isEndStream();
                    }
                } finally {
                    ReferenceCountUtil.release(frame);
                }
            }
            assertThat(endStream).isTrue();
            assertThat(Fmp4Check.of(body.toByteArray()).pictures()).isEqualTo(IntStream.range(0, 10).boxed().toList());
        } finally {
            stream.finishAndReleaseAll();
        }
    }

    private static HttpResponse head() {
        return LiveChannelWriter.responseHead();
    }

    private static byte[] bytesOf(ByteBuf buf) {
        byte[] bytes = new byte[buf.readableBytes()];
        buf.getBytes(buf.readerIndex(), bytes);
        return bytes;
    }

    private void feed(int from, int to) {
        for (int i = from; i < to; i++) {
            hub.onAccessUnit(picture(i, 30));
        }
    }
}
