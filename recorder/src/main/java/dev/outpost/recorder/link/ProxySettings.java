package dev.outpost.recorder.link;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * An HTTP/1.1 CONNECT proxy between the recorder and the cloud, with optional Basic credentials,
 * from {@code http://[user:password@]host:port}. {@code toString} never shows the password.
 */
public record ProxySettings(String host, int port, Optional<String> user, Optional<String> password) {

    public static ProxySettings parse(String url) {
        URI uri;
        try {
            uri = URI.create(url.contains("://") ? url : "http://" + url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("proxy must look like http://[user:password@]host:port, not " + redact(url));
        }
        if (!"http".equalsIgnoreCase(uri.getScheme())) {
            throw new IllegalArgumentException("only http:// proxies (HTTP CONNECT) are supported, not " + uri.getScheme() + "://");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("proxy URL has no host: " + redact(url));
        }
        int port = uri.getPort() > 0 ? uri.getPort() : 3128;
        Optional<String> user = Optional.empty();
        Optional<String> password = Optional.empty();
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            user = Optional.of(percentDecode(parts[0]));
            password = Optional.of(parts.length > 1 ? percentDecode(parts[1]) : "");
        }
        return new ProxySettings(uri.getHost(), port, user, password);
    }

    /**
     * The proxy to use for {@code cloudHost}: the configured one, else {@code https_proxy} /
     * {@code HTTPS_PROXY} from the environment unless {@code no_proxy} names the host.
     */
    public static Optional<ProxySettings> resolve(Optional<String> configured, String cloudHost, Map<String, String> env) {
        if (configured.isPresent()) {
            return configured.filter(s -> !s.isBlank()).map(ProxySettings::parse);
        }
        String fromEnv = env.getOrDefault("https_proxy", env.get("HTTPS_PROXY"));
        if (fromEnv == null || fromEnv.isBlank() || excluded(cloudHost, env.getOrDefault("no_proxy", env.get("NO_PROXY")))) {
            return Optional.empty();
        }
        return Optional.of(parse(fromEnv));
    }

    static boolean excluded(String host, String noProxy) {
        if (noProxy == null || noProxy.isBlank()) {
            return false;
        }
        String h = host.toLowerCase(Locale.ROOT);
        for (String entry : noProxy.split(",")) {
            String e = entry.trim().toLowerCase(Locale.ROOT);
            if (e.equals("*") || (!e.isEmpty() && (h.equals(e.startsWith(".") ? e.substring(1) : e) || h.endsWith(e.startsWith(".") ? e : "." + e)))) {
                return true;
            }
        }
        return false;
    }

    /** RFC 3986 percent-decoding: unlike form decoding, a '+' stays a '+'. */
    private static String percentDecode(String text) {
        return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static String redact(String url) {
        return url.replaceAll("//[^@/]*@", "//***@");
    }

    @Override
    public String toString() {
        return "http://" + user.map(u -> u + ":***@").orElse("") + host + ":" + port;
    }
}
