package dev.outpost.cloud.edge;

import dev.outpost.cloud.links.LinkAcceptor;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.util.concurrent.TimeUnit;

/** Every connection to the cloud's one port starts here: TLS, then ALPN decides what it is. */
public final class EdgeInitializer extends ChannelInitializer<SocketChannel> {
    static final long TLS_HANDSHAKE_TIMEOUT_SECONDS = 10;

    private final SslContext tls;
    private final LinkAcceptor links;
    private final ExchangeFactory exchanges;

    public EdgeInitializer(SslContext tls, LinkAcceptor links, ExchangeFactory exchanges) {
        this.tls = tls;
        this.links = links;
        this.exchanges = exchanges;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        SslHandler ssl = tls.newHandler(ch.alloc());
        ssl.setHandshakeTimeout(TLS_HANDSHAKE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        ch.pipeline().addLast("tls", ssl);
        ch.pipeline().addLast("alpn", new AlpnRouter(links, exchanges));
    }
}
