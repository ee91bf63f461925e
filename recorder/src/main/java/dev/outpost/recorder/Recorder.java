package dev.outpost.recorder;

import dev.outpost.recorder.api.ApiCounters;
import dev.outpost.recorder.backups.ConfigBackups;
import dev.outpost.recorder.cameras.CameraSet;
import dev.outpost.recorder.cameras.CameraStatus;
import dev.outpost.recorder.health.CameraPictures;
import dev.outpost.recorder.health.HealthMonitor;
import dev.outpost.recorder.outbox.DataUsage;
import dev.outpost.recorder.outbox.Outbox;
import dev.outpost.recorder.cameras.StreamKind;
import dev.outpost.recorder.live.LiveHubs;
import dev.outpost.recorder.recording.RecordingSink;
import dev.outpost.recorder.recording.Recordings;
import dev.outpost.recorder.samples.SampleCamera;
import dev.outpost.recorder.samples.SampleCameras;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import dev.outpost.recorder.api.RecorderApi;
import dev.outpost.recorder.identity.ActivationException;
import dev.outpost.recorder.identity.Activator;
import dev.outpost.recorder.identity.CloudTrust;
import dev.outpost.recorder.identity.RecorderIdentity;
import dev.outpost.recorder.link.LinkConnector;
import dev.outpost.recorder.link.LinkSettings;
import dev.outpost.recorder.link.LinkStatus;
import dev.outpost.recorder.link.ProxySettings;
import dev.outpost.recorder.local.LocalHttpServer;
import dev.outpost.recorder.local.LocalWebSite;
import dev.outpost.recorder.local.LocalHttpConfig;
import dev.outpost.recorder.identity.LocalCertificate;
import dev.outpost.recorder.p2p.P2pSessions;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running recorder: its identity (activating once if asked), its local HTTP API and its link to the
 * cloud, which serves the same API.
 */
