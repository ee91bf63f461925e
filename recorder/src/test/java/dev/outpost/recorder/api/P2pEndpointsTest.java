package dev.outpost.recorder.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outpost.p2p.http.Http1Response;
import dev.outpost.p2p.ice.IcePeer;
import dev.outpost.p2p.quic.QuicDialer;
import dev.outpost.p2p.quic.QuicIdentity;
import dev.outpost.p2p.quic.QuicStreamInput;
import dev.outpost.recorder.local.LocalHttpConfig;
import dev.outpost.recorder.local.LocalHttpServer;
import dev.outpost.recorder.p2p.P2pSessions;
import dev.outpost.wire.api.RecorderInfo;
import dev.outpost.wire.json.Json;
import dev.outpost.wire.p2p.P2pAnswer;
import dev.outpost.wire.p2p.P2pCandidates;
import dev.outpost.wire.p2p.P2pOffer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.codec.quic.QuicChannel;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * P2P signalling on the recorder's API and a request on the QUIC stream that follows: the recorder's router
 * answers it, grant check included. Signalling goes to the local port here; through the relay it is the same
 * route (the lab's P2P scenarios take that way).
 */
class P2pEndpointsTest {
    private final TestGrants grants = new TestGrants();
    private final RecorderApi api = grants.api();
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private LocalHttpServer server;
    private final QuicIdentity viewerIdentity = QuicIdentity.generate();
    private P2pSessions sessions;

    @BeforeEach
    void start() throws Exception {
        server = LocalHttpServer.start(LocalHttpConfig.defaults().withPort(0), api, group);
        sessions = new P2pSessions(Optional::empty, LocalHttpServer.apiOn(api, Duration.ofSeconds(30)), grants.clock);
        api.p2p(sessions);
    }

    @AfterEach
    void stop() {
        sessions.close();
        client.close();
        server.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void viewerSignalsThenAsksTheRouterOverQuicWithItsGrant() throws Exception {
        try (IcePeer viewer = new IcePeer(true, Optional.empty())) {
            HttpResponse<byte[]> opened = send("POST", "/api/p2p/sessions", grants.valid(),
                    Json.write(new P2pOffer(viewer.localCredentials(), viewerIdentity.fingerprint(), viewer.hostCandidates())));
            assertThat(opened.statusCode()).isEqualTo(201);
            P2pAnswer answer = Json.read(opened.body(), P2pAnswer.class);
            viewer.remoteCredentials(answer.credentials());
            viewer.addRemote(answer.candidates());
            viewer.start();
            List<Object> received = new ArrayList<>(answer.candidates());
            P2pCandidates more;
            do {
                HttpResponse<byte[]> polled = send("GET", "/api/p2p/sessions/" + answer.sessionId()
                        + "/candidates?after=" + received.size() + "&wait=1000", grants.valid(), null);
                assertThat(polled.statusCode()).isEqualTo(200);
                more = Json.read(polled.body(), P2pCandidates.class);
                received.addAll(more.candidates());
                viewer.addRemote(more.candidates());
            } while (!more.complete());
            assertThat(send("POST", "/api/p2p/sessions/" + answer.sessionId() + "/candidates", grants.valid(),
                    Json.write(new P2pCandidates(List.of(), true))).statusCode()).isEqualTo(204);

            IcePeer.Selection selection = viewer.selected().get(10, TimeUnit.SECONDS);
            QuicChannel quic = QuicDialer.dial(selection, viewerIdentity, answer.fingerprint(), Duration.ofSeconds(10));
            Http1Response info = get(quic, "/api/info", grants.valid());
            assertThat(info.status()).isEqualTo(200);
            assertThat(Json.read(info.body().readAllBytes(), RecorderInfo.class).recorderId()).isEqualTo(TestGrants.RECORDER);
            Http1Response forged = get(quic, "/api/info", grants.forged());
            assertThat(forged.status()).isEqualTo(401);
            assertThat(sessions.established()).isEqualTo(1);
            quic.close().sync();

            assertThat(send("DELETE", "/api/p2p/sessions/" + answer.sessionId(), grants.valid(), null).statusCode())
                    .isEqualTo(204);
            assertThat(sessions.size()).isZero();
        }
    }

    @Test
    void signallingNeedsAGrantAndAWellFormedOffer() throws Exception {
        assertThat(send("POST", "/api/p2p/sessions", grants.forged(), "{}".getBytes()).statusCode()).isEqualTo(401);
        HttpResponse<byte[]> bad = send("POST", "/api/p2p/sessions", grants.valid(),
                "{\"credentials\":{\"ufrag\":\"a\",\"password\":\"b\"}}".getBytes());
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(new String(bad.body())).contains("ufrag");
        assertThat(send("GET", "/api/p2p/sessions/" + "0".repeat(32) + "/candidates", grants.valid(), null)
                .statusCode()).isEqualTo(404);
    }

    @Test
    void sessionsAreBounded() throws Exception {
        List<IcePeer> viewers = new ArrayList<>();
        try {
            int answered = 0;
            int busy = 0;
            for (int i = 0; i < 9; i++) {
                IcePeer viewer = new IcePeer(true, Optional.empty());
                viewers.add(viewer);
                int status = send("POST", "/api/p2p/sessions", grants.valid(),
                        Json.write(new P2pOffer(viewer.localCredentials(), viewerIdentity.fingerprint(), List.of()))).statusCode();
                if (status == 201) {
                    answered++;
                } else if (status == 503) {
                    busy++;
                }
            }
            assertThat(answered).isEqualTo(8);
            assertThat(busy).isEqualTo(1);
        } finally {
            viewers.forEach(IcePeer::close);
        }
    }

    private static Http1Response get(QuicChannel quic, String path, String grant) throws Exception {
        return Http1Response.read(QuicStreamInput.open(quic, Http1Response.getRequest(path, grant), Duration.ofSeconds(5)));
    }

    private HttpResponse<byte[]> send(String method, String path, String grant, byte[] body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .header("Authorization", "Bearer " + grant)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}
