package dev.outpost.recorder.api;

import io.netty.handler.codec.http.HttpMethod;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One method and path pattern of the recorder's API, the grant right it needs, and what serves it.
 *
 * @param method   the one method the route answers
 * @param path     the whole path; its groups are the path parameters, in order
 * @param right    the grant right a caller needs, for example {@link dev.outpost.wire.grant.Grant#VIEW}
 * @param endpoint what serves it
 */
record Route(HttpMethod method, Pattern path, String right, Endpoint endpoint) {
    /** A camera id in a path: what camera ids may be. */
    static final String CAMERA_ID = "([A-Za-z0-9_-]{1,64})";

    Route {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(right, "right");
        Objects.requireNonNull(endpoint, "endpoint");
    }

    static Route of(HttpMethod method, String pathRegex, String right, Endpoint endpoint) {
        return new Route(method, Pattern.compile("^" + pathRegex + "$"), right, endpoint);
    }

    /** The path parameters when {@code candidate} is this route's path. */
    Optional<List<String>> match(String candidate) {
        Matcher m = path.matcher(candidate);
        if (!m.matches()) {
            return Optional.empty();
        }
        List<String> params = new ArrayList<>(m.groupCount());
        for (int i = 1; i <= m.groupCount(); i++) {
            params.add(m.group(i));
        }
        return Optional.of(List.copyOf(params));
    }
}
