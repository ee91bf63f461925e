package dev.outpost.recorder.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outpost.wire.api.ApiError;
import dev.outpost.wire.api.RecorderInfo;
import dev.outpost.wire.json.Json;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The router alone, fed HTTP/1.1 objects as HttpServerCodec would give them. */
class RecorderRouterTest {
    private final TestGrants grants = new TestGrants();
    private final RecorderApi api = grants.api();
    private final EmbeddedChannel channel = new EmbeddedChannel(api.newRouter());

    @AfterEach
    void releaseEverything() {
        channel.finishAndReleaseAll();
    }

    @Test
    void infoTellsTheRecorderAndTheGrantsUser() {
        channel.writeInbound(get("/api/info", grants.valid()), LastHttpContent.EMPTY_LAST_CONTENT);

        FullHttpResponse response = channel.readOutbound();
        try {
            assertThat(response.status().code()).isEqualTo(200);
            assertThat(response.headers().get(HttpHeaderNames.CONTENT_TYPE)).isEqualTo("application/json");
            assertThat(HttpUtil.isKeepAlive(response)).isTrue();
            RecorderInfo info = Json.read(ByteBufUtil.getBytes(response.content()), RecorderInfo.class);
            assertThat(info).isEqualTo(new RecorderInfo(TestGrants.RECORDER, "Front door", "outpost-recorder/test",
                    grants.now.minusSeconds(60), TestGrants.USER));
        } finally {
            response.release();
        }
        assertThat(channel.isOpen()).isTrue();
        assertThat(api.counters().openExchanges()).isZero();
    }

    @ParameterizedTest
    @CsvSource({
            "none, grant-missing",
            "basic, grant-missing",
            "empty, grant-missing",
            "garbage, grant-malformed",
            "forged, grant-bad-signature",
            "expired, grant-expired",
            "future, grant-not-yet-valid",
            "other-recorder, grant-wrong-recorder"})
    void refusesEveryRequestWithoutAGoodGrant(String presented, String word) {
        HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/api/info");
        switch (presented) {
            case "none" -> { }
            case "basic" -> request.headers().set(HttpHeaderNames.AUTHORIZATION, "Basic dXNlcjpwYXNz");
            case "empty" -> request.headers().set(HttpHeaderNames.AUTHORIZATION, "Bearer ");
            case "garbage" -> request.headers().set(HttpHeaderNames.AUTHORIZATION, "Bearer not.a-grant");
            case "forged" -> request.headers().set(HttpHeaderNames.AUTHORIZATION, "Bearer " + grants.forged());
            case "expired" -> request.headers().set(HttpHeaderNames.AUTHORIZATION, "Bearer " + grants.expired());
            case "future" -> request.headers().set(HttpHeaderNames.AUTHORIZATION, "Bearer " + grants.notYetValid());
            case "other-recorder" -> request.headers().set(HttpHeaderNames.AUTHORIZATION, "Bearer " + grants.wrongRecorder());
            default -> throw new IllegalArgumentException(presented);
        }
        channel.writeInbound(request, LastHttpContent.EMPTY_LAST_CONTENT);

        FullHttpResponse response = channel.readOutbound();
        try {
            assertThat(response.status().code()).isEqualTo(401);
            assertThat(response.headers().get(HttpHeaderNames.WWW_AUTHENTICATE)).startsWith("Bearer");
            ApiError error = error(response);
            assertThat(error.error()).isEqualTo(word);
            assertThat(error.message()).isNotBlank();
        } finally {
            response.release();
        }
        assertThat(api.counters().refusedGrants()).isEqualTo(1);
    }

    @Test
    void unknownPathsNeedAGrantBeforeTheyAreNotFound() {
        channel.writeInbound(get("/api/cameras/secret", null), LastHttpContent.EMPTY_LAST_CONTENT);
        assertThat(statusAndWord()).isEqualTo("401 grant-missing");

        channel.writeInbound(get("/api/cameras/secret", grants.valid()), LastHttpContent.EMPTY_LAST_CONTENT);
        assertThat(statusAndWord()).isEqualTo("404 not-found");
    }

