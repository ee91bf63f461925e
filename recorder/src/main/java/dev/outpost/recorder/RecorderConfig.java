package dev.outpost.recorder;

import dev.outpost.recorder.local.LocalHttpConfig;
import dev.outpost.wire.link.LinkTransport;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Everything a recorder is configured with (docs/configuration.md lists each setting).
 *
 * @param dataDir      identity, recordings and the outbox live here
 * @param cloud        the cloud's https URL; only needed to activate (afterwards it is in the identity)
 * @param activationCode a code to activate with, once
 * @param proxy        an HTTP CONNECT proxy URL; empty: {@code https_proxy} from the environment, if set
 * @param cloudCaFile  a PEM file of CAs to trust for the cloud (for TLS-inspecting proxies)
 * @param local        the local HTTP API port
 * @param maxRelayedStreams the most requests the cloud may relay at once
 * @param backoffBase  first reconnection delay ceiling
 * @param backoffMax   largest reconnection delay
 * @param linkTransport the link transport to try first; empty: HTTP/2 by ALPN, falling back to WebSocket
 */
public record RecorderConfig(Path dataDir, Optional<URI> cloud, Optional<String> activationCode, Optional<String> proxy,
                             Optional<Path> cloudCaFile, LocalHttpConfig local, int maxRelayedStreams,
                             Duration backoffBase, Duration backoffMax, Optional<LinkTransport> linkTransport) {

    public static RecorderConfig defaults(Path dataDir) {
        return new RecorderConfig(dataDir, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                LocalHttpConfig.defaults(), 256, Duration.ofSeconds(1), Duration.ofSeconds(30), Optional.empty());
    }

    public RecorderConfig withActivation(URI cloudUrl, String code) {
        return new RecorderConfig(dataDir, Optional.of(cloudUrl), Optional.of(code), proxy, cloudCaFile, local,
                maxRelayedStreams, backoffBase, backoffMax, linkTransport);
    }

    public RecorderConfig withProxy(Optional<String> proxyUrl) {
        return new RecorderConfig(dataDir, cloud, activationCode, proxyUrl, cloudCaFile, local, maxRelayedStreams,
                backoffBase, backoffMax, linkTransport);
    }

    public RecorderConfig withLocal(LocalHttpConfig newLocal) {
        return new RecorderConfig(dataDir, cloud, activationCode, proxy, cloudCaFile, newLocal, maxRelayedStreams,
                backoffBase, backoffMax, linkTransport);
    }

    public RecorderConfig withCloudCaFile(Optional<Path> file) {
        return new RecorderConfig(dataDir, cloud, activationCode, proxy, file, local, maxRelayedStreams,
                backoffBase, backoffMax, linkTransport);
    }

    public RecorderConfig withBackoff(Duration base, Duration max) {
        return new RecorderConfig(dataDir, cloud, activationCode, proxy, cloudCaFile, local, maxRelayedStreams, base, max, linkTransport);
    }

    public RecorderConfig withLinkTransport(Optional<LinkTransport> first) {
        return new RecorderConfig(dataDir, cloud, activationCode, proxy, cloudCaFile, local, maxRelayedStreams,
                backoffBase, backoffMax, first);
    }

    @Override
    public String toString() {
        return "RecorderConfig[dataDir=" + dataDir + ", cloud=" + cloud.orElse(null) + ", local=" + local.bindAddress()
                + ":" + local.port() + "]";
    }
}
