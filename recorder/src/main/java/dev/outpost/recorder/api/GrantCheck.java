package dev.outpost.recorder.api;

import dev.outpost.wire.grant.Grant;
import dev.outpost.wire.grant.GrantException;
import dev.outpost.wire.grant.GrantVerifier;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Checks the grant every request to a recorder carries ({@code Authorization: Bearer GRANT}), whichever path it came
 * by, and says in the RFC 6750 way why one is refused.
 */
final class GrantCheck {
    static final String REALM = "outpost-recorder";

    private GrantCheck() {
    }

    /** The request's grant, verified; a 401 refusal with the RFC 6750 challenge otherwise. */
    static Grant authorize(HttpRequest head, GrantVerifier verifier, ApiCounters counters) throws ApiRefusal {
        List<String> values = head.headers().getAll(HttpHeaderNames.AUTHORIZATION);
        String token = null;
        if (values.size() > 1) {
            throw grantRefusal(counters, "grant-malformed", "more than one Authorization header; send exactly one");
        }
        if (values.size() == 1) {
            String value = values.getFirst().strip();
            int space = value.indexOf(' ');
            String scheme = space < 0 ? value : value.substring(0, space);
            if (!scheme.equalsIgnoreCase("Bearer")) {
                throw grantRefusal(counters, "grant-missing",
                        "the Authorization header is not 'Bearer GRANT': send a grant from the cloud");
            }
            token = space < 0 ? "" : value.substring(space + 1).strip();
        }
        try {
            return verifier.verify(token);
        } catch (GrantException e) {
            throw grantRefusal(counters, "grant-" + e.reason().name().toLowerCase(Locale.ROOT).replace('_', '-'), e.getMessage());
        }
    }

    private static ApiRefusal grantRefusal(ApiCounters counters, String error, String message) {
        counters.refusedGrant();
        // RFC 6750 section 3: a request with no credentials gets the bare challenge, a bad one invalid_token.
        String challenge = error.equals("grant-missing")
                ? "Bearer realm=\"" + REALM + "\""
                : "Bearer realm=\"" + REALM + "\", error=\"invalid_token\"";
        return new ApiRefusal(401, error, message, Map.of(HttpHeaderNames.WWW_AUTHENTICATE.toString(), challenge));
    }
}
