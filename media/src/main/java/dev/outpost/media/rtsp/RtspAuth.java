package dev.outpost.media.rtsp;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Answers a camera's authentication challenge: Digest (RFC 7616, MD5 or SHA-256, with or without
 * {@code qop=auth}) when offered, else Basic (RFC 7617). One per connection: Digest counts its nonce uses.
 */
public final class RtspAuth {
    private final String user;
    private final String password;
    private final SecureRandom random = new SecureRandom();
    private Map<String, String> digest;
    private boolean basic;
    private int nonceCount;

    public RtspAuth(String user, String password) {
        this.user = user;
        this.password = password;
    }

    /**
     * Reads the {@code WWW-Authenticate} challenges of a 401.
     *
     * @return whether a scheme we speak was offered
     */
    public boolean challenge(List<String> wwwAuthenticate) {
        for (String header : wwwAuthenticate) {
            if (header.regionMatches(true, 0, "Digest ", 0, 7)) {
                Map<String, String> params = parameters(header.substring(7));
                String algorithm = params.getOrDefault("algorithm", "MD5").toUpperCase(Locale.ROOT);
                if ((algorithm.equals("MD5") || algorithm.equals("SHA-256")) && params.containsKey("nonce")) {
                    if (digest == null || !"MD5".equals(algorithm)) {
                        digest = params; // prefer SHA-256 when both are offered
                        nonceCount = 0;
                    }
                }
            } else if (header.regionMatches(true, 0, "Basic", 0, 5)) {
                basic = true;
            }
        }
        return digest != null || basic;
    }

    /** The {@code Authorization} header for a request, once a challenge was read. */
    public Optional<String> authorization(String method, String uri) {
        if (digest != null) {
            return Optional.of(digestAuthorization(method, uri));
        }
        if (basic) {
            return Optional.of("Basic " + Base64.getEncoder()
                    .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        return Optional.empty();
    }

    private String digestAuthorization(String method, String uri) {
        String algorithm = digest.getOrDefault("algorithm", "MD5").toUpperCase(Locale.ROOT);
        String realm = digest.getOrDefault("realm", "");
        String nonce = digest.get("nonce");
        String ha1 = hash(algorithm, user + ":" + realm + ":" + password);
        String ha2 = hash(algorithm, method + ":" + uri);
        StringBuilder header = new StringBuilder("Digest username=\"").append(user)
                .append("\", realm=\"").append(realm).append("\", nonce=\"").append(nonce)
                .append("\", uri=\"").append(uri).append('"');
        String qop = digest.get("qop");
        if (qop != null && List.of(qop.split(",")).stream().map(String::trim).anyMatch("auth"::equals)) {
            String nc = String.format("%08x", ++nonceCount);
            byte[] cnonceBytes = new byte[8];
            random.nextBytes(cnonceBytes);
            String cnonce = HexFormat.of().formatHex(cnonceBytes);
            String response = hash(algorithm, ha1 + ":" + nonce + ":" + nc + ":" + cnonce + ":auth:" + ha2);
            header.append(", qop=auth, nc=").append(nc).append(", cnonce=\"").append(cnonce).append('"')
                    .append(", response=\"").append(response).append('"');
        } else {
            header.append(", response=\"").append(hash(algorithm, ha1 + ":" + nonce + ":" + ha2)).append('"');
        }
        if (digest.containsKey("opaque")) {
            header.append(", opaque=\"").append(digest.get("opaque")).append('"');
        }
        if (digest.containsKey("algorithm")) {
            header.append(", algorithm=").append(digest.get("algorithm"));
        }
        return header.toString();
    }

    /** Parses {@code name=value, name="quoted, value"} lists. */
    static Map<String, String> parameters(String text) {
        Map<String, String> params = new LinkedHashMap<>();
        int i = 0;
        int n = text.length();
        while (i < n) {
            while (i < n && (text.charAt(i) == ' ' || text.charAt(i) == ',')) {
                i++;
            }
            int eq = text.indexOf('=', i);
            if (eq < 0) {
                break;
            }
            String name = text.substring(i, eq).trim().toLowerCase(Locale.ROOT);
            i = eq + 1;
            String value;
            if (i < n && text.charAt(i) == '"') {
                StringBuilder quoted = new StringBuilder();
                i++;
                while (i < n && text.charAt(i) != '"') {
                    if (text.charAt(i) == '\\' && i + 1 < n) {
                        i++;
                    }
                    quoted.append(text.charAt(i++));
                }
                i++;
                value = quoted.toString();
            } else {
                int end = text.indexOf(',', i);
                end = end < 0 ? n : end;
                value = text.substring(i, end).trim();
                i = end;
            }
            params.put(name, value);
        }
        return params;
    }

    private static String hash(String algorithm, String text) {
        try {
            MessageDigest md = MessageDigest.getInstance(algorithm.equals("SHA-256") ? "SHA-256" : "MD5");
            return HexFormat.of().formatHex(md.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "RtspAuth[user=" + user + ", scheme=" + (digest != null ? "Digest" : basic ? "Basic" : "none") + "]";
    }
}
