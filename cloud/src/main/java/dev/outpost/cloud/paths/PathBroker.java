package dev.outpost.cloud.paths;

import dev.outpost.cloud.ApiFailure;
import dev.outpost.wire.api.ConnectView.PathView;
import dev.outpost.wire.api.RemoteNetworkSettings;
import dev.outpost.wire.link.LocalEndpoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The connection broker: which paths a viewer should try to reach a recorder, best first (docs/paths.md).
 * {@code lan} when LAN Smart Forwarding is on, the recorder reported a local endpoint, and the viewer's public
 * address is the recorder's or falls in its same-site ranges; {@code direct} when Direct Connect is configured;
 * {@code p2p} when the recorder's link said it answers P2P signalling (the viewer then starts on the best of the
 * others and upgrades, docs/p2p.md); {@code relay} always.
 */
public final class PathBroker {
    private final RecorderNetworks networks;
    private final PathSessions sessions = new PathSessions();

    public PathBroker(RecorderNetworks networks) {
        this.networks = networks;
    }

    /** The paths viewers reported using. */
    public PathSessions sessions() {
        return sessions;
    }

    /**
     * The paths for a viewer at {@code viewerAddress} to the recorder last seen at {@code recorderAddress}.
     *
     * @param p2p whether the recorder's live link offers peer-to-peer signalling
     */
    public List<PathView> paths(String recorderId, String viewerAddress, Optional<String> recorderAddress, boolean p2p) {
        return paths(recorderId, viewerAddress, recorderAddress, networks.localEndpoint(recorderId),
                networks.settings(recorderId), p2p);
    }

    static List<PathView> paths(String recorderId, String viewerAddress, Optional<String> recorderAddress,
                                LocalEndpoint local, RemoteNetworkSettings settings) {
        return paths(recorderId, viewerAddress, recorderAddress, local, settings, false);
    }

    static List<PathView> paths(String recorderId, String viewerAddress, Optional<String> recorderAddress,
                                LocalEndpoint local, RemoteNetworkSettings settings, boolean p2p) {
        List<PathView> paths = new ArrayList<>();
        if (settings.lanForwarding() && local.reachable() && sameSite(viewerAddress, recorderAddress, settings)) {
            for (String address : local.addresses()) {
                paths.add(new PathView(PathView.LAN, url(local.scheme(), address, local.port())));
            }
        }
        settings.directConnect().ifPresent(direct ->
                paths.add(new PathView(PathView.DIRECT, url(direct.scheme(), direct.host(), direct.port()))));
        if (p2p) {
            paths.add(new PathView(PathView.P2P, "/relay/" + recorderId + "/api/p2p/sessions"));
        }
        paths.add(new PathView(PathView.RELAY, "/relay/" + recorderId));
        return List.copyOf(paths);
    }

    public RemoteNetworkSettings settings(String recorderId) {
        return networks.settings(recorderId);
    }

    /**
     * Checks and saves the recorder's settings; returns them as saved (canonical ranges, lower-case host).
     *
     * @throws ApiFailure 400 {@code bad-network-settings} naming the field
     */
    public RemoteNetworkSettings save(String recorderId, RemoteNetworkSettings settings) {
        RemoteNetworkSettings checked = NetworkSettingsCheck.checked(settings);
        networks.save(recorderId, checked);
        return checked;
    }

    private static boolean sameSite(String viewer, Optional<String> recorder, RemoteNetworkSettings settings) {
        Optional<java.net.InetAddress> viewerAddress = Cidr.literal(viewer);
        if (viewerAddress.isEmpty()) {
            return false;
        }
        if (recorder.flatMap(Cidr::literal).filter(viewerAddress.get()::equals).isPresent()) {
            return true;
        }
        return settings.sameSiteRanges().stream().map(Cidr::parse).anyMatch(range -> range.contains(viewerAddress.get()));
    }

    private static String url(String scheme, String host, int port) {
        return scheme + "://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
