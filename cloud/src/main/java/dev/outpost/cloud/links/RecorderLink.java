package dev.outpost.cloud.links;

import dev.outpost.wire.link.LinkTransport;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.util.concurrent.Future;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One recorder's live link, as the cloud holds it: the connection, and the HTTP/2 client side that
 * opens one stream per relayed request, up to a bound.
 */
public final class RecorderLink {
    private final String recorderId;
    private final Channel channel;
    private final LinkTransport transport;
    private final boolean viaProxy;
    private final String publicAddress;
    private final Instant since;
    private final int maxStreams;
    private final AtomicInteger openStreams = new AtomicInteger();

    private final boolean p2p;

    RecorderLink(String recorderId, Channel channel, LinkTransport transport, boolean viaProxy,
                 String publicAddress, Instant since, int maxStreams, boolean p2p) {
        this.p2p = p2p;
        this.recorderId = recorderId;
        this.channel = channel;
        this.transport = transport;
        this.viaProxy = viaProxy;
        this.publicAddress = publicAddress;
        this.since = since;
        this.maxStreams = maxStreams;
    }

    public String recorderId() {
        return recorderId;
    }

    public LinkTransport transport() {
        return transport;
    }

    public boolean viaProxy() {
        return viaProxy;
    }

    /** Whether the recorder said in its hello that it answers peer-to-peer signalling. */
    public boolean p2p() {
        return p2p;
    }

    public String publicAddress() {
        return publicAddress;
    }

    public Instant since() {
        return since;
    }

    public boolean isActive() {
        return channel.isActive();
    }

    public int openStreams() {
        return openStreams.get();
    }

    /**
     * Opens a stream to the recorder with {@code handler} as its pipeline, or returns empty when the
     * recorder already has {@code maxStreams} open (the caller answers 503).
     */
    public Optional<Future<Http2StreamChannel>> openStream(ChannelHandler handler) {
        int now = openStreams.incrementAndGet();
        if (now > maxStreams || !channel.isActive()) {
            openStreams.decrementAndGet();
            return Optional.empty();
        }
        // A bootstrap per stream: one shared by all would be mutable state raced by every viewer's event loop,
        // and a stream could open with another request's handler, leaving that request without an answer.
        Future<Http2StreamChannel> opened = new Http2StreamChannelBootstrap(channel).handler(handler).open();
        opened.addListener(f -> {
            if (f.isSuccess()) {
                ((Http2StreamChannel) f.getNow()).closeFuture().addListener(c -> openStreams.decrementAndGet());
            } else {
                openStreams.decrementAndGet();
            }
        });
        return Optional.of(opened);
    }

    /**
     * Opens a stream for the cloud's own use (the outbox's poll and payload fetches, one at a time per link): not
     * counted against the relay's bound, so viewers keep all of it. Empty when the link is down.
     */
    public Optional<Future<Http2StreamChannel>> openOwnStream(ChannelHandler handler) {
        if (!channel.isActive()) {
            return Optional.empty();
        }
        return Optional.of(new Http2StreamChannelBootstrap(channel).handler(handler).open());
    }

    /** Closes the link now, for example because the recorder was revoked; the future completes once it is closed. */
    public io.netty.channel.ChannelFuture close() {
        return channel.close();
    }

    Channel channel() {
        return channel;
    }
}
