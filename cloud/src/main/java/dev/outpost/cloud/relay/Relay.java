package dev.outpost.cloud.relay;

import dev.outpost.cloud.edge.Exchange;
import dev.outpost.cloud.edge.FrontDoor;
import dev.outpost.cloud.http.HttpReplies;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpRequest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code /relay/{recorderId}/{path}}: forwards any request to a recorder through its link. */
public final class Relay {
    public static final String PREFIX = "/relay/";
    private static final Pattern PATH = Pattern.compile("^/relay/([A-Za-z0-9_-]{1,64})(/[^?#]*)?(\\?.*)?$");

    private final RelayServices services;

    public Relay(RelayServices services) {
        this.services = services;
    }

    public Exchange open(ChannelHandlerContext ctx, FrontDoor door, HttpRequest request) {
        Matcher m = PATH.matcher(request.uri());
        if (!m.matches()) {
            return door.answerNow(ctx, request, HttpReplies.error(404, "not-found",
                    "relay paths look like /relay/{recorderId}/{path}"));
        }
        String path = m.group(2) == null || m.group(2).isEmpty() ? "/" : m.group(2);
        String query = m.group(3) == null ? "" : m.group(3);
        RelayExchange exchange = new RelayExchange(ctx, door, request, m.group(1), path + query, services);
        exchange.start();
        return exchange;
    }
}
