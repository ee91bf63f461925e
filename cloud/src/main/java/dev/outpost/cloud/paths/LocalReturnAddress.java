package dev.outpost.cloud.paths;

import dev.outpost.cloud.ApiFailure;
import dev.outpost.wire.link.LocalEndpoint;
import dev.outpost.wire.tls.RecorderCertificates;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Where the cloud may send a user back to with a grant after the web client's LAN sign-in: only the recorder's own
 * local HTTPS port, as the recorder last reported it over its link (its {@link LocalEndpoint}), by the name its
 * certificate carries ({@code RECORDERID.recorders.outpost.invalid}) or one of its reported addresses. Anything
 * else (another host, another port, plain HTTP, a path) is refused, so a grant never lands on a page that is not
 * the recorder's.
 */
final class LocalReturnAddress {
    static final int MAX_LENGTH = 300;

    private LocalReturnAddress() {
    }

    /**
     * The address, normalized to {@code https://HOST:PORT/}.
     *
     * @throws ApiFailure 400 {@code bad-return-address} saying what is wrong; 409 {@code no-local-endpoint} when the
     *                    recorder reported no local HTTPS port
     */
    static String checked(String recorderId, String returnTo, LocalEndpoint endpoint) {
        if (returnTo == null || returnTo.isBlank()) {
            throw bad("returnTo is missing: the recorder's address the sign-in came from, https://HOST:PORT/");
        }
        if (returnTo.length() > MAX_LENGTH) {
            throw bad("returnTo is longer than " + MAX_LENGTH + " characters");
        }
        if (!endpoint.reachable() || !endpoint.scheme().equals("https")) {
            throw new ApiFailure(409, "no-local-endpoint", "recorder " + recorderId + " has reported no local HTTPS port:"
                    + " start it with --local-bind auto (or an address of its LAN) and let it connect to the cloud");
        }
        URI uri;
        try {
            uri = new URI(returnTo);
        } catch (URISyntaxException e) {
            throw bad("returnTo is not an address: " + e.getMessage());
        }
        if (!"https".equalsIgnoreCase(uri.getScheme())) {
            throw bad("returnTo must be https: the recorder's local port serves HTTPS");
        }
        if (uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null
                || !(uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/"))) {
            throw bad("returnTo must be just https://HOST:PORT/, with no user, path, query or fragment");
        }
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        boolean named = host.equals(RecorderCertificates.name(recorderId).toLowerCase(Locale.ROOT));
        boolean reported = endpoint.addresses().stream().anyMatch(a -> a.equalsIgnoreCase(bare));
        if (!named && !reported) {
            throw bad("returnTo's host '" + host + "' is neither " + RecorderCertificates.name(recorderId)
                    + " nor an address the recorder reported");
        }
        int port = uri.getPort() < 0 ? 443 : uri.getPort(); // a browser's origin leaves out https' own port
        if (port != endpoint.port()) {
            throw bad("returnTo's port " + port + " is not the recorder's local port " + endpoint.port());
        }
        return "https://" + host + ":" + endpoint.port() + "/";
    }

    private static ApiFailure bad(String message) {
        return ApiFailure.badRequest("bad-return-address", message);
    }
}