    @Test
    void wrongMethodsAreRefusedWithWhatIsAllowed() {
        HttpRequest post = request(HttpMethod.POST, "/api/info", grants.valid());
        channel.writeInbound(post, LastHttpContent.EMPTY_LAST_CONTENT);
        FullHttpResponse response = channel.readOutbound();
        try {
            assertThat(response.status().code()).isEqualTo(405);
            assertThat(response.headers().get(HttpHeaderNames.ALLOW)).isEqualTo("GET");
            assertThat(error(response).error()).isEqualTo("method-not-allowed");
        } finally {
            response.release();
        }

        channel.writeInbound(get("/api/echo", grants.valid()), LastHttpContent.EMPTY_LAST_CONTENT);
        assertThat(statusAndWord()).isEqualTo("405 method-not-allowed");
    }

    @ParameterizedTest
    @CsvSource({
            "rate=fast, rate",
            "rate=-1, rate",
            "rate=10000000001, rate",
            "chunk=0, chunk",
            "chunk=1048577, chunk",
            "limit=-5, limit",
            "limit=1&limit=2, limit"})
    void badStreamParametersAreNamed(String query, String parameter) {
        channel.writeInbound(get("/api/stream?" + query, grants.valid()), LastHttpContent.EMPTY_LAST_CONTENT);
        FullHttpResponse response = channel.readOutbound();
        try {
            assertThat(response.status().code()).isEqualTo(400);
            ApiError error = error(response);
            assertThat(error.error()).isEqualTo("bad-parameter");
            assertThat(error.message()).startsWith(parameter + " ");
        } finally {
            response.release();
        }
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void streamWritesThePatternUpToTheLimitAndKeepsTheConnection() {
        channel.writeInbound(get("/api/stream?rate=0&chunk=1000&limit=10500", grants.valid()),
                LastHttpContent.EMPTY_LAST_CONTENT);
        channel.runPendingTasks();

        HttpResponse head = channel.readOutbound();
        assertThat(head.status().code()).isEqualTo(200);
        assertThat(head.headers().get(HttpHeaderNames.CONTENT_TYPE)).isEqualTo("application/octet-stream");
        assertThat(HttpUtil.isTransferEncodingChunked(head)).isTrue();
        Body body = readBody();
        assertThat(body.ended).isTrue();
        assertThat(body.chunkSizes).allMatch(n -> n <= 1000);
        assertPattern(body.bytes, 0);
        assertThat(body.bytes).hasSize(10_500);
        assertThat(api.counters().streamedBytes()).isEqualTo(10_500);

        channel.writeInbound(get("/api/info", grants.valid()), LastHttpContent.EMPTY_LAST_CONTENT);
        assertThat(statusAndWord()).startsWith("200");
        assertThat(api.counters().openExchanges()).isZero();
    }

    @Test
    void streamIsPacedByTheEventLoopClock() {
        channel.freezeTime();
        channel.writeInbound(get("/api/stream?rate=10000&chunk=1000", grants.valid()), LastHttpContent.EMPTY_LAST_CONTENT);
        HttpResponse head = channel.readOutbound();
        assertThat(head.status().code()).isEqualTo(200);

        int sent = 0;
        for (int ms = 0; ms < 2000; ms += 10) {
            channel.advanceTimeBy(10, TimeUnit.MILLISECONDS);
            channel.runPendingTasks();
        }
        Body body = readBody();
        sent += body.bytes.length;
        assertThat(body.ended).isFalse();
        assertPattern(body.bytes, 0);
        // 2 s at 10 000 B/s, plus the first chunk that goes at once.
        assertThat(sent).isBetween(20_000, 22_000);
    }

    @Test
    void closingTheChannelStopsTheStream() {
        channel.freezeTime();
        channel.writeInbound(get("/api/stream?rate=1000&chunk=100", grants.valid()), LastHttpContent.EMPTY_LAST_CONTENT);
        assertThat(api.counters().openExchanges()).isEqualTo(1);
        long before = api.counters().streamedBytes();

        channel.close();
        channel.advanceTimeBy(10, TimeUnit.SECONDS);
        channel.runPendingTasks();

        assertThat(api.counters().streamedBytes()).isEqualTo(before);
        assertThat(api.counters().openExchanges()).isZero();
    }

    @Test
    void echoSendsEachContentBackAsItArrives() {
        HttpRequest post = request(HttpMethod.POST, "/api/echo", grants.valid());
        post.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain");
        HttpUtil.setTransferEncodingChunked(post, true);
        channel.writeInbound(post);

        HttpResponse head = channel.readOutbound();
        assertThat(head.status().code()).isEqualTo(200);
        assertThat(head.headers().get(HttpHeaderNames.CONTENT_TYPE)).isEqualTo("text/plain");

        channel.writeInbound(new DefaultHttpContent(ascii("first ")));
        HttpContent first = channel.readOutbound();
        assertThat(first).isNotInstanceOf(LastHttpContent.class);
        assertThat(text(first)).isEqualTo("first ");

        channel.writeInbound(new DefaultHttpContent(ascii("second ")), new DefaultLastHttpContent(ascii("last")));
        HttpContent second = channel.readOutbound();
        assertThat(text(second)).isEqualTo("second ");
        HttpContent last = channel.readOutbound();
        assertThat(last).isInstanceOf(LastHttpContent.class);
        assertThat(text(last)).isEqualTo("last");
        assertThat(api.counters().echoedBytes()).isEqualTo(17);
        assertThat(api.counters().openExchanges()).isZero();
    }

    @Test
    void echoStopsReadingWhileItsAnswerCannotBeWritten() {
        channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(8, 16));
        channel.writeInbound(request(HttpMethod.POST, "/api/echo", grants.valid()));
        releaseOutbound();

        channel.writeOneInbound(new DefaultHttpContent(ascii("more than sixteen bytes of echo")));
        assertThat(channel.isWritable()).isFalse();
        assertThat(channel.config().isAutoRead()).isFalse();
        assertThat(api.counters().backpressurePauses()).isEqualTo(1);

        channel.flushInbound(); // read complete: the router flushes, the answer drains, reading resumes
        assertThat(channel.isWritable()).isTrue();
        assertThat(channel.config().isAutoRead()).isTrue();
        releaseOutbound();
        channel.writeInbound(LastHttpContent.EMPTY_LAST_CONTENT);
        assertThat(api.counters().openExchanges()).isZero();
    }

