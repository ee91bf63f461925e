package dev.outpost.cloud.api;

import dev.outpost.cloud.ApiFailure;
import dev.outpost.wire.json.Json;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One API request as a handler sees it: already read whole (API bodies are small and bounded),
 * with the path's parameters, and off the event loop, so handlers may block.
 */
public record ApiCall(HttpMethod method, String path, List<String> pathParams, Map<String, List<String>> query,
                      HttpHeaders headers, byte[] body, String remoteAddress, Optional<String> sessionToken) {

    public String param(int index) {
        return pathParams.get(index);
    }

    public <T> T body(Class<T> type) {
        if (body.length == 0) {
            throw ApiFailure.badRequest("bad-body", "this request needs a JSON body");
        }
        try {
            return Json.read(body, type);
        } catch (RuntimeException e) {
            throw ApiFailure.badRequest("bad-body", "the body is not a valid " + type.getSimpleName() + ": "
                    + firstLine(e.getMessage()));
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable JSON";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
