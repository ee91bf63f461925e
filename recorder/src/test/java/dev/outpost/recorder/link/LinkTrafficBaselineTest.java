package dev.outpost.recorder.link;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outpost.recorder.cameras.CameraStatus;
import dev.outpost.recorder.health.CameraPictures;
import dev.outpost.recorder.health.HealthMonitor;
import dev.outpost.recorder.health.HealthSettings;
import dev.outpost.recorder.live.LiveHubs;
import dev.outpost.recorder.outbox.DataUsage;
import dev.outpost.recorder.outbox.Outbox;
import dev.outpost.recorder.recording.RecordingSink;
import dev.outpost.recorder.recording.Recordings;
import dev.outpost.recorder.recording.Retention;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.util.ReferenceCountUtil;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The link's baseline as the health monitor counts it from {@link LinkTraffic}: a stream's content is counted as it
 * is written, the connection's bytes when TLS sends them, so a check can fall between the two; only the link's own
 * bytes (framing, heartbeats) are baseline, however the checks fall.
 */
class LinkTrafficBaselineTest {

    @Test
    void contentCountedBeforeItsBytesLeaveIsNotCountedAsBaseline(@TempDir Path dir) throws Exception {
        Clock clock = Clock.systemUTC();
        LinkTraffic traffic = new LinkTraffic();
        EmbeddedChannel connection = new EmbeddedChannel(traffic.wireCounter());
        EmbeddedChannel stream = new EmbeddedChannel(traffic.contentCounter());
        try (Recordings recordings = Recordings.open(dir.resolve("recordings"), RecordingSink.Settings.DEFAULTS,
                new Retention.Limits(1L << 30, Duration.ofDays(1)), clock)) {
            Outbox outbox = Outbox.open(dir.resolve("outbox"), Outbox.Limits.DEFAULTS, clock,
                    DataUsage.open(dir.resolve("usage.json"), clock));
            LinkStatus online = new LinkStatus(LinkStatus.State.ONLINE, Instant.now(), Optional.empty(), false,
                    Optional.empty(), Optional.empty(), 0);
            HealthMonitor monitor = new HealthMonitor(HealthSettings.DEFAULTS.withDayNightTimes(List.of()), outbox,
                    clock, Map::<String, CameraStatus>of, () -> online, recordings, dir.resolve("recordings"),
                    new CameraPictures(new LiveHubs()), dir.resolve("health"));
            monitor.countLinkTraffic(traffic);

            connection.writeOutbound(Unpooled.wrappedBuffer(new byte[55])); // a heartbeat
            monitor.check();
            // An image's 36,000 bytes are written on their stream; TLS has not sent them when the next check runs.
            stream.writeOutbound(new DefaultHttp2DataFrame(Unpooled.wrappedBuffer(new byte[36_000]), true));
            monitor.check();
            // Then they leave, with 120 bytes of HTTP/2 and TLS framing.
            connection.writeOutbound(Unpooled.wrappedBuffer(new byte[36_120]));
            monitor.check();
            monitor.check();

            assertThat(outbox.usage().view().last30Days().get(DataUsage.BASELINE)).as("the heartbeat and the framing")
                    .isEqualTo(55 + 120);
            monitor.close();
        } finally {
            releaseAll(connection);
            releaseAll(stream);
        }
    }

    private static void releaseAll(EmbeddedChannel channel) {
        for (Object message; (message = channel.readOutbound()) != null; ) {
            ReferenceCountUtil.release(message);
        }
        channel.finishAndReleaseAll();
    }
}
