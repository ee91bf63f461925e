package dev.outpost.testkit;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/** User names and passwords as they go into a URL's user information. */
final class UserInfo {
    private UserInfo() {
    }

    /** RFC 3986 section 2.1: percent-encodes all but the unreserved characters of section 2.3. */
    static String percentEncode(String text) {
        var encoded = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || "-._~".indexOf(c) >= 0) {
                encoded.append(c);
            } else {
                encoded.append('%').append(HexFormat.of().withUpperCase().toHexDigits(b));
            }
        }
        return encoded.toString();
    }
}
