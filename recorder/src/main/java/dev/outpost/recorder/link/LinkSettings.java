package dev.outpost.recorder.link;

import dev.outpost.wire.link.LocalEndpoint;
import io.netty.channel.ChannelHandler;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import javax.net.ssl.TrustManager;

/**
 * What the link needs to dial and to serve.
 *
 * @param cloud       the cloud's https URL
 * @param proxy       the CONNECT proxy to go through, if any
 * @param trust       how the cloud's certificate is checked (pinned at activation, or CAs)
 * @param recorderId  this recorder's id
 * @param credential  this recorder's secret, sent in the hello only
 * @param software    name and version, shown in the cloud
 * @param maxStreams  the most concurrent requests the cloud may relay at once
 * @param router      a new HTTP router for each relayed request (the same router the local port uses)
 * @param local       where the local API is served, read at each dial and reported in the hello
 */
public record LinkSettings(URI cloud, Optional<ProxySettings> proxy, TrustManager trust, String recorderId,
                           String credential, String software, int maxStreams, Supplier<ChannelHandler> router,
                           Duration backoffBase, Duration backoffMax, Supplier<LocalEndpoint> local) {
    public static final int DEFAULT_MAX_STREAMS = 256;

    /** Settings for a recorder that reports no local API (benchmarks' link fleets). */
    public LinkSettings(URI cloud, Optional<ProxySettings> proxy, TrustManager trust, String recorderId,
                        String credential, String software, int maxStreams, Supplier<ChannelHandler> router,
                        Duration backoffBase, Duration backoffMax) {
        this(cloud, proxy, trust, recorderId, credential, software, maxStreams, router, backoffBase, backoffMax,
                () -> LocalEndpoint.NONE);
    }

    @Override
    public String toString() {
        return "LinkSettings[cloud=" + cloud + ", proxy=" + proxy + ", recorderId=" + recorderId + "]";
    }
}
