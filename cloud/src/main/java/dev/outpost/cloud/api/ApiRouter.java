package dev.outpost.cloud.api;

import dev.outpost.cloud.ApiFailure;
import io.netty.handler.codec.http.HttpMethod;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The cloud's API routes: method and path pattern to handler. Path segments in braces are parameters. */
public final class ApiRouter {
    /** Handles one call; may block; throws {@link ApiFailure} for answers other than success. */
    @FunctionalInterface
    public interface Handler {
        ApiReply handle(ApiCall call);
    }

    record Route(HttpMethod method, Pattern pattern, Handler handler) {
    }

    /** A route found for a request, with the values of its path parameters. */
    public record Match(Handler handler, List<String> params) {
    }

    private final List<Route> routes = new ArrayList<>();

    public ApiRouter add(HttpMethod method, String template, Handler handler) {
        String regex = template.replaceAll("\\{[a-zA-Z]+}", "([A-Za-z0-9_.@-]{1,128})");
        routes.add(new Route(method, Pattern.compile("^" + regex + "$"), handler));
        return this;
    }

    /**
     * @throws ApiFailure 404 when no route has the path, 405 when none has it with this method
     */
    public Match match(HttpMethod method, String path) {
        boolean pathKnown = false;
        for (Route route : routes) {
            Matcher m = route.pattern().matcher(path);
            if (!m.matches()) {
                continue;
            }
            pathKnown = true;
            if (route.method().equals(method)) {
                List<String> params = new ArrayList<>();
                for (int i = 1; i <= m.groupCount(); i++) {
                    params.add(m.group(i));
                }
                return new Match(route.handler(), List.copyOf(params));
            }
        }
        if (pathKnown) {
            throw new ApiFailure(405, "method-not-allowed", method + " is not allowed on " + path);
        }
        throw ApiFailure.notFound("no API at " + path);
    }

    public Optional<Match> find(HttpMethod method, String path) {
        try {
            return Optional.of(match(method, path));
        } catch (ApiFailure e) {
            return Optional.empty();
        }
    }
}