    @Test
    void echoAnswers100ContinueFirstWhenAsked() {
        HttpRequest post = request(HttpMethod.POST, "/api/echo", grants.valid());
        post.headers().set(HttpHeaderNames.EXPECT, "100-continue");
        HttpUtil.setContentLength(post, 2);
        channel.writeInbound(post);

        FullHttpResponse proceed = channel.readOutbound();
        assertThat(proceed.status().code()).isEqualTo(100);
        proceed.release();
        HttpResponse head = channel.readOutbound();
        assertThat(head.status().code()).isEqualTo(200);
        channel.writeInbound(new DefaultLastHttpContent(ascii("hi")));
        HttpContent last = channel.readOutbound();
        assertThat(text(last)).isEqualTo("hi");
    }

    @Test
    void aRefusedRequestThatWaitsFor100ContinueClosesTheConnection() {
        HttpRequest post = request(HttpMethod.POST, "/api/echo", grants.expired());
        post.headers().set(HttpHeaderNames.EXPECT, "100-continue");
        HttpUtil.setContentLength(post, 1000);
        channel.writeInbound(post);

        FullHttpResponse response = channel.readOutbound();
        assertThat(response.status().code()).isEqualTo(401);
        assertThat(HttpUtil.isKeepAlive(response)).isFalse();
        response.release();
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void aBodyOnGetIsDrainedAndTheConnectionServesTheNextRequest() {
        HttpRequest get = get("/api/info", grants.valid());
        HttpUtil.setContentLength(get, 10);
        channel.writeInbound(get);
        assertThat(statusAndWord()).startsWith("200");
        ByteBuf first = ascii("01234");
        ByteBuf second = ascii("56789");
        channel.writeInbound(new DefaultHttpContent(first), new DefaultLastHttpContent(second));
        assertThat(first.refCnt()).isZero();
        assertThat(second.refCnt()).isZero();

        channel.writeInbound(get("/api/info", grants.valid()), LastHttpContent.EMPTY_LAST_CONTENT);
        assertThat(statusAndWord()).startsWith("200");
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void anUnwantedBodyPastTheDrainLimitClosesTheConnection() {
        HttpRequest get = get("/api/info", grants.valid());
        HttpUtil.setTransferEncodingChunked(get, true);
        channel.writeInbound(get);
        assertThat(statusAndWord()).startsWith("200");
        for (int i = 0; channel.isOpen() && i < 100; i++) {
            channel.writeInbound(new DefaultHttpContent(Unpooled.wrappedBuffer(new byte[64 * 1024])));
        }
        assertThat(channel.isOpen()).isFalse();
        assertThat(api.counters().openExchanges()).isZero();
    }

    @Test
    void aPipelinedRequestIsNotAnsweredAndTheConnectionClosesAfterTheCurrentAnswer() {
        channel.freezeTime();
        channel.writeInbound(get("/api/stream?rate=1000&chunk=500&limit=1000", grants.valid()),
                LastHttpContent.EMPTY_LAST_CONTENT);
        channel.writeInbound(get("/api/info", grants.valid()), LastHttpContent.EMPTY_LAST_CONTENT);
        assertThat(channel.config().isAutoRead()).isFalse();

        channel.advanceTimeBy(2, TimeUnit.SECONDS);
        channel.runPendingTasks();
        channel.advanceTimeBy(2, TimeUnit.SECONDS);
        channel.runPendingTasks();

        HttpResponse head = channel.readOutbound();
        assertThat(head.status().code()).isEqualTo(200);
        Body body = readBody();
        assertThat(body.ended).isTrue();
        assertThat(body.bytes).hasSize(1000);
        Object unanswered = channel.readOutbound();
        assertThat(unanswered).as("no answer to the pipelined request").isNull();
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void malformedRequestsFromTheCodecAreAnsweredAndTheConnectionCloses() {
        HttpRequest tooLong = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/bad-request");
        tooLong.setDecoderResult(DecoderResult.failure(new TooLongHttpLineException("line too long")));
        channel.writeInbound(tooLong);
        FullHttpResponse response = channel.readOutbound();
        assertThat(response.status().code()).isEqualTo(414);
        assertThat(error(response).error()).isEqualTo("uri-too-long");
        response.release();
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void oversizedHeadersAre431() {
        HttpRequest big = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/api/info");
        big.setDecoderResult(DecoderResult.failure(new TooLongHttpHeaderException("headers too large")));
        channel.writeInbound(big);
        assertThat(statusAndWord()).isEqualTo("431 headers-too-large");
    }

    // --- helpers

    private static HttpRequest get(String uri, String grant) {
        return request(HttpMethod.GET, uri, grant);
    }

    private static HttpRequest request(HttpMethod method, String uri, String grant) {
        HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, method, uri);
        if (grant != null) {
            request.headers().set(HttpHeaderNames.AUTHORIZATION, "Bearer " + grant);
        }
        return request;
    }

    private String statusAndWord() {
        FullHttpResponse response = channel.readOutbound();
        try {
            return response.status().code() == 200 ? "200" : response.status().code() + " " + error(response).error();
        } finally {
            response.release();
        }
    }

    private static ApiError error(FullHttpResponse response) {
        return Json.read(ByteBufUtil.getBytes(response.content()), ApiError.class);
    }

    private static ByteBuf ascii(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII);
    }

    private static String text(HttpContent content) {
        try {
            return content.content().toString(StandardCharsets.US_ASCII);
        } finally {
            content.release();
        }
    }

    private void releaseOutbound() {
        Object o;
        while ((o = channel.readOutbound()) != null) {
            io.netty.util.ReferenceCountUtil.release(o);
        }
    }

    private record Body(byte[] bytes, List<Integer> chunkSizes, boolean ended) {
    }

    private Body readBody() {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        List<Integer> sizes = new ArrayList<>();
        boolean ended = false;
        Object o;
        while ((o = channel.readOutbound()) != null) {
            HttpContent content = (HttpContent) o;
            try {
                sizes.add(content.content().readableBytes());
                bytes.writeBytes(ByteBufUtil.getBytes(content.content()));
                if (content instanceof LastHttpContent) {
                    ended = true;
                    break;
                }
            } finally {
                content.release();
            }
        }
        return new Body(bytes.toByteArray(), sizes, ended);
    }

    static void assertPattern(byte[] bytes, long offset) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] != PacedStream.byteAt(offset + i)) {
                throw new AssertionError("byte " + (offset + i) + " is " + bytes[i] + ", not " + PacedStream.byteAt(offset + i));
            }
        }
    }
}
