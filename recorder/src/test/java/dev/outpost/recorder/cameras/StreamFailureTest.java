package dev.outpost.recorder.cameras;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outpost.media.rtsp.RtspResponse;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.DecoderException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** Failures in plain words, and whether a person must act; the session timeout from SETUP's answer. */
class StreamFailureTest {
    private static final String CAMERA = "the camera at 10.0.0.5:554";

    @Test
    void answersBecomeWordsAnInstallerCanActOn() {
        assertThat(StreamFailure.of("DESCRIBE", answer(401, "Unauthorized"), CAMERA))
                .satisfies(f -> assertThat(f.kind()).isEqualTo(StreamFailure.Kind.AUTHENTICATION))
                .hasMessageStartingWith("authentication refused by the camera at 10.0.0.5:554");
        assertThat(StreamFailure.of("DESCRIBE", answer(404, "Not Found"), CAMERA).getMessage()).startsWith("not found");
        assertThat(StreamFailure.of("SETUP over UDP", answer(461, "Unsupported Transport"), CAMERA).getMessage())
                .startsWith("unsupported transport").contains("SETUP over UDP");
        assertThat(StreamFailure.of("PLAY", answer(503, "Service Unavailable"), CAMERA).kind().needsAttention())
                .isFalse();
    }

    @Test
    void networkErrorsBecomeWordsToo() {
        assertThat(StreamFailure.of(new CompletionException(new ConnectException("refused")), CAMERA))
                .satisfies(f -> assertThat(f.kind()).isEqualTo(StreamFailure.Kind.UNREACHABLE))
                .hasMessageStartingWith("unreachable").hasMessageContaining("554");
        assertThat(StreamFailure.of(new ConnectTimeoutException("x"), CAMERA).getMessage()).startsWith("unreachable");
        assertThat(StreamFailure.of(new UnknownHostException("cannot resolve camera host cam.local"), CAMERA)
                .getMessage()).startsWith("unreachable: cannot resolve camera host cam.local");
        assertThat(StreamFailure.of(new TimeoutException("camera did not answer PLAY within 10 s"), CAMERA).kind())
                .isEqualTo(StreamFailure.Kind.TIMEOUT);
        assertThat(StreamFailure.of(new DecoderException(new dev.outpost.media.rtsp.RtspFormatException("bad status")),
                CAMERA).getMessage()).startsWith("the camera broke RTSP");
        assertThat(StreamFailure.of(new java.io.IOException("the camera closed the RTSP connection"), CAMERA)
                .kind().needsAttention()).isFalse();
    }

    @Test
    void theSessionTimeoutComesFromSetupsSessionHeader() {
        assertThat(StreamSession.sessionTimeout(Optional.of("12345678;timeout=30"))).isEqualTo(Duration.ofSeconds(30));
        assertThat(StreamSession.sessionTimeout(Optional.of("12345678; Timeout = 90"))).isEqualTo(Duration.ofSeconds(90));
        assertThat(StreamSession.sessionTimeout(Optional.of("12345678"))).isEqualTo(Duration.ofSeconds(60));
        assertThat(StreamSession.sessionTimeout(Optional.of("1;timeout=0"))).isEqualTo(Duration.ofSeconds(60));
        assertThat(StreamSession.sessionTimeout(Optional.empty())).isEqualTo(Duration.ofSeconds(60));
    }

    private static RtspResponse answer(int status, String reason) {
        return new RtspResponse(status, reason, Map.of("CSeq", List.of("1")), new byte[0]);
    }
}
