package dev.outpost.cloud.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WebAssetsTest {
    private final WebAssets assets = WebAssets.fromClasspath();

    private FullHttpResponse get(HttpMethod method, String uri) {
        return assets.answer(new DefaultHttpRequest(HttpVersion.HTTP_1_1, method, uri));
    }

    @Test
    void theAppIsServedFromTheWebModuleWithItsTypeAndSecurityHeaders() {
        FullHttpResponse index = get(HttpMethod.GET, "/?next=live");
        try {
            assertThat(index.status().code()).isEqualTo(200);
            assertThat(index.headers().get("Content-Type")).isEqualTo("text/html; charset=utf-8");
            assertThat(index.headers().get("Content-Security-Policy")).startsWith("default-src 'self'");
            assertThat(index.headers().get("X-Frame-Options")).isEqualTo("DENY");
            assertThat(index.headers().get("Strict-Transport-Security")).isNotNull();
            assertThat(index.content().toString(StandardCharsets.UTF_8)).contains("app.js");
        } finally {
            index.release();
        }
        FullHttpResponse module = get(HttpMethod.HEAD, "/mse-player.js");
        try {
            assertThat(module.status().code()).isEqualTo(200);
            assertThat(module.headers().get("Content-Type")).isEqualTo("text/javascript; charset=utf-8");
            assertThat(module.headers().getInt("Content-Length")).isPositive();
            assertThat(module.content().readableBytes()).isZero();
        } finally {
            module.release();
        }
    }

    @Test
    void unknownPathsAndWritesAreRefused() {
        FullHttpResponse missing = get(HttpMethod.GET, "/../pom.xml");
        FullHttpResponse post = get(HttpMethod.POST, "/index.html");
        try {
            assertThat(missing.status().code()).isEqualTo(404);
            assertThat(post.status().code()).isEqualTo(405);
        } finally {
            missing.release();
            post.release();
        }
    }
}