public final class Recorder implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Recorder.class);
    public static final String SOFTWARE = "outpost-recorder/0.1.0";
    /** The cloud's STUN port (docs/p2p.md). */
    static final int STUN_PORT = 3478;

    private final RecorderIdentity identity;
    private final EventLoopGroup group;
    private final ExecutorService blocking;
    private final LocalHttpServer local;
    private final LinkConnector link;
    private final RecorderApi api;
    private final CameraSet cameras;
    private final LiveHubs live;
    private final Recordings recordings;
    private final SampleCameras samples;
    private final Outbox outbox;
    private final HealthMonitor health;
    private final ConfigBackups backups;
    /** The P2P sessions, whose QUIC streams the API serves directly. */
    private final P2pSessions p2p;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    private Recorder(RecorderIdentity identity, EventLoopGroup group, ExecutorService blocking, LocalHttpServer local,
                     LinkConnector link, RecorderApi api, CameraSet cameras, LiveHubs live, SampleCameras samples,
                     Recordings recordings, Outbox outbox, HealthMonitor health, ConfigBackups backups,
                     P2pSessions p2p) {
        this.p2p = p2p;
        this.backups = backups;
        this.outbox = outbox;
        this.health = health;
        this.recordings = recordings;
        this.cameras = cameras;
        this.samples = samples;
        this.live = live;
        this.identity = identity;
        this.api = api;
        this.group = group;
        this.blocking = blocking;
        this.local = local;
        this.link = link;
    }

    public static Recorder start(RecorderConfig config) throws IOException, InterruptedException, ActivationException {
        Files.createDirectories(config.dataDir());
        RecorderIdentity identity = identity(config);
        Clock clock = Clock.systemUTC();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        ExecutorService blocking = Executors.newVirtualThreadPerTaskExecutor();
        LocalHttpServer local = null;
        SampleCameras samples = null;
        Recordings recordings = null;
        CameraSet cameras = null;
        P2pSessions p2p = null;
        try {
            LiveHubs live = new LiveHubs();
            recordings = Recordings.open(config.dataDir().resolve("recordings"), RecordingSink.Settings.DEFAULTS,
                    config.recordingLimits(), clock);
            Set<String> sampleIds = new HashSet<>();
            for (int number = 1; number <= config.samples().count(); number++) {
                sampleIds.add(SampleCamera.id(number));
            }
            cameras = CameraSet.open(config.dataDir(), config.cameras(), sampleIds, group,
                    new CameraOutlets(live, recordings));
            RecorderConfig.Samples sampleConfig = config.samples();
            samples = SampleCameras.create(sampleConfig.count(), sampleConfig.clips(), sampleConfig.cacheDir(), group);
            for (SampleCamera sample : samples.cameras()) {
                for (StreamKind kind : StreamKind.values()) {
                    sample.stream(kind).addSink(live.hub(sample.id(), kind));
                    sample.stream(kind).addSink(recordings.sink(sample.id(), kind));
                }
            }
            samples.start();
            RecorderApi api = RecorderApi.forIdentity(identity, SOFTWARE, clock, blocking, live);
            Outbox outbox = Outbox.open(config.dataDir().resolve("outbox"), config.health().outbox(), clock,
                    DataUsage.open(config.dataDir().resolve("usage.json"), clock));
            api.outbox(outbox);
            List<CameraViews.Source> sampleSources = samples.cameras().stream().map(c -> new CameraViews.Source(c.id(),
                    c.name(), Optional.empty(), c::status)).toList();
            CameraViews views = new CameraViews(cameras, sampleSources, recordings);
            api.cameras(views);
            api.cameraSet(cameras, views::view);
            api.recordings(recordings);
            LocalHttpConfig localConfig = localConfig(config.local(), LocalCertificate.load(config.dataDir()));
            local = LocalHttpServer.start(localConfig, api, group, new LocalWebSite(
                    identity.recorderId(), identity.name(), identity.cloudUrl()));
            CloudTrust trust = CloudTrust.of(identity, config.cloudCaFile());
            Optional<ProxySettings> proxy = ProxySettings.resolve(config.proxy(), identity.cloudUrl().getHost(), System.getenv());
            LinkSettings settings = new LinkSettings(identity.cloudUrl(), proxy, trust.trustManager(),
                    identity.recorderId(), identity.credential(), SOFTWARE, config.maxRelayedStreams(), api::newRouter,
                    config.backoffBase(), config.backoffMax(), dev.outpost.recorder.local.LocalAddresses.of(
                            localConfig.bindAddress(), local.port(), localConfig.tls().isPresent() ? "https" : "http"));
            LinkConnector link = new LinkConnector(settings, group, clock);
            p2p = new P2pSessions(stunServer(identity.cloudUrl()), LocalHttpServer.apiOn(api, localConfig.idleTimeout()),
                    clock);
            api.p2p(p2p);
            link.offerP2p(true);
            config.linkTransport().ifPresentOrElse(link::startWith, link::start);
            SampleCameras sampleSet = samples;
            CameraSet cameraSet = cameras;
            HealthMonitor health = new HealthMonitor(config.health(), outbox, clock,
                    () -> mainStreamStatuses(cameraSet, sampleSet), link::status, recordings,
                    config.dataDir().resolve("recordings"), new CameraPictures(live), config.dataDir().resolve("health"));
            health.countLinkTraffic(link.traffic());
            health.start();
            ConfigBackups backups = new ConfigBackups(identity.recorderId(), cameras, outbox, clock,
                    config.dataDir().resolve("backups"), config.health().backupEvery());
            api.backups(backups);
            backups.start();
            Recordings recorded = recordings;
            api.exports(new dev.outpost.recorder.exports.ClipExports(config.dataDir().resolve("exports"),
                    camera -> recorded.index(camera, StreamKind.MAIN), outbox, clock, blocking,
                    dev.outpost.recorder.exports.ClipExports.Settings.defaults()));
            LOG.info("recorder {} ({}) started: cloud {}{}, local API on port {}", identity.recorderId(), identity.name(),
                    identity.cloudUrl(), proxy.map(p -> " through proxy " + p).orElse(""), local.port());
            return new Recorder(identity, group, blocking, local, link, api, cameras, live, samples, recordings, outbox,
                    health, backups, p2p);
        } catch (IOException | RuntimeException e) {
            if (p2p != null) {
                p2p.close();
            }
            if (local != null) {
                local.close();
            }
            if (cameras != null) {
                cameras.close();
            }
            if (samples != null) {
                samples.close();
            }
            if (recordings != null) {
                recordings.close();
            }
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            blocking.shutdownNow();
            throw e;
        }
    }

    /**
     * Outpost's STUN server for P2P candidates: the cloud's host on UDP {@value #STUN_PORT}, looked up when a session
     * starts (a new address is used at once); empty when the name does not resolve (host candidates only).
     */
    private static java.util.function.Supplier<Optional<java.net.InetSocketAddress>> stunServer(java.net.URI cloud) {
        return () -> {
            try {
                return Optional.of(new java.net.InetSocketAddress(java.net.InetAddress.getByName(cloud.getHost()),
                        STUN_PORT));
            } catch (java.net.UnknownHostException e) {
                LOG.warn("P2P: cannot resolve {} for STUN ({}): host candidates only", cloud.getHost(), e.getMessage());
                return Optional.empty();
            }
        };
    }

    /** Every camera's main stream status, by camera id, for the health monitor. */
    private static java.util.Map<String, CameraStatus> mainStreamStatuses(CameraSet cameras, SampleCameras samples) {
        java.util.Map<String, CameraStatus> statuses = new java.util.HashMap<>();
        cameras.cameras().forEach(c -> statuses.put(c.id(), c.status().get(StreamKind.MAIN)));
        samples.cameras().forEach(c -> statuses.put(c.id(), c.status().get(StreamKind.MAIN)));
        statuses.values().removeIf(java.util.Objects::isNull);
        return statuses;
    }

    static {
        // The JDK refuses Basic auth for CONNECT tunnels unless this is cleared; activation through a
        // site's proxy needs it. Only set when nobody chose otherwise, before the HTTP client loads.
        if (System.getProperty("jdk.http.auth.tunneling.disabledSchemes") == null) {
            System.setProperty("jdk.http.auth.tunneling.disabledSchemes", "");
        }
    }

    /**
     * The local API's final settings: HTTPS with the cloud-issued certificate on any address but loopback; plain
     * HTTP on loopback, or on the LAN only when {@link LocalHttpConfig#plainHttp()} asks for it explicitly. The
     * bind address {@code auto} is every address with a certificate, loopback without one.
     */
    static LocalHttpConfig localConfig(LocalHttpConfig asked, Optional<LocalCertificate> certificate) {
        LocalHttpConfig local = asked;
        if (local.bindAddress().equals(LocalHttpConfig.AUTO_BIND)) {
            if (certificate.isEmpty() && !local.plainHttp()) {
                LOG.warn("this recorder has no certificate from the cloud for local HTTPS (it was activated before "
                        + "local HTTPS existed): its local API serves this machine only; activate it again to serve "
                        + "LAN viewers");
            }
            local = local.withBindAddress(certificate.isPresent() || local.plainHttp() ? "0.0.0.0" : "127.0.0.1");
        }
        if (local.tls().isPresent() || local.plainHttp()) {
            return local;
        }
        boolean loopback;
        try {
            loopback = java.net.InetAddress.ofLiteral(local.bindAddress()).isLoopbackAddress();
        } catch (IllegalArgumentException name) {
            loopback = local.bindAddress().equals("localhost");
        }
        if (loopback) {
            return local;
        }
        if (certificate.isEmpty()) {
            throw new IllegalStateException("the local API on " + local.bindAddress() + " would be plain HTTP on the "
                    + "LAN, but this recorder has no certificate from the cloud for HTTPS (it was activated before "
                    + "local HTTPS existed): activate it again, or bind the local API to 127.0.0.1, or allow plain "
                    + "HTTP on the LAN explicitly (--local-plain-http)");
        }
        return local.withTls(certificate.get().serverContext());
    }

    private static RecorderIdentity identity(RecorderConfig config)
            throws IOException, InterruptedException, ActivationException {
        Optional<RecorderIdentity> saved = RecorderIdentity.load(config.dataDir());
        if (config.activationCode().isPresent()) {
            if (saved.isPresent()) {
                LOG.warn("recorder {} in {} is activated already; activating again replaces its identity",
                        saved.get().recorderId(), config.dataDir());
            }
            var cloud = config.cloud().orElseThrow(() -> new IllegalArgumentException(
                    "activating needs the cloud's URL: --cloud https://HOST:PORT"));
            var result = activator(config, cloud).activateWithLocalCertificate(cloud, config.activationCode().get(),
                    SOFTWARE);
            RecorderIdentity activated = result.identity();
            activated.save(config.dataDir());
            if (result.localCertificate().isPresent()) {
                result.localCertificate().get().save(config.dataDir());
            }
            LOG.info("activated as recorder {} ({}) with cloud {}", activated.recorderId(), activated.name(), cloud);
            return activated;
        }
        return saved.orElseThrow(() -> new IllegalStateException("this recorder is not activated yet (no "
                + RecorderIdentity.FILE_NAME + " in " + config.dataDir() + "): run it once with --cloud URL --activate CODE, "
                + "with a code from the cloud (outpost cloud recorder add)"));
    }

    /** Activation goes the way the link will: through the site's proxy, trusting its configured CAs. */
    private static Activator activator(RecorderConfig config, java.net.URI cloud) throws IOException {
        Optional<ProxySettings> proxy = ProxySettings.resolve(config.proxy(), cloud.getHost(), System.getenv());
        java.net.ProxySelector selector = proxy
                .map(p -> java.net.ProxySelector.of(new java.net.InetSocketAddress(p.host(), p.port())))
                .orElse(java.net.http.HttpClient.Builder.NO_PROXY);
        Optional<java.net.Authenticator> authenticator = proxy.filter(p -> p.user().isPresent()).map(p -> new java.net.Authenticator() {
            @Override
            protected java.net.PasswordAuthentication getPasswordAuthentication() {
                return getRequestorType() == RequestorType.PROXY
                        ? new java.net.PasswordAuthentication(p.user().get(), p.password().orElse("").toCharArray())
                        : null;
            }
        });
        CloudTrust authorities = config.cloudCaFile().isPresent()
                ? CloudTrust.authorities(config.cloudCaFile().get()) : CloudTrust.platform();
        return new Activator(Activator.DEFAULT_TIMEOUT, selector, authenticator, authorities);
    }

    public RecorderIdentity identity() {
        return identity;
    }

    public LinkStatus linkStatus() {
        return link.status();
    }

    /** The recordings of every camera stream: indexes, statuses. */
    public Recordings recordings() {
        return recordings;
    }

    /** The cameras it pulls, records and serves, which can be added, changed and removed while it runs. */
    public CameraSet cameras() {
        return cameras;
    }

    /** The sample cameras ({@link RecorderConfig#withSampleCameras}), in number order. */
    public List<SampleCamera> sampleCameras() {
        return samples.cameras();
    }

    /** Running totals of the API, whichever path requests came by. */
    public ApiCounters apiCounters() {
        return api.counters();
    }

    /** What waits for the cloud: alerts, images, backups, clip parts. */
    public Outbox outbox() {
        return outbox;
    }

    /** The config backups, weekly and on demand. */
    public ConfigBackups backups() {
        return backups;
    }

    /** The health monitor, whose alerts go into the outbox. */
    public HealthMonitor health() {
        return health;
    }

    public int localPort() {
        return local.port();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        health.close();
        backups.close();
        link.close();
        p2p.close();
        local.close();
        outbox.close();
        cameras.close();
        samples.close();
        recordings.close(); // after every source: what they queued is written
        live.close();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        blocking.shutdownNow();
    }
}
