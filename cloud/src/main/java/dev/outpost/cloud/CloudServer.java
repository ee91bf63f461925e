package dev.outpost.cloud;

import dev.outpost.cloud.accounts.Accounts;
import dev.outpost.cloud.alerts.AlertApi;
import dev.outpost.cloud.alerts.AlertMailer;
import dev.outpost.cloud.alerts.AlertRetention;
import dev.outpost.cloud.alerts.Alerts;
import dev.outpost.cloud.api.CloudApi;
import dev.outpost.cloud.backups.BackupApi;
import dev.outpost.cloud.backups.ConfigBackups;
import dev.outpost.cloud.clips.ClipApi;
import dev.outpost.cloud.clips.ClipParts;
import dev.outpost.cloud.clips.Clips;
import dev.outpost.cloud.edge.CloudExchanges;
import dev.outpost.cloud.edge.EdgeInitializer;
import dev.outpost.cloud.edge.WebAssets;
import dev.outpost.cloud.grants.GrantIssuer;
import dev.outpost.cloud.images.CameraImages;
import dev.outpost.cloud.links.DirectoryGate;
import dev.outpost.cloud.links.LinkAcceptor;
import dev.outpost.cloud.links.LinkRegistry;
import dev.outpost.cloud.objects.DirectoryObjectStore;
import dev.outpost.cloud.objects.ObjectStore;
import dev.outpost.cloud.objects.S3ObjectStore;
import dev.outpost.cloud.outbox.Inbox;
import dev.outpost.cloud.outbox.OutboxPuller;
import dev.outpost.cloud.paths.ClientAddress;
import dev.outpost.cloud.paths.LocalSignInApi;
import dev.outpost.cloud.paths.PathBroker;
import dev.outpost.cloud.paths.RecorderNetworks;
import dev.outpost.cloud.recorders.RecorderDirectory;
import dev.outpost.cloud.relay.CloudAccess;
import dev.outpost.cloud.relay.Relay;
import dev.outpost.cloud.relay.RelayServices;
import dev.outpost.cloud.store.Database;
import dev.outpost.cloud.store.DatabaseSettings;
import dev.outpost.cloud.stun.StunLimits;
import dev.outpost.cloud.stun.StunServer;
import dev.outpost.cloud.tls.CloudCertificate;
import dev.outpost.cloud.tls.CloudTls;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A running cloud node: its database, its certificate and grant key, and its one TLS port. */
public final class CloudServer implements AutoCloseable {
    /** Write-buffer bounds of every connection (viewers and links): paused above 1 MiB, resumed below 256 KiB. */
    static final WriteBufferWaterMark VIEWER_WATER_MARK = new WriteBufferWaterMark(256 * 1024, 1024 * 1024);

    private static final Logger LOG = LoggerFactory.getLogger(CloudServer.class);

    private final CloudConfig config;
    private final Database database;
    private final EventLoopGroup acceptors;
    private final EventLoopGroup workers;
    private final ExecutorService blocking;
    private final Channel server;
    private final ChannelGroup connections;
    private final CloudCertificate certificate;
    private final LinkRegistry links;
    private final Accounts accounts;
    private final RecorderDirectory recorders;
    private final Optional<String> generatedAdminPassword;
    private final Optional<StunServer> stun;
    private final Alerts alerts;
    private final AlertMailer mailer;
    private final AlertRetention retention;
    private final ObjectStore objects;

    private CloudServer(CloudConfig config, Database database, EventLoopGroup acceptors, EventLoopGroup workers,
                        ExecutorService blocking, Channel server, ChannelGroup connections,
                        CloudCertificate certificate, LinkRegistry links,
                        Accounts accounts, RecorderDirectory recorders, Optional<String> generatedAdminPassword,
                        Optional<StunServer> stun, Alerts alerts, AlertMailer mailer, AlertRetention retention, ObjectStore objects) {
        this.retention = retention;
        this.objects = objects;
        this.alerts = alerts;
        this.mailer = mailer;
        this.config = config;
        this.database = database;
        this.acceptors = acceptors;
        this.workers = workers;
        this.blocking = blocking;
        this.server = server;
        this.connections = connections;
        this.certificate = certificate;
        this.links = links;
        this.accounts = accounts;
        this.recorders = recorders;
        this.generatedAdminPassword = generatedAdminPassword;
        this.stun = stun;
    }

