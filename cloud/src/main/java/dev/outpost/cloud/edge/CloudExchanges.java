package dev.outpost.cloud.edge;

import dev.outpost.cloud.api.ApiExchange;
import dev.outpost.cloud.api.ApiRouter;
import dev.outpost.cloud.links.LinkAcceptor;
import dev.outpost.cloud.relay.Relay;
import dev.outpost.wire.link.LinkProtocol;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpRequest;
import java.util.concurrent.Executor;

/** The cloud's routing by path prefix: {@code /api/}, {@code /relay/}, {@code /link}, else web assets. */
public final class CloudExchanges implements ExchangeFactory {
    private final ApiRouter api;
    private final Relay relay;
    private final WebSocketLinkUpgrade linkUpgrade;
    private final WebAssets assets;
    private final Executor blocking;

    public CloudExchanges(ApiRouter api, Relay relay, LinkAcceptor links, WebAssets assets, Executor blocking) {
        this.api = api;
        this.relay = relay;
        this.linkUpgrade = new WebSocketLinkUpgrade(links);
        this.assets = assets;
        this.blocking = blocking;
    }

    @Override
    public Exchange open(ChannelHandlerContext ctx, FrontDoor door, HttpRequest request) {
        String uri = request.uri();
        if (uri.startsWith("/api/")) {
            return new ApiExchange(ctx, door, request, api, blocking);
        }
        if (uri.startsWith(Relay.PREFIX)) {
            return relay.open(ctx, door, request);
        }
        if (uri.equals(LinkProtocol.WEBSOCKET_PATH) || uri.startsWith(LinkProtocol.WEBSOCKET_PATH + "?")) {
            return linkUpgrade.open(ctx, door, request);
        }
        return door.answerNow(ctx, request, assets.answer(request));
    }
}
