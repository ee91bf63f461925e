package dev.outpost.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The browser client's files, read from this module's classpath folder {@code dev/outpost/web/app} and held
 * in memory (they are few and small), with the content type and security headers each should be served with.
 * Whoever serves the app (the cloud; later a recorder on its LAN port) maps an {@link Asset} to its HTTP reply.
 * Every file comes from Outpost itself: no CDN, no build step.
 */
public final class WebApp {
    /** The classpath folder holding the app. */
    static final String ROOT = "dev/outpost/web/app";

    /**
     * The app's Content-Security-Policy: everything from the serving origin; video through MSE is a
     * {@code blob:} URL; no inline script or style; never framed. Besides its own origin the app may fetch from
     * recorders on the viewer's LAN, by the one name their certificates carry (docs/web.md, "Paths in the browser").
     */
    public static final String CONTENT_SECURITY_POLICY = "default-src 'self'; img-src 'self' blob: data:; "
            + "media-src 'self' blob:; connect-src 'self' https://*.recorders.outpost.invalid:*; object-src 'none'; base-uri 'none'; form-action 'self'; "
            + "frame-ancestors 'none'";

    /** Headers every asset carries besides its type and length. */
    public static final Map<String, String> SECURITY_HEADERS = Map.of(
            "Content-Security-Policy", CONTENT_SECURITY_POLICY,
            "Referrer-Policy", "no-referrer",
            "X-Content-Type-Options", "nosniff",
            "X-Frame-Options", "DENY",
            // Revalidated every time: the app has no build step to give files versioned names.
            "Cache-Control", "no-cache");

    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8", "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8", "svg", "image/svg+xml", "png", "image/png",
            "json", "application/json", "ico", "image/x-icon", "webmanifest", "application/manifest+json");
    private static final Pattern SAFE_PATH = Pattern.compile("/[A-Za-z0-9_.-]{1,100}(/[A-Za-z0-9_.-]{1,100}){0,4}");

    /**
     * One file of the app.
     *
     * @param path        its path below the app's root, starting with {@code /}
     * @param contentType the {@code Content-Type} to serve it with
     * @param bytes       its content (shared: do not modify)
     */
    public record Asset(String path, String contentType, byte[] bytes) {
    }

    private final ClassLoader loader;
    private final String root;
    private final ConcurrentHashMap<String, Asset> cache = new ConcurrentHashMap<>();

    WebApp(ClassLoader loader, String root) {
        this.loader = loader;
        this.root = root;
    }

    /** The app as this module ships it. */
    public static WebApp fromClasspath() {
        return new WebApp(WebApp.class.getClassLoader(), ROOT);
    }

    /**
     * The file at a request path: {@code /} and any path ending in {@code /} mean its {@code index.html}.
     * Empty for anything else, including paths that try to leave the app's folder or name a folder.
     */
    public Optional<Asset> asset(String requestPath) {
        String path = requestPath.endsWith("/") ? requestPath + "index.html" : requestPath;
        if (!SAFE_PATH.matcher(path).matches() || path.contains("..")) {
            return Optional.empty();
        }
        int dot = path.lastIndexOf('.');
        String type = dot < path.lastIndexOf('/') ? null : TYPES.get(path.substring(dot + 1));
        if (type == null) {
            return Optional.empty(); // only the kinds of file the app is made of
        }
        Asset cached = cache.get(path);
        if (cached != null) {
            return Optional.of(cached);
        }
        try (InputStream in = loader.getResourceAsStream(root + path)) {
            if (in == null) {
                return Optional.empty();
            }
            Asset asset = new Asset(path, type, in.readAllBytes());
            cache.putIfAbsent(path, asset);
            return Optional.of(asset);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the web app's " + path, e);
        }
    }
}
