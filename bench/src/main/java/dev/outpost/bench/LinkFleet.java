package dev.outpost.bench;

import dev.outpost.recorder.api.RecorderApi;
import dev.outpost.recorder.identity.ActivationException;
import dev.outpost.recorder.identity.Activator;
import dev.outpost.recorder.identity.CloudTrust;
import dev.outpost.recorder.identity.RecorderIdentity;
import dev.outpost.recorder.link.LinkConnector;
import dev.outpost.recorder.link.LinkSettings;
import dev.outpost.recorder.link.LinkStatus;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * Many lightweight recorders in one JVM: each is only a real {@link LinkConnector} (the recorder's own
 * link code, with its router for relayed requests), all sharing one NIO event loop group. No local
 * HTTP port, no recording: what a cloud sees of an idle recorder is exactly its link.
 */
final class LinkFleet implements AutoCloseable {
    static final String SOFTWARE = "outpost-bench/0.1.0";

    private final EventLoopGroup group;
    private final ExecutorService blocking = Executors.newVirtualThreadPerTaskExecutor();
    private final List<LinkConnector> connectors = Collections.synchronizedList(new ArrayList<>());

    LinkFleet(int threads) {
        this.group = new MultiThreadIoEventLoopGroup(threads, NioIoHandler.newFactory());
    }

    /**
     * Activates {@code count} recorders at {@code cloud} with codes from {@code codes}, {@code parallel}
     * at a time, each with the recorder's own {@link Activator} (TLS first contact, proof, pinning).
     */
    static List<RecorderIdentity> activate(URI cloud, int count, int parallel, IntFunction<String> codes)
            throws Exception {
        Semaphore permits = new Semaphore(parallel);
        List<Future<RecorderIdentity>> pending = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < count; i++) {
                int index = i;
                pending.add(pool.submit(() -> {
                    permits.acquire();
                    try {
                        return activateOne(cloud, codes.apply(index));
                    } finally {
                        permits.release();
                    }
                }));
            }
            List<RecorderIdentity> identities = new ArrayList<>(count);
            for (Future<RecorderIdentity> f : pending) {
                identities.add(f.get());
            }
            return identities;
        }
    }

    private static RecorderIdentity activateOne(URI cloud, String code) throws Exception {
        ActivationException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            try {
                return new Activator().activate(cloud, code, SOFTWARE);
            } catch (ActivationException e) {
                if (!e.getMessage().contains("cannot reach")) {
                    throw e;
                }
                last = e; // a burst of handshakes can overflow a backlog: try again shortly
                Thread.sleep(200L * (attempt + 1));
            }
        }
        throw last;
    }

    /** Starts the link of {@code identity}; it dials at once and keeps the link up. */
    LinkConnector open(RecorderIdentity identity) throws Exception {
        return open(identity, identity.cloudUrl());
    }

    /** Like {@link #open(RecorderIdentity)}, dialling {@code dial} instead of the URL from activation. */
    LinkConnector open(RecorderIdentity identity, URI dial) throws Exception {
        Clock clock = Clock.systemUTC();
        RecorderApi api = RecorderApi.forIdentity(identity, SOFTWARE, clock, blocking);
        LinkSettings settings = new LinkSettings(dial, Optional.empty(), CloudTrust.of(identity).trustManager(),
                identity.recorderId(), identity.credential(), SOFTWARE, LinkSettings.DEFAULT_MAX_STREAMS,
                api::newRouter, Duration.ofSeconds(1), Duration.ofSeconds(30));
        LinkConnector connector = new LinkConnector(settings, group, clock);
        connectors.add(connector);
        connector.start();
        return connector;
    }

    long online() {
        synchronized (connectors) {
            return connectors.stream().filter(c -> c.status().state() == LinkStatus.State.ONLINE).count();
        }
    }

    /** Waits until every link is online, or fails after {@code timeout}. */
    void awaitOnline(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int total = connectors.size();
        while (online() < total) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(online() + " of " + total + " links online after " + timeout);
            }
            Thread.sleep(100);
        }
    }

    int size() {
        return connectors.size();
    }

    @Override
    public void close() {
        List<LinkConnector> all;
        synchronized (connectors) {
            all = List.copyOf(connectors);
        }
        for (LinkConnector c : all) {
            c.close();
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        blocking.shutdownNow();
    }
}
