package dev.outpost.cloud.edge;

import dev.outpost.cloud.links.LinkAcceptor;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.util.concurrent.TimeUnit;

/**
 * Every connection to the cloud's one port starts here: TLS, then ALPN decides what it is. Each joins
 * {@code connections}, so the cloud can close every one of them when it stops, even one whose link is not
 * registered yet.
 */
public final class EdgeInitializer extends ChannelInitializer<SocketChannel> {
    static final long TLS_HANDSHAKE_TIMEOUT_SECONDS = 10;

    private final SslContext tls;
    private final LinkAcceptor links;
    private final ExchangeFactory exchanges;
    private final ChannelGroup connections;

    public EdgeInitializer(SslContext tls, LinkAcceptor links, ExchangeFactory exchanges, ChannelGroup connections) {
        this.tls = tls;
        this.links = links;
        this.exchanges = exchanges;
        this.connections = connections;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        connections.add(ch); // a closed channel leaves the group by itself
        SslHandler ssl = tls.newHandler(ch.alloc());
        ssl.setHandshakeTimeout(TLS_HANDSHAKE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        ch.pipeline().addLast("tls", ssl);
        ch.pipeline().addLast("alpn", new AlpnRouter(links, exchanges));
    }
}
