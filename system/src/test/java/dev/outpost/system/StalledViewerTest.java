package dev.outpost.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.outpost.client.OutpostClient;
import dev.outpost.client.RelayResponse;
import dev.outpost.recorder.Recorder;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fifty viewers stream from one recorder over one link; one of them stops reading. The other 49 keep
 * their rate, and what the stalled one leaves unread stays bounded by its stream's flow-control
 * window instead of piling up in the cloud.
 */
class StalledViewerTest {
    static final int VIEWERS = 50;
    static final long RATE = 200_000; // bytes per second per viewer
    static final Duration WINDOW = Duration.ofSeconds(4);

    @Test
    void oneStalledViewerNeitherSlowsTheOthersNorGrowsTheCloud(@TempDir Path dir) throws Exception {
        try (Site site = Site.start(dir, c -> c.withMaxStreamsPerRecorder(64));
             ExecutorService readers = Executors.newVirtualThreadPerTaskExecutor()) {
            Recorder recorder = site.recorder("Busy site");
            OutpostClient viewer = site.admin();
            String id = recorder.identity().recorderId();

            // The stalled viewer asks for as much as the link will carry, then reads nothing.
            RelayResponse stalled = viewer.relayGet(id, "/api/stream?rate=0&chunk=65536");
            assertThat(stalled.status()).isEqualTo(200);

            List<AtomicLong> received = new ArrayList<>();
            List<RelayResponse> streams = new ArrayList<>();
            for (int i = 0; i < VIEWERS - 1; i++) {
                RelayResponse response = viewer.relayGet(id, "/api/stream?rate=" + RATE + "&chunk=8192");
                assertThat(response.status()).isEqualTo(200);
                streams.add(response);
                AtomicLong count = new AtomicLong();
                received.add(count);
                readers.submit(() -> {
                    byte[] buffer = new byte[16 * 1024];
                    try (InputStream in = response.body()) {
                        int n;
                        while ((n = in.read(buffer)) >= 0) {
                            count.addAndGet(n);
                        }
                    }
                    return null;
                });
            }

            long startBytes = received.stream().mapToLong(AtomicLong::get).sum();
            long[] before = received.stream().mapToLong(AtomicLong::get).toArray();
            long expectedEach = (long) (RATE * WINDOW.toMillis() / 1000.0 * 0.75);
            // Every one of the 49 gets at least 75% of its rate over the window, stalled neighbour or not.
            await("49 viewers at their rate").atMost(WINDOW.multipliedBy(2)).pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        for (int i = 0; i < before.length; i++) {
                            if (received.get(i).get() - before[i] < expectedEach) {
                                return false;
                            }
                        }
                        return true;
                    });

            long delivered = received.stream().mapToLong(AtomicLong::get).sum();
            long producedByRecorder = recorder.apiCounters().streamedBytes();
            long heldForStalled = producedByRecorder - delivered;
            System.out.printf("49 viewers got %d bytes in all; the recorder produced %d; held for the stalled viewer: %d%n",
                    delivered, producedByRecorder, heldForStalled);
            // The stalled stream may hold its HTTP/2 window (1 MiB) plus socket and TLS buffers on the way,
            // never what an unthrottled stream would produce in these seconds (hundreds of MB).
            assertThat(heldForStalled).as("bytes produced for the stalled viewer and not read")
                    .isLessThan(12L * 1024 * 1024);
            assertThat(delivered - startBytes).isGreaterThan(expectedEach * (VIEWERS - 1));
            assertThat(recorder.apiCounters().backpressurePauses()).isPositive();

            stalled.close();
            streams.forEach(RelayResponse::close);
        }
    }
}
