package dev.outpost.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;

/**
 * A TCP relay on 127.0.0.1 that counts what passes, per direction: payload bytes, reads, and TLS
 * records (RFC 8446 section 5.1: a 5-byte header of type, version and length), so a link's idle
 * traffic is seen exactly as it would cross a network, without decrypting anything. It forwards bytes
 * unchanged; TLS runs end to end between recorder and cloud.
 */
final class CountingProxy implements AutoCloseable {
    /** Figures of one direction, since the proxy started. */
    record Counts(long bytes, long reads, long records, long applicationRecords) {
        Counts minus(Counts earlier) {
            return new Counts(bytes - earlier.bytes, reads - earlier.reads, records - earlier.records,
                    applicationRecords - earlier.applicationRecords);
        }
    }

    /** Counters of one direction, over all connections. */
    static final class Direction {
        final LongAdder bytes = new LongAdder();
        final LongAdder reads = new LongAdder();
        final LongAdder records = new LongAdder();
        final LongAdder applicationRecords = new LongAdder();

        Counts snapshot() {
            return new Counts(bytes.sum(), reads.sum(), records.sum(), applicationRecords.sum());
        }
    }

    final Direction upstream = new Direction();   // recorder -> cloud
    final Direction downstream = new Direction(); // cloud -> recorder
    final LongAdder accepted = new LongAdder();

    private final ServerSocket server;
    private final InetSocketAddress target;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

    CountingProxy(InetSocketAddress target) throws IOException {
        this.target = target;
        this.server = new ServerSocket(0, 1024, InetAddress.getLoopbackAddress());
        threads.execute(this::accept);
    }

    int port() {
        return server.getLocalPort();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                accepted.increment();
                Socket cloud = new Socket();
                cloud.setTcpNoDelay(true);
                client.setTcpNoDelay(true);
                cloud.connect(target);
                threads.execute(() -> pump(client, cloud, upstream));
                threads.execute(() -> pump(cloud, client, downstream));
            } catch (IOException e) {
                if (!server.isClosed()) {
                    System.err.println("proxy: " + e);
                }
            }
        }
    }

    private static void pump(Socket from, Socket to, Direction counts) {
        TlsRecordCounter records = new TlsRecordCounter();
        byte[] buffer = new byte[64 * 1024];
        try (from; to) {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            int n;
            while ((n = in.read(buffer)) >= 0) {
                counts.bytes.add(n);
                counts.reads.increment();
                records.feed(buffer, n, counts);
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // one side went away: closing both ends (try-with-resources) ends the other pump too
        }
    }

    /** Walks TLS record headers across reads; counts records, and application-data records apart. */
    static final class TlsRecordCounter {
        private final byte[] header = new byte[5];
        private int headerFill;
        private long bodyLeft;

        void feed(byte[] data, int length, Direction counts) {
            int i = 0;
            while (i < length) {
                if (bodyLeft > 0) {
                    int skip = (int) Math.min(bodyLeft, length - i);
                    bodyLeft -= skip;
                    i += skip;
                    continue;
                }
                header[headerFill++] = data[i++];
                if (headerFill == header.length) {
                    headerFill = 0;
                    bodyLeft = ((header[3] & 0xff) << 8) | (header[4] & 0xff);
                    counts.records.increment();
                    if (header[0] == 23) { // application_data
                        counts.applicationRecords.increment();
                    }
                }
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        threads.shutdownNow();
    }
}
