package dev.outpost.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class WebAppTest {
    private final WebApp app = WebApp.fromClasspath();

    @Test
    void theIndexIsServedForTheRootAsHtml() {
        assertThat(app.asset("/")).hasValueSatisfying(asset -> {
            assertThat(asset.path()).isEqualTo("/index.html");
            assertThat(asset.contentType()).isEqualTo("text/html; charset=utf-8");
            assertThat(new String(asset.bytes(), StandardCharsets.UTF_8)).contains("<script type=\"module\"");
        });
    }

    @Test
    void everyModuleTheAppImportsIsThere() {
        // Follows the import graph from the entry point: a missing or misspelled module fails here, not in a browser.
        Pattern imports = Pattern.compile("(?m)^\\s*import\\s+(?:[^'\"]*from\\s+)?'\\./([A-Za-z0-9_-]+\\.js)'");
        java.util.ArrayDeque<String> pending = new java.util.ArrayDeque<>(java.util.List.of("app.js"));
        java.util.Set<String> seen = new java.util.HashSet<>();
        while (!pending.isEmpty()) {
            String name = pending.poll();
            if (!seen.add(name)) {
                continue;
            }
            var asset = app.asset("/" + name);
            assertThat(asset).as(name).isPresent();
            assertThat(asset.get().contentType()).isEqualTo("text/javascript; charset=utf-8");
            Matcher m = imports.matcher(new String(asset.get().bytes(), StandardCharsets.UTF_8));
            while (m.find()) {
                pending.add(m.group(1));
            }
        }
        assertThat(seen).contains("api.js", "mse-player.js", "live-tile.js", "layout.js");
    }

    @Test
    void pathsOutsideTheAppOrOfUnknownKindsFindNothing() {
        assertThat(app.asset("/../WebApp.class")).isEmpty();
        assertThat(app.asset("/%2e%2e/x.js")).isEmpty();
        assertThat(app.asset("//etc/passwd")).isEmpty();
        assertThat(app.asset("/dev/outpost/web/WebApp.class")).isEmpty();
        assertThat(app.asset("/nope.js")).isEmpty();
        assertThat(app.asset("/index")).isEmpty();
        assertThat(app.asset("")).isEmpty();
    }

    @Test
    void securityHeadersKeepEverythingOnTheServingOrigin() {
        assertThat(WebApp.CONTENT_SECURITY_POLICY).startsWith("default-src 'self'").contains("frame-ancestors 'none'")
                .doesNotContain("unsafe-inline").doesNotContain("http:").doesNotContain("https:;")
                // other origins only for fetches, and only recorders by their certificate's name
                .contains("connect-src 'self' https://*.recorders.outpost.invalid:*;");
        assertThat(WebApp.SECURITY_HEADERS).containsEntry("X-Content-Type-Options", "nosniff");
    }
}
