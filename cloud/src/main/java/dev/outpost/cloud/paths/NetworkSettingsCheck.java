package dev.outpost.cloud.paths;

import dev.outpost.cloud.ApiFailure;
import dev.outpost.wire.api.RemoteNetworkSettings;
import dev.outpost.wire.api.RemoteNetworkSettings.DirectConnect;
import dev.outpost.wire.link.LocalEndpoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Checks Remote Network Settings from the API and puts them in canonical form; errors name the field. */
final class NetworkSettingsCheck {
    static final int MAX_RANGES = 32;
    private static final int MAX_HOST_CHARS = 253;
    private static final String BAD = "bad-network-settings";

    private NetworkSettingsCheck() {
    }

    static RemoteNetworkSettings checked(RemoteNetworkSettings settings) {
        if (settings.sameSiteRanges().size() > MAX_RANGES) {
            throw ApiFailure.badRequest(BAD, "sameSiteRanges: at most " + MAX_RANGES + " ranges, not "
                    + settings.sameSiteRanges().size());
        }
        List<String> ranges = new ArrayList<>();
        for (int i = 0; i < settings.sameSiteRanges().size(); i++) {
            try {
                String range = Cidr.parse(settings.sameSiteRanges().get(i)).toString();
                if (!ranges.contains(range)) {
                    ranges.add(range);
                }
            } catch (IllegalArgumentException e) {
                throw ApiFailure.badRequest(BAD, "sameSiteRanges[" + i + "]: " + e.getMessage());
            }
        }
        return new RemoteNetworkSettings(settings.lanForwarding(), ranges,
                settings.directConnect().map(NetworkSettingsCheck::checked));
    }

    private static DirectConnect checked(DirectConnect direct) {
        String host = direct.host() == null ? "" : direct.host().strip().toLowerCase(Locale.ROOT);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (!LocalEndpoint.isIpLiteral(host) && !hostName(host)) {
            throw ApiFailure.badRequest(BAD, "directConnect.host: '" + clip(host) + "' is neither an IP address nor "
                    + "a host name (letters, digits, '-' and '.', at most " + MAX_HOST_CHARS + " characters)");
        }
        if (direct.port() < 1 || direct.port() > 65535) {
            throw ApiFailure.badRequest(BAD, "directConnect.port: must be 1 to 65535, not " + direct.port());
        }
        String scheme = Optional.ofNullable(direct.scheme()).map(s -> s.strip().toLowerCase(Locale.ROOT))
                .filter(s -> !s.isEmpty()).orElse("https");
        if (!scheme.equals("https") && !scheme.equals("http")) {
            throw ApiFailure.badRequest(BAD, "directConnect.scheme: must be https or http, not '" + clip(scheme) + "'");
        }
        return new DirectConnect(host, direct.port(), scheme);
    }

    /** RFC 1123 section 2.1 host names: dot-separated labels of letters, digits and inner hyphens. */
    private static boolean hostName(String host) {
        if (host.isEmpty() || host.length() > MAX_HOST_CHARS) {
            return false;
        }
        for (String label : host.split("\\.", -1)) {
            if (!label.matches("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?")) {
                return false;
            }
        }
        return true;
    }

    private static String clip(String text) {
        return text.length() <= 60 ? text : text.substring(0, 60) + "...";
    }
}
