package dev.outpost.media.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outpost.media.h264.AccessUnit;
import dev.outpost.media.h264.NalUnits;
import dev.outpost.media.h264.SequenceParameterSet;
import dev.outpost.media.h264.SpsParser;
import dev.outpost.media.sdp.H264Track;
import dev.outpost.media.sdp.SessionDescription;
import dev.outpost.testkit.RtspCamera;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The codecs against a real sender: GStreamer's RTSP server ({@link RtspCamera}) describes its stream, our SDP
 * parser finds the track and its parameter sets, and the RTP it sends over TCP interleaved comes out of the
 * depacketizer as access units that FFmpeg decodes, every one. The RTSP exchange is the least that works (no
 * auth, one track), written here so this test does not depend on the RTSP client's API.
 */
class GStreamerCameraTest {
    private static final int UNITS = 40;
    private static RtspCamera camera;

    @BeforeAll
    static void start() {
        camera = RtspCamera.builder().mainSize(1280, 720).subSize(704, 576).fps(15).gop(10).start();
    }

    @AfterAll
    static void stop() {
        if (camera != null) {
            camera.close();
        }
    }

    @Test
    void mainStreamDepacketizesIntoUnitsFfmpegDecodes(@TempDir Path dir) throws Exception {
        List<AccessUnit> units = receive(RtspCamera.MAIN, 1280, 720);
        Path file = dir.resolve("main.h264");
        try (OutputStream out = Files.newOutputStream(file)) {
            for (AccessUnit unit : units) {
                out.write(NalUnits.avccToAnnexB(unit.avcc()));
            }
        }
        Process probe = new ProcessBuilder("ffprobe", "-v", "error", "-count_frames", "-select_streams", "v:0",
                "-show_entries", "stream=width,height,nb_read_frames", "-of", "csv=p=0", file.toString())
                .redirectErrorStream(true).start();
        String probed = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(probe.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(probed).isEqualTo("1280,720," + units.size());
        Process decode = new ProcessBuilder("ffmpeg", "-v", "error", "-i", file.toString(), "-f", "null", "-")
                .redirectErrorStream(true).start();
        String errors = new String(decode.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(decode.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(errors).as("decoder complaints").isEmpty();
    }

    @Test
    void subStreamIsD1() throws Exception {
        List<AccessUnit> units = receive(RtspCamera.SUB, 704, 576);
        assertThat(units.getFirst().keyframe()).isTrue();
    }

    /** DESCRIBE, SETUP and PLAY on one connection, then access units until {@link #UNITS} have come. */
    private static List<AccessUnit> receive(String mount, int width, int height) throws IOException {
        String url = camera.url(mount, false).toString();
        try (Socket socket = new Socket(camera.host(), camera.port())) {
            socket.setSoTimeout(10_000);
            DataInputStream in = new DataInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();

            Response describe = request(in, out, "DESCRIBE " + url, 1, "Accept: application/sdp");
            SessionDescription sdp = SessionDescription.parse(describe.body);
            String base = describe.headers.getOrDefault("content-base", url);
            H264Track track = sdp.videoTrack(base).orElseThrow();
            assertThat(track.controlUrl()).startsWith(url);
            assertThat(track.packetizationMode()).isEqualTo(1);
            SequenceParameterSet sprop = SpsParser.parse(track.sps().orElseThrow());
            assertThat(sprop.width()).isEqualTo(width);
            assertThat(sprop.height()).isEqualTo(height);

            Response setup = request(in, out, "SETUP " + track.controlUrl(), 2,
                    "Transport: RTP/AVP/TCP;unicast;interleaved=0-1");
            String session = setup.headers.get("session").split(";")[0];
            request(in, out, "PLAY " + sdp.aggregateControl(base), 3, "Session: " + session);

            List<AccessUnit> units = new ArrayList<>();
            H264Depacketizer depacketizer = new H264Depacketizer(units::add);
            depacketizer.seedParameterSets(track.sps().orElseThrow(), track.pps().orElseThrow());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (units.size() < UNITS && System.nanoTime() < deadline) {
                int first = in.readUnsignedByte();
                assertThat(first).as("interleaved frame marker").isEqualTo('$');
                int channel = in.readUnsignedByte();
                byte[] frame = new byte[in.readUnsignedShort()];
                in.readFully(frame);
                if (channel == 0) {
                    depacketizer.push(RtpPacket.parse(frame));
                }
            }
            assertThat(units).hasSize(UNITS);
            H264Depacketizer.Stats stats = depacketizer.stats();
            assertThat(stats.lostPackets() + stats.latePackets() + stats.malformedPackets()).isZero();
            assertThat(depacketizer.streamFormat().orElseThrow().width()).isEqualTo(width);
            assertThat(units.getFirst().keyframe()).isTrue();
            assertThat(units).filteredOn(AccessUnit::keyframe).hasSizeGreaterThanOrEqualTo(3);
            for (int i = 1; i < units.size(); i++) {
                assertThat(units.get(i).pts90k() - units.get(i - 1).pts90k()).as("15 fps").isEqualTo(6000);
            }
            return units;
        }
    }

    private record Response(Map<String, String> headers, String body) {
    }

    private static Response request(DataInputStream in, OutputStream out, String line, int cseq, String header)
            throws IOException {
        out.write((line + " RTSP/1.0\r\nCSeq: " + cseq + "\r\n" + header + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        String status = readLine(in);
        assertThat(status).as(line).startsWith("RTSP/1.0 200");
        Map<String, String> headers = new LinkedHashMap<>();
        for (String h = readLine(in); !h.isEmpty(); h = readLine(in)) {
            int colon = h.indexOf(':');
            headers.put(h.substring(0, colon).strip().toLowerCase(Locale.ROOT), h.substring(colon + 1).strip());
        }
        byte[] body = new byte[Integer.parseInt(headers.getOrDefault("content-length", "0"))];
        in.readFully(body);
        return new Response(headers, new String(body, StandardCharsets.UTF_8));
    }

    private static String readLine(DataInputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0 || line.size() > 4096) {
                throw new IOException("RTSP response ended or ran on: " + line);
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.UTF_8);
    }
}
