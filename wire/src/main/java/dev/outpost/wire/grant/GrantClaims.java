package dev.outpost.wire.grant;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** The JSON payload of a grant (RFC 7519 registered claim names plus {@code rights}). */
record GrantClaims(
        @JsonProperty("jti") String jti,
        @JsonProperty("iss") String iss,
        @JsonProperty("sub") String sub,
        @JsonProperty("aud") String aud,
        @JsonProperty("rights") List<String> rights,
        @JsonProperty("iat") Long iat,
        @JsonProperty("exp") Long exp) {
}
