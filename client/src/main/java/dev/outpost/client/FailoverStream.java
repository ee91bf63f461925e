package dev.outpost.client;

import dev.outpost.wire.api.ConnectView.PathView;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
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
 *
 * <p>On the relay, when the broker offered {@code p2p}, it also tries to upgrade (docs/p2p.md): a second virtual
 * thread opens the same request on a P2P link and reads it up to the end of its first fragment (its init segment
 * and a keyframe's fragment), while the reader goes on reading the relay. Then, at the next point where the relay's
 * bytes end a fragment, the reader moves to the P2P bytes: the picture carries on without a gap (the P2P stream
 * starts at the recorder's latest keyframe, at or before where the relay was), and the relay stream is closed.
 */
final class FailoverStream extends InputStream {
    private static final int CHUNK = 16 * 1024;
    private static final int QUEUE_CHUNKS = 64;
    /** The most a staged upgrade may hold before the switch: its first fragment must fit in the queue. */
    private static final int MAX_STAGED_CHUNKS = QUEUE_CHUNKS - 8;
    /** How many path switches one stream makes before it gives up. */
    private static final int MAX_SWITCHES = 8;

    private record Chunk(int generation, byte[] bytes, int length, boolean fragmentEnd, IOException failure) {
        boolean end() {
            return bytes == null;
        }
    }

    /** A P2P answer read up to the end of its first fragment, waiting for the switch. */
    private record Staged(RelayResponse response, Mp4BoxReader rest, List<Mp4BoxReader.Piece> pieces) {
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
    private boolean atFragmentEnd;
    private int switches;
    private volatile Staged staged;
    private volatile boolean closed;

    FailoverStream(RecorderConnection connection, String apiPath, Duration stall, Consumer<RecorderPath> onSwitch)
            throws IOException, InterruptedException {
        this.connection = connection;
        this.apiPath = apiPath;
        this.stall = stall;
        this.onSwitch = onSwitch;
        RelayResponse first = connection.get(apiPath).requireSuccess();
        start(first, reader(first), List.of());
        connection.reportPath(connection.path());
        maybeUpgrade();
    }

    private static Mp4BoxReader reader(RelayResponse response) {
        boolean mp4 = response.contentType().map(type -> type.startsWith("video/mp4")).orElse(false);
        return new Mp4BoxReader(response.body(), CHUNK, mp4);
    }

    /** Reads {@code response} from now on, after the pieces already read from it ({@code preload}). */
    private void start(RelayResponse response, Mp4BoxReader body, List<Mp4BoxReader.Piece> preload) {
        current = response;
        int mine = ++generation; // the old copier stops at its next chunk
        for (Mp4BoxReader.Piece piece : preload) {
            // Fits: at most MAX_STAGED_CHUNKS, plus one chunk an old copier may have been adding
            queue.add(new Chunk(mine, piece.bytes(), piece.length(), piece.fragmentEnd(), null));
        }
        Thread.ofVirtual().name("failover-copy-" + mine).start(() -> {
            try {
                while (true) {
                    Mp4BoxReader.Piece piece = body.next();
                    if (piece == null) {
                        offer(new Chunk(mine, null, 0, false, new IOException("the stream ended")), mine);
                        return;
                    }
                    if (!offer(new Chunk(mine, piece.bytes(), piece.length(), piece.fragmentEnd(), null), mine)) {
                        return;
                    }
                }
            } catch (IOException e) {
                offer(new Chunk(mine, null, 0, false, e), mine);
            }
        });
    }

    /** On the relay with a {@code p2p} path offered: stages the P2P answer in the background. */
    private void maybeUpgrade() {
        if (!connection.path().kind().equals(PathView.RELAY)
                || !connection.offersP2p() || failedKinds.contains(PathView.P2P)
                || !current.contentType().map(type -> type.startsWith("video/mp4")).orElse(false)) {
            return;
        }
        int startedOn = generation;
        Thread.ofVirtual().name("p2p-upgrade").start(() -> {
            RelayResponse response = null;
            try {
                response = connection.openP2p(apiPath).requireSuccess();
                Mp4BoxReader reader = reader(response);
                List<Mp4BoxReader.Piece> pieces = new ArrayList<>();
                while (true) {
                    Mp4BoxReader.Piece piece = reader.next();
                    if (piece == null) {
                        throw new IOException("the P2P stream ended before its first fragment");
                    }
                    pieces.add(piece);
                    if (piece.fragmentEnd()) {
                        break;
                    }
                    if (pieces.size() > MAX_STAGED_CHUNKS) {
                        throw new IOException("the P2P stream's first fragment is larger than "
                                + MAX_STAGED_CHUNKS * CHUNK + " bytes");
                    }
                }
                if (closed || generation != startedOn) {
                    response.close();
                    return;
                }
                staged = new Staged(response, reader, pieces);
            } catch (IOException | RuntimeException e) {
                if (response != null) {
                    response.close();
                }
                connection.p2pFailed(e.getMessage());
            } catch (InterruptedException e) {
                if (response != null) {
                    response.close();
                }
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
            Staged upgrade = staged;
            if (upgrade != null && atFragmentEnd) {
                switchTo(upgrade);
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
            atFragmentEnd = pending.fragmentEnd();
            pending = null;
        }
        return n;
    }

    /** Moves to the staged P2P answer at a fragment boundary of the current path. */
    private void switchTo(Staged upgrade) {
        staged = null;
        generation++; // the old copier stops at its next chunk
        try {
            current.close();
        } catch (RuntimeException ignored) {
            // leaving it anyway
        }
        queue.clear();
        start(upgrade.response(), upgrade.rest(), upgrade.pieces());
        RecorderPath p2p = connection.switchedToP2p();
        connection.reportPath(p2p);
        onSwitch.accept(p2p);
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
        atFragmentEnd = false;
        try {
            RelayResponse next = connection.reopen(apiPath, failedKinds).requireSuccess();
            start(next, reader(next), List.of());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while switching from " + failed);
        } catch (RuntimeException e) {
            throw new IOException("path " + failed.kind() + " failed (" + why + ") and no other path answered: "
                    + e.getMessage(), e);
        }
        connection.reportPath(connection.path());
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
        Staged upgrade = staged;
        if (upgrade != null) {
            upgrade.response().close();
        }
        queue.clear();
    }
}
