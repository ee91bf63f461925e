package dev.outpost.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A never-ending response read across paths (see {@link RecorderConnection#openLive}). A virtual thread copies
 * the current path's body into a bounded queue (64 chunks: when the reader of this stream is slow, the copier
 * waits, so backpressure reaches the path); {@link #read} waits at most the stall time for the next chunk. A
 * stall, an end or an error makes it race the paths again without the failed one's kind and carry on.
 */
final class FailoverStream extends InputStream {
    private static final int CHUNK = 16 * 1024;
    private static final int QUEUE_CHUNKS = 64;
    /** How many path switches one stream makes before it gives up. */
    private static final int MAX_SWITCHES = 8;

    private record Chunk(int generation, byte[] bytes, int length, IOException failure) {
        boolean end() {
            return bytes == null;
        }
    }

    private final RecorderConnection connection;
    private final String apiPath;
    private final Duration stall;
    private final Consumer<RecorderPath> onSwitch;
    private final BlockingQueue<Chunk> queue = new ArrayBlockingQueue<>(QUEUE_CHUNKS);
    private final Set<String> failedKinds = new HashSet<>();
    private volatile int generation;
    private RelayResponse current;
    private Chunk pending;
    private int pendingOffset;
    private int switches;
    private volatile boolean closed;

    FailoverStream(RecorderConnection connection, String apiPath, Duration stall, Consumer<RecorderPath> onSwitch)
            throws IOException, InterruptedException {
        this.connection = connection;
        this.apiPath = apiPath;
        this.stall = stall;
        this.onSwitch = onSwitch;
        start(connection.get(apiPath).requireSuccess());
    }

    private void start(RelayResponse response) {
        current = response;
        int mine = ++generation;
        InputStream body = response.body();
        Thread.ofVirtual().name("failover-copy-" + mine).start(() -> {
            try {
                while (true) {
                    byte[] buffer = new byte[CHUNK];
                    int n = body.read(buffer);
                    if (n < 0) {
                        offer(new Chunk(mine, null, 0, new IOException("the stream ended")), mine);
                        return;
                    }
                    if (!offer(new Chunk(mine, buffer, n, null), mine)) {
                        return;
                    }
                }
            } catch (IOException e) {
                offer(new Chunk(mine, null, 0, e), mine);
            }
        });
    }

    /** Queues a chunk unless this copier's path was left behind; false once it was. */
    private boolean offer(Chunk chunk, int mine) {
        try {
            while (!queue.offer(chunk, 100, TimeUnit.MILLISECONDS)) {
                if (mine != generation || closed) {
                    return false;
                }
            }
            return mine == generation;
        } catch (InterruptedException e) {
            return false;
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] into, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        while (pending == null) {
            if (closed) {
                throw new IOException("the stream was closed");
            }
            Chunk next;
            try {
                next = queue.poll(stall.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while reading from " + connection.path());
            }
            if (next == null) {
                failover("no data for " + stall.toMillis() + " ms");
            } else if (next.generation() != generation) {
                continue; // from a path already left
            } else if (next.end()) {
                failover(next.failure().getMessage());
            } else {
                pending = next;
                pendingOffset = 0;
            }
        }
        int n = Math.min(length, pending.length() - pendingOffset);
        System.arraycopy(pending.bytes(), pendingOffset, into, offset, n);
        pendingOffset += n;
        if (pendingOffset == pending.length()) {
            pending = null;
        }
        return n;
    }

    private void failover(String why) throws IOException {
        if (++switches > MAX_SWITCHES) {
            throw new IOException("gave up after " + MAX_SWITCHES + " path switches; last: " + why);
        }
        RecorderPath failed = connection.path();
        failedKinds.add(failed.kind());
        generation++; // the old copier stops at its next chunk
        try {
            current.close();
        } catch (RuntimeException ignored) {
            // the path is dead already
        }
        queue.clear();
        try {
            start(connection.reopen(apiPath, failedKinds).requireSuccess());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while switching from " + failed);
        } catch (RuntimeException e) {
            throw new IOException("path " + failed.kind() + " failed (" + why + ") and no other path answered: "
                    + e.getMessage(), e);
        }
        onSwitch.accept(connection.path());
    }

    @Override
    public void close() {
        closed = true;
        generation++;
        if (current != null) {
            try {
                current.close();
            } catch (RuntimeException ignored) {
                // gone already
            }
        }
        queue.clear();
    }
}
