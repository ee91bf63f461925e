package dev.outpost.media.sdp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.fail;

import dev.outpost.media.h264.SpsParser;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Descriptions in the shapes cameras send in answer to DESCRIBE. The camera ones are written for these
 * tests after the layouts those firmwares use (their attribute order, their quirks: Hikvision's absolute
 * controls with a query and a profile-level-id that disagrees with its SPS, Dahua's Content-Base that ends
 * in a query plus "/", Axis's and GStreamer's relative "stream=0"); the FFmpeg one is what
 * {@code ffmpeg -i out.h264 -c copy -f rtp -sdp_file x.sdp rtp://127.0.0.1:5004} wrote, byte for byte.
 */
class SessionDescriptionTest {
    static final String HIKVISION = """
            v=0\r
            o=- 1109162014219182 1109162014219192 IN IP4 192.168.1.64\r
            s=Media Presentation\r
            e=NONE\r
            b=AS:5100\r
            t=0 0\r
            a=control:rtsp://192.168.1.64:554/Streaming/Channels/101/?transportmode=unicast\r
            m=video 0 RTP/AVP 96\r
            c=IN IP4 0.0.0.0\r
            b=AS:5000\r
            a=recvonly\r
            a=x-dimensions:1920,1080\r
            a=control:rtsp://192.168.1.64:554/Streaming/Channels/101/trackID=1?transportmode=unicast\r
            a=rtpmap:96 H264/90000\r
            a=fmtp:96 profile-level-id=420029; packetization-mode=1; sprop-parameter-sets=Z00AKpY1QPAET8s3AQEBAg==,aO48gA==\r
            m=application 0 RTP/AVP 107\r
            c=IN IP4 0.0.0.0\r
            b=AS:5000\r
            a=recvonly\r
            a=control:rtsp://192.168.1.64:554/Streaming/Channels/101/trackID=3?transportmode=unicast\r
            a=rtpmap:107 isapi.metadata/90000\r
            a=Media_header:MEDIAINFO=494D4B48010200000400000100000000000000000000000000000000000000000000000000000000;\r
            a=appversion:1.0\r
            """;

    static final String DAHUA = """
            v=0\r
            o=- 2251938202 2251938202 IN IP4 0.0.0.0\r
            s=Media Server\r
            c=IN IP4 0.0.0.0\r
            t=0 0\r
            a=control:*\r
            a=packetization-supported:DH\r
            a=rtppayload-supported:DH\r
            a=range:npt=now-\r
            m=video 0 RTP/AVP 96\r
            a=control:trackID=0\r
            a=framerate:20.000000\r
            a=rtpmap:96 H264/90000\r
            a=fmtp:96 packetization-mode=1;profile-level-id=4D4032;sprop-parameter-sets=Z01AMuygFABa2AiAAAADAIAAABQHjBjL,aOvjyyA=\r
            a=recvonly\r
            m=audio 0 RTP/AVP 8\r
            a=control:trackID=1\r
            a=rtpmap:8 PCMA/8000\r
            a=recvonly\r
            """;

    static final String AXIS = """
            v=0\r
            o=- 11984823016386563297 1 IN IP4 192.168.0.90\r
            s=Session streamed with GStreamer\r
            i=rtsp-server\r
            t=0 0\r
            a=tool:GStreamer\r
            a=type:broadcast\r
            a=range:npt=now-\r
            a=control:rtsp://192.168.0.90/axis-media/media.amp?videocodec=h264&resolution=1920x1080\r
            m=video 0 RTP/AVP 96\r
            c=IN IP4 0.0.0.0\r
            b=AS:50000\r
            a=rtpmap:96 H264/90000\r
            a=fmtp:96 packetization-mode=1;profile-level-id=42c028;sprop-parameter-sets=Z0LAKNkAeAIn5cBEAAADAAQAAAMAyDxgySA=,aMuDyyA=\r
            a=ts-refclk:local\r
            a=mediaclk:sender\r
            a=recvonly\r
            a=control:rtsp://192.168.0.90/axis-media/media.amp/stream=0?videocodec=h264&resolution=1920x1080\r
            a=framerate:25.000000\r
            a=transform:1.000000,0.000000,0.000000;0.000000,1.000000,0.000000;0.000000,0.000000,1.000000\r
            """;

    /** GStreamer's rtsp-server (test-launch), which ends lines with CRLF too; here LF, as some proxies pass it. */
    static final String GSTREAMER = """
            v=0
            o=- 1188340656180883 1 IN IP4 127.0.0.1
            s=Session streamed with GStreamer
            i=rtsp-server
            t=0 0
            a=tool:GStreamer
            a=type:broadcast
            a=control:*
            a=range:npt=now-
            m=video 0 RTP/AVP 96
            c=IN IP4 0.0.0.0
            b=AS:2097
            a=rtpmap:96 H264/90000
            a=framerate:15
            a=fmtp:96 packetization-mode=1;sprop-parameter-sets=Z2QAH6zZQFAFuwEQAAADABAAAAMB4PGDGWA,aOvjyyLA;profile-level-id=64001f;level-asymmetry-allowed=1
            a=control:stream=0
            a=ts-refclk:local
            a=mediaclk:sender

            """;

    static final String FFMPEG = "v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=No Name\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
            + "a=tool:libavformat LIBAVFORMAT_VERSION\r\nm=video 5004 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\n"
            + "a=fmtp:96 packetization-mode=1; sprop-parameter-sets=Z2QAH6zZQFAFuwEQAAADABAAAAMB4PGDGWA=,aOvjyyLA;"
            + " profile-level-id=64001F\r\n";

    @Test
    void hikvision() {
        SessionDescription sdp = SessionDescription.parse(HIKVISION);
        assertThat(sdp.sessionName()).isEqualTo("Media Presentation");
        assertThat(sdp.media()).extracting(MediaDescription::media).containsExactly("video", "application");
        H264Track track = sdp.videoTrack("rtsp://192.168.1.64:554/Streaming/Channels/101/").orElseThrow();
        assertThat(track.controlUrl())
                .isEqualTo("rtsp://192.168.1.64:554/Streaming/Channels/101/trackID=1?transportmode=unicast");
        assertThat(track.payloadType()).isEqualTo(96);
        assertThat(track.clockRate()).isEqualTo(90_000);
        assertThat(track.packetizationMode()).isEqualTo(1);
        assertThat(track.profileLevelId()).hasValue(0x420029);
        assertThat(HexFormat.of().formatHex(track.sps().orElseThrow())).isEqualTo("674d002a963540f0044fcb3701010102");
        assertThat(HexFormat.of().formatHex(track.pps().orElseThrow())).isEqualTo("68ee3c80");
        assertThat(SpsParser.parse(track.sps().orElseThrow()).height()).isEqualTo(1080);
        assertThat(track.frameRate()).isEmpty();
        assertThat(sdp.aggregateControl("rtsp://192.168.1.64:554/Streaming/Channels/101/"))
                .isEqualTo("rtsp://192.168.1.64:554/Streaming/Channels/101/?transportmode=unicast");
        assertThat(sdp.media().get(1).attributes()).extracting(Attribute::name).contains("Media_header", "appversion");
    }

    @Test
    void dahua() {
        SessionDescription sdp = SessionDescription.parse(DAHUA);
        String base = "rtsp://192.168.1.108:554/cam/realmonitor?channel=1&subtype=0/";
        H264Track track = sdp.videoTrack(base).orElseThrow();
        assertThat(track.controlUrl()).isEqualTo(base + "trackID=0");
        assertThat(track.frameRate()).hasValue(20.0);
        assertThat(track.profileLevelId()).hasValue(0x4D4032);
        assertThat(SpsParser.parse(track.sps().orElseThrow()).width()).isEqualTo(2560);
        assertThat(sdp.aggregateControl(base)).isEqualTo(base);
        assertThat(sdp.connection()).hasValue("0.0.0.0");
        assertThat(sdp.media().get(1).rtpMaps().get(8)).isEqualTo(new RtpMap(8, "PCMA", 8000, ""));
    }

    @Test
    void axis() {
        SessionDescription sdp = SessionDescription.parse(AXIS);
        H264Track track = sdp.videoTrack("rtsp://192.168.0.90/axis-media/media.amp/").orElseThrow();
        assertThat(track.controlUrl())
                .isEqualTo("rtsp://192.168.0.90/axis-media/media.amp/stream=0?videocodec=h264&resolution=1920x1080");
        assertThat(track.frameRate()).hasValue(25.0);
        assertThat(SpsParser.parse(track.sps().orElseThrow()).height()).isEqualTo(1080);
    }

    @Test
    void gstreamer() {
        SessionDescription sdp = SessionDescription.parse(GSTREAMER);
        H264Track track = sdp.videoTrack("rtsp://127.0.0.1:8554/test/").orElseThrow();
        assertThat(track.controlUrl()).isEqualTo("rtsp://127.0.0.1:8554/test/stream=0");
        assertThat(track.frameRate()).hasValue(15.0);
        assertThat(track.sps().orElseThrow()).as("base64 without padding")
                .isEqualTo(HexFormat.of().parseHex("6764001facd9405005bb0110000003001000000301e0f1831960"));
        assertThat(sdp.videoTrack("rtsp://127.0.0.1:8554/test").orElseThrow().controlUrl())
                .as("a base without its trailing slash").isEqualTo("rtsp://127.0.0.1:8554/test/stream=0");
    }

    @Test
    void ffmpeg() {
        SessionDescription sdp = SessionDescription.parse(FFMPEG);
        H264Track track = sdp.videoTrack("rtsp://127.0.0.1/live").orElseThrow();
        assertThat(track.controlUrl()).as("no control: the base itself").isEqualTo("rtsp://127.0.0.1/live");
        assertThat(track.profileLevelId()).hasValue(0x64001F);
        assertThat(sdp.media().getFirst().port()).isEqualTo(5004);
        assertThat(sdp.media().getFirst().formatParameters().get(96))
                .containsEntry("packetization-mode", "1").containsEntry("profile-level-id", "64001F");
    }

    @Test
    void lineEndsDoNotMatter() {
        SessionDescription crlf = SessionDescription.parse(DAHUA);
        SessionDescription lf = SessionDescription.parse(DAHUA.replace("\r\n", "\n"));
        SessionDescription cr = SessionDescription.parse(DAHUA.replace("\r\n", "\r"));
        assertThat(lf).isEqualTo(crlf);
        assertThat(cr).isEqualTo(crlf);
    }

    @Test
    void unknownLinesAndTrailingSpacesAreTolerated() {
        SessionDescription sdp = SessionDescription.parse("""
                v=0
                o=- 1 1 IN IP4 10.0.0.2  \s
                s=
                x=something new
                u=http://example.com/
                z=0 0
                t=0 0
                a=sendonly
                m=video 0 RTP/AVP/TCP 97 96
                a=rtpmap:96 H265/90000
                a=rtpmap:97   h264/90000
                a=fmtp:97 packetization-mode=0;;
                a=x-unknown
                """);
        H264Track track = sdp.videoTrack("rtsp://10.0.0.2/s").orElseThrow();
        assertThat(track.payloadType()).isEqualTo(97);
        assertThat(track.packetizationMode()).isZero();
        assertThat(track.sps()).isEmpty();
        assertThat(track.profileLevelId()).isEmpty();
        assertThat(sdp.origin()).isEqualTo("- 1 1 IN IP4 10.0.0.2");
    }

    @Test
    void aDescriptionWithoutH264HasNoVideoTrack() {
        SessionDescription sdp = SessionDescription.parse("""
                v=0
                m=video 0 RTP/AVP 96
                a=rtpmap:96 H265/90000
                m=audio 0 RTP/AVP 0
                """);
        assertThat(sdp.videoTrack("rtsp://cam/")).isEmpty();
    }

    @Test
    void controlsResolveAsCamerasExpect() {
        assertThat(SessionDescription.resolveControl("rtsp://cam/a/", "*")).isEqualTo("rtsp://cam/a/");
        assertThat(SessionDescription.resolveControl("rtsp://cam/a", "trackID=1")).isEqualTo("rtsp://cam/a/trackID=1");
        assertThat(SessionDescription.resolveControl("rtsp://cam/a/", "trackID=1")).isEqualTo("rtsp://cam/a/trackID=1");
        assertThat(SessionDescription.resolveControl("rtsp://cam:554/a/b?x=1", "/live/track1"))
                .isEqualTo("rtsp://cam:554/live/track1");
        assertThat(SessionDescription.resolveControl("rtsp://cam/a/", "RTSP://other/x")).isEqualTo("RTSP://other/x");
        assertThat(SessionDescription.resolveControl("rtsp://cam/a/", "rtsps://other/x")).isEqualTo("rtsps://other/x");
    }

    @Test
    void malformedLinesAreNamed() {
        assertError("", 0, "no v=0");
        assertError("o=- 1 1 IN IP4 1.2.3.4\n", 1, "starts with v=0");
        assertError("v=1\n", 1, "starts with v=0");
        assertError("\n\nv=0\nv=0\n", 4, "second v=");
        assertError("v=0\nthis is not sdp\n", 2, "expected <type>=<value>");
        assertError("v=0\n=x\n", 2, "expected <type>=<value>");
        assertError("v=0\n1=x\n", 2, "expected <type>=<value>");
        assertError("v=0\ns=a\u0000b\n", 2, "control character 0x0");
        assertError("v=0\nc=IN IP4\n", 2, "c= needs");
        assertError("v=0\nt=now\n", 2, "t= needs");
        assertError("v=0\nm=video 0 RTP/AVP\n", 2, "m= needs");
        assertError("v=0\nm=video 70000 RTP/AVP 96\n", 2, "port \"70000\"");
        assertError("v=0\nm=video x RTP/AVP 96\n", 2, "port \"x\"");
        assertError("v=0\nm=video 0 RTP/AVP 96\na=rtpmap:96 H264\n", 3, "a=rtpmap needs");
        assertError("v=0\nm=video 0 RTP/AVP 96\na=rtpmap:96 H264/0\n", 3, "a=rtpmap needs");
        assertError("v=0\nm=video 0 RTP/AVP 96\na=rtpmap:128 H264/90000\n", 3, "payload type \"128\"");
        assertError("v=0\nm=video 0 RTP/AVP 96\na=fmtp:x packetization-mode=1\n", 3, "a=fmtp payload type \"x\"");
        assertError("v=0\nm=video 0 RTP/AVP 96\na=control:\n", 3, "a=control without a URL");
        assertError("v=0\na=control\n", 2, "a=control without a URL");
        assertError("v=0\nm=video 0 RTP/AVP 96\na=framerate:fast\n", 3, "a=framerate \"fast\"");
        assertError("v=0\nm=video 0 RTP/AVP 96\na=framerate:-5\n", 3, "a=framerate");
        assertError("v=0\na=\n", 2, "attribute without a name");
    }

    @Test
    void malformedH264ParametersAreNamed() {
        assertTrackError("a=rtpmap:96 H264/8000\n", "90000 Hz clock");
        assertTrackError("a=rtpmap:96 H264/90000\na=fmtp:96 packetization-mode=3\n", "packetization-mode \"3\"");
        assertTrackError("a=rtpmap:96 H264/90000\na=fmtp:96 profile-level-id=42e0\n", "profile-level-id \"42e0\"");
        assertTrackError("a=rtpmap:96 H264/90000\na=fmtp:96 sprop-parameter-sets=Z00AKpY1,a*E=\n",
                "sprop-parameter-sets entry 2 is not base64");
    }

    @Test
    void boundsAreEnforced() {
        assertThat(catchThrowableOfType(SdpException.class,
                () -> SessionDescription.parse("v=0\n" + "a=x\n".repeat(20_000))))
                .hasMessageContaining("longer than the 65536");
        assertThat(catchThrowableOfType(SdpException.class,
                () -> SessionDescription.parse("v=0\n" + "a=x\n".repeat(SessionDescription.MAX_LINES))))
                .hasMessageContaining("more than 1024 lines");
        assertThat(catchThrowableOfType(SdpException.class,
                () -> SessionDescription.parse("v=0\ns=" + "x".repeat(5000) + "\n")))
                .hasMessageContaining("line 2").hasMessageContaining("5002 characters");
    }

    @Test
    void mutatedDescriptionsFailOnlyWithSdpException() {
        Random random = new Random(8866);
        String[] seeds = {HIKVISION, DAHUA, AXIS, GSTREAMER, FFMPEG};
        String alphabet = "=:/ \r\n;,*0123456789aAvmoscta-_.\u00e9\t";
        int parsed = 0;
        for (int i = 0; i < 5000; i++) {
            StringBuilder text = new StringBuilder(seeds[i % seeds.length]);
            for (int m = 1 + random.nextInt(5); m > 0 && !text.isEmpty(); m--) {
                int at = random.nextInt(text.length());
                switch (random.nextInt(4)) {
                    case 0 -> text.deleteCharAt(at);
                    case 1 -> text.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
                    case 2 -> text.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
                    default -> text.setLength(at);
                }
            }
            try {
                SessionDescription sdp = SessionDescription.parse(text.toString());
                sdp.videoTrack("rtsp://cam/base/");
                sdp.aggregateControl("rtsp://cam/base/");
                parsed++;
            } catch (SdpException expected) {
                assertThat(expected.getMessage()).startsWith("SDP");
            } catch (RuntimeException e) {
                fail("input " + text.toString().replace("\r", "\\r").replace("\n", "\\n") + " threw " + e, e);
            }
        }
        assertThat(parsed).isGreaterThan(1000);
    }

    private static void assertError(String text, int line, String message) {
        SdpException e = catchThrowableOfType(SdpException.class, () -> SessionDescription.parse(text));
        assertThat(e).as(text).isNotNull().hasMessageContaining(message);
        assertThat(e.line()).as(text).isEqualTo(line);
        if (line > 0) {
            assertThat(e).hasMessageStartingWith("SDP line " + line + ": ");
        }
    }

    private static void assertTrackError(String attributes, String message) {
        SessionDescription sdp = SessionDescription.parse("v=0\nm=video 0 RTP/AVP 96\n" + attributes);
        assertThatThrownBy(() -> sdp.videoTrack("rtsp://cam/")).isInstanceOf(SdpException.class)
                .hasMessageContaining("payload type 96").hasMessageContaining(message);
    }
}