    public static CloudServer start(CloudConfig config) throws IOException {
        Files.createDirectories(config.dataDir());
        Clock clock = Clock.systemUTC();
        Database database = Database.open(config.jdbcUrl()
                .map(url -> DatabaseSettings.postgresql(url, config.jdbcUser().orElse(""), config.jdbcPassword().orElse("")))
                .orElseGet(() -> DatabaseSettings.embedded(config.dataDir())));
        EventLoopGroup acceptors = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        EventLoopGroup workers = new MultiThreadIoEventLoopGroup(NioIoHandler.newFactory());
        ExecutorService blocking = Executors.newVirtualThreadPerTaskExecutor();
        ChannelGroup connections = new DefaultChannelGroup("cloud connections", GlobalEventExecutor.INSTANCE);
        try {
            Accounts accounts = new Accounts(database, clock);
            Optional<String> generated = accounts.ensureFirstAdmin(config.adminEmail(), config.adminPassword());
            RecorderDirectory recorders = new RecorderDirectory(database, clock, config.activationCodeLifetime());
            CloudCertificate certificate = CloudCertificate.load(config.tlsCertificate(), config.tlsKey(),
                    config.dataDir(), config.publicNames());
            GrantIssuer grants = GrantIssuer.fromDataDir(config.dataDir(), config.grantLifetime(), clock);
            LinkRegistry links = new LinkRegistry();
            ObjectStore objects = config.s3().isPresent() ? new S3ObjectStore(config.s3().get())
                    : new DirectoryObjectStore(config.dataDir().resolve("objects"));
            Alerts alerts = new Alerts(database, clock, objects);
            CameraImages images = new CameraImages(database, clock, objects);
            ConfigBackups backups = new ConfigBackups(database, clock, objects, links, grants);
            Clips clips = new Clips(database, clock, objects);
            OutboxPuller puller = new OutboxPuller(new Inbox(database, clock, objects, alerts, images, backups, clips),
                    new ClipParts(config.dataDir().resolve("clip-parts")), grants, blocking);
            links.onLinkUp(puller::start);
            AlertMailer mailer = AlertMailer.start(alerts, config.mail(), blocking, clock);
            AlertRetention retention = AlertRetention.start(alerts, blocking);
            CloudAccess access = new CloudAccess(accounts, recorders);
            RecorderNetworks networks = new RecorderNetworks(database, clock);
            LinkAcceptor acceptor = new LinkAcceptor(links, new DirectoryGate(recorders, networks), blocking, clock,
                    config.maxStreamsPerRecorder());
            Relay relay = new Relay(new RelayServices(links, access, grants, blocking, config.relayResponseTimeout()));
            CloudApi api = new CloudApi(accounts, recorders, links, grants, certificate, access, clock,
                    new PathBroker(networks), new ClientAddress(config.trustedProxies()),
                    dev.outpost.cloud.tls.RecorderCa.load(config.dataDir()));
            AlertApi alertApi = new AlertApi(alerts, images, access);
            CloudExchanges exchanges = new CloudExchanges(new LocalSignInApi(access, grants, networks).addTo(
                    new ClipApi(clips, access, recorders, links, grants).addTo(
                    new BackupApi(backups, access).addTo(alertApi.addTo(api.router())))), relay, acceptor,
                    WebAssets.fromClasspath(), blocking);

            Channel server = new ServerBootstrap()
                    .group(acceptors, workers)
                    .channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 4096)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    // A relayed stream keeps up to 1 MiB queued for its viewer before it pauses the recorder's
                    // stream, so backpressure toggles per megabyte rather than every four 16 KiB frames.
                    .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, VIEWER_WATER_MARK)
                    .childHandler(new EdgeInitializer(CloudTls.serverContext(certificate), acceptor, exchanges,
                            connections))
                    .bind(new InetSocketAddress(config.bindAddress(), config.port()))
                    .syncUninterruptibly()
                    .channel();
            CloudServer cloud = new CloudServer(config, database, acceptors, workers, blocking, server, connections,
                    certificate,
                    links, accounts, recorders, generated, startStun(config), alerts, mailer, retention, objects);
            LOG.info("cloud listening on {} ({} certificate, SHA-256 {}); database: {}", server.localAddress(),
                    certificate.selfSigned() ? "self-signed" : "configured", certificate.fingerprint(),
                    config.jdbcUrl().isPresent() ? "PostgreSQL" : "embedded H2 in " + config.dataDir());
            return cloud;
        } catch (RuntimeException | IOException e) {
            acceptors.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            workers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            blocking.shutdownNow();
            database.close();
            throw e;
        }
    }

    /**
     * The STUN server, unless turned off. A port another program holds (a coturn on 3478) leaves the cloud
     * running without it, saying so: the relay does not need it, only peer-to-peer does.
     */
    private static Optional<StunServer> startStun(CloudConfig config) {
        if (!config.stun().enabled()) {
            return Optional.empty();
        }
        try {
            return Optional.of(StunServer.start(config.stun(), config.bindAddress(), StunLimits.defaults()));
        } catch (IOException e) {
            LOG.warn("STUN server off: {}. Peer-to-peer clients cannot learn their public address from this cloud; "
                    + "free the port or choose another with --stun-port (0 turns STUN off)", e.getMessage());
            return Optional.empty();
        }
    }

    /** The STUN server, when it runs. */
    public Optional<StunServer> stun() {
        return stun;
    }

    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** The URL to reach this node from this machine. */
    public URI localUrl() {
        String host = config.bindAddress().equals("0.0.0.0") || config.bindAddress().equals("::")
                ? "127.0.0.1" : config.bindAddress();
        return URI.create("https://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port());
    }

    public String certificateFingerprint() {
        return certificate.fingerprint();
    }

    public boolean selfSignedCertificate() {
        return certificate.selfSigned();
    }

    /** The first admin's password, when this start created the admin with a generated one. */
    public Optional<String> generatedAdminPassword() {
        return generatedAdminPassword;
    }

    public CloudConfig config() {
        return config;
    }

    public LinkRegistry links() {
        return links;
    }

    public Accounts accounts() {
        return accounts;
    }

    public RecorderDirectory recorders() {
        return recorders;
    }

    /** Health alerts the recorders sent, and the email rules. */
    public Alerts alerts() {
        return alerts;
    }

    @Override
    public void close() {
        stun.ifPresent(StunServer::close);
        server.close().syncUninterruptibly();
        mailer.close();
        retention.close();
        // Closed before the event loops stop: a link with streams open (the outbox's long poll) needs its loop
        // to finish closing, and a loop that stops first leaves the recorder holding a half-dead link.
        List<io.netty.channel.ChannelFuture> closing = new java.util.ArrayList<>();
        for (var link : links.all()) {
            closing.add(link.close());
        }
        closing.forEach(f -> f.awaitUninterruptibly(2, TimeUnit.SECONDS));
        // Whatever is still open, such as a link that came up after the registry was read: closed while its loop
        // still runs, so no recorder keeps a connection nobody serves (it would take its heartbeat to notice).
        connections.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        acceptors.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        blocking.shutdown();
        try {
            blocking.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        database.close();
        if (objects instanceof S3ObjectStore s3) {
            s3.close();
        }
    }
}
