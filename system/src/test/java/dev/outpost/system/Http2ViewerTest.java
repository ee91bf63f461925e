package dev.outpost.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outpost.client.OutpostClient;
import dev.outpost.client.RelayResponse;
import dev.outpost.recorder.Recorder;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Viewers that offer HTTP/2 get it: many relayed streams at once on one connection (a 16-tile grid in a browser,
 * which allows HTTP/1.1 only 6 connections per host), each with its own flow control, and a stream the viewer
 * cancels ends on its own while the others go on.
 */
class Http2ViewerTest {
    private static final int STREAMS = 16;
    private static final int BYTES = 300_000;

    @Test
    void sixteenRelayedStreamsAtOnceOverHttp2EachWhole(@TempDir Path dir) throws Exception {
        try (Site site = Site.start(dir);
             ExecutorService readers = Executors.newVirtualThreadPerTaskExecutor()) {
            Recorder recorder = site.recorder("Shop");
            String id = recorder.identity().recorderId();
            OutpostClient viewer = site.adminOverHttp2();

            // One stream the viewer gives up on at once, and sixteen it reads to the end, all at the same time.
            RelayResponse abandoned = viewer.relayGet(id, "/api/stream?rate=100000");
            assertThat(abandoned.protocol()).isEqualTo("HTTP/2");
            List<RelayResponse> responses = new ArrayList<>();
            for (int i = 0; i < STREAMS; i++) {
                responses.add(viewer.relayGet(id, "/api/stream?rate=400000&limit=" + BYTES));
            }
            abandoned.close();
            List<Future<Long>> read = new ArrayList<>();
            for (RelayResponse response : responses) {
                assertThat(response.status()).isEqualTo(200);
                assertThat(response.protocol()).isEqualTo("HTTP/2");
                read.add(readers.submit((Callable<Long>) () -> checkedBytes(response)));
            }
            for (Future<Long> bytes : read) {
                assertThat(bytes.get()).isEqualTo(BYTES);
            }
            responses.forEach(RelayResponse::close);

            // The connection still serves after a cancelled stream.
            try (RelayResponse info = viewer.relayGet(id, "/api/info")) {
                assertThat(info.status()).isEqualTo(200);
                assertThat(info.protocol()).isEqualTo("HTTP/2");
            }
        }
    }

    /** Reads a paced stream to its end, checking every byte is the pattern's (byte i is i mod 251). */
    private static long checkedBytes(RelayResponse response) throws Exception {
        long n = 0;
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = response.body()) {
            int got;
            while ((got = in.read(buffer)) >= 0) {
                for (int i = 0; i < got; i++) {
                    if (buffer[i] != (byte) ((n + i) % 251)) {
                        throw new AssertionError("byte " + (n + i) + " is " + buffer[i]);
                    }
                }
                n += got;
            }
        }
        return n;
    }
}
