package dev.outpost.recorder.cameras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The camera set's bookkeeping: what it starts from the config file and from {@code cameras.json}, what survives a
 * restart, and what it refuses. Its cameras point at a closed port, so they only try to connect; the test with a
 * real camera is {@code CameraSetLiveTest}.
 */
class CameraSetTest {
    /** One attempt per stream, then a wait longer than any test. */
    private static final CameraStream.Timing QUIET = new CameraStream.Timing(Duration.ofSeconds(1),
            Duration.ofSeconds(1), Duration.ofMinutes(5), Duration.ofMinutes(5), Duration.ofMinutes(1));
    private static EventLoopGroup group;

    @TempDir
    Path data;
    private final Outlets outlets = new Outlets();
    private final List<CameraSet> opened = new ArrayList<>();

    @BeforeAll
    static void startLoops() {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    }

    @AfterAll
    static void stopLoops() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @AfterEach
    void closeSets() {
        opened.forEach(CameraSet::close);
    }

    @Test
    void withoutChangesAtRuntimeTheConfigFileIsTheTruth() throws Exception {
        open(List.of(camera("front", "Front"), camera("yard", "Yard"))).close();
        assertThat(data.resolve("cameras.json")).doesNotExist();

        CameraSet set = open(List.of(camera("front", "Front door")));
        assertThat(set.cameras()).extracting(Camera::id, Camera::name).containsExactly(
                org.assertj.core.groups.Tuple.tuple("front", "Front door"));
    }

    @Test
    void changesAtRuntimeSurviveARestartAndRemovedConfigFileCamerasStayRemoved() throws Exception {
        List<CameraConfig> configFile = List.of(camera("front", "Front"), camera("yard", "Yard"));
        CameraSet set = open(configFile);
        set.add(CameraConfig.of("porch", "Porch", "rtsp://127.0.0.1:9/main", "rtsp://127.0.0.1:9/sub",
                Optional.of(new CameraConfig.Credentials("admin", "p@ss:w/rd é")), RtpTransport.TCP));
        set.change(camera("front", "Front door"));
        set.remove("yard");
        assertThat(ids(set)).containsExactly("front", "porch");
        List<CameraConfig> before = set.cameras().stream().map(Camera::config).toList();
        set.close();

        Path file = data.resolve("cameras.json");
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        try (var listing = Files.list(data)) {
            assertThat(listing).as("no temporary file left behind").containsExactly(file);
        }

        CameraSet again = open(configFile);
        assertThat(again.cameras()).extracting(Camera::config).containsExactlyElementsOf(before);
        CameraConfig porch = again.find("porch").orElseThrow().config();
        assertThat(porch.credentials()).contains(new CameraConfig.Credentials("admin", "p@ss:w/rd é"));
        assertThat(porch.transport()).isEqualTo(RtpTransport.TCP);
        assertThat(again.find("yard")).as("removed at runtime, it does not come back from the config file").isEmpty();
    }

    @Test
    void configFileCamerasWithNewIdsJoinAtStartButDoNotOverrideRuntimeChanges() throws Exception {
        CameraSet set = open(List.of(camera("front", "Front")));
        set.change(camera("front", "Front door"));
        set.close();

        CameraSet again = open(List.of(camera("front", "Front"), camera("garage", "Garage")));
        assertThat(again.cameras()).extracting(Camera::id, Camera::name).containsExactly(
                org.assertj.core.groups.Tuple.tuple("front", "Front door"),
                org.assertj.core.groups.Tuple.tuple("garage", "Garage"));
    }

    @Test
    void aRemovedConfigFileCameraAddedAgainIsBackAfterARestart() throws Exception {
        List<CameraConfig> configFile = List.of(camera("front", "Front"));
        CameraSet set = open(configFile);
        set.remove("front");
        set.add(camera("front", "Front again"));
        set.close();

        assertThat(open(configFile).cameras()).extracting(Camera::name).containsExactly("Front again");
    }

    @Test
    void aChangeRestartsTheStreamsWithTheSameSinksAndARemovalReleasesThem() throws Exception {
        CameraSet set = open(List.of(camera("front", "Front")));
        Camera first = set.find("front").orElseThrow();
        assertThat(set.change(first.config())).as("the same settings change nothing").isSameAs(first);

        Camera second = set.change(camera("front", "Front door"));
        assertThat(second).isNotSameAs(first);
        assertThat(first.main().status().state()).isEqualTo(CameraStatus.State.CLOSED);
        assertThat(outlets.sinks).hasSize(2).as("the same sinks for the new streams");
        assertThat(outlets.released).isEmpty();

        set.remove("front");
        assertThat(second.main().status().state()).isEqualTo(CameraStatus.State.CLOSED);
        assertThat(second.sub().status().state()).isEqualTo(CameraStatus.State.CLOSED);
        assertThat(outlets.released).containsExactly("front");
        assertThat(set.cameras()).isEmpty();
    }

    @Test
    void refusalsSayWhyAndChangeNothing() throws Exception {
        CameraSet set = open(List.of(camera("front", "Front")));
        assertThatThrownBy(() -> set.add(camera("front", "Another")))
                .isInstanceOfSatisfying(CameraRefused.class,
                        e -> assertThat(e.reason()).isEqualTo(CameraRefused.Reason.ID_TAKEN))
                .hasMessageContaining("front exists already");
        assertThatThrownBy(() -> set.add(camera("sample-1", "Sample")))
                .isInstanceOfSatisfying(CameraRefused.class,
                        e -> assertThat(e.reason()).isEqualTo(CameraRefused.Reason.ID_TAKEN))
                .hasMessageContaining("sample camera");
        assertThatThrownBy(() -> set.change(camera("nope", "Nope")))
                .isInstanceOfSatisfying(CameraRefused.class,
                        e -> assertThat(e.reason()).isEqualTo(CameraRefused.Reason.NO_SUCH_CAMERA));
        assertThatThrownBy(() -> set.remove("nope"))
                .isInstanceOfSatisfying(CameraRefused.class,
                        e -> assertThat(e.reason()).isEqualTo(CameraRefused.Reason.NO_SUCH_CAMERA))
                .hasMessageContaining("no camera has the id nope");
        assertThat(ids(set)).containsExactly("front");
        assertThat(data.resolve("cameras.json")).as("nothing was changed, so nothing saved").doesNotExist();
    }

    @Test
    void aRecorderTakesAtMost256Cameras() throws Exception {
        List<CameraConfig> many = new ArrayList<>();
        for (int i = 0; i < CameraSet.MAX_CAMERAS; i++) {
            many.add(camera("cam-" + i, "Camera " + i));
        }
        CameraSet set = open(many);
        assertThatThrownBy(() -> set.add(camera("one-more", "One more")))
                .isInstanceOfSatisfying(CameraRefused.class,
                        e -> assertThat(e.reason()).isEqualTo(CameraRefused.Reason.TOO_MANY_CAMERAS))
                .hasMessageContaining("256");
        set.remove("cam-0");
        set.add(camera("one-more", "One more"));
        assertThat(set.cameras()).hasSize(CameraSet.MAX_CAMERAS);

        List<CameraConfig> tooMany = new ArrayList<>(many);
        tooMany.add(camera("extra", "Extra"));
        assertThatThrownBy(() -> CameraSet.open(data.resolve("other"), tooMany, Set.of(), group, outlets, QUIET))
                .isInstanceOf(IOException.class).hasMessageContaining("at most 256");
    }

    @Test
    void aDamagedCameraListStopsTheStartWithWhatToDo() throws Exception {
        Path file = data.resolve("cameras.json");
        Files.writeString(file, "{\"format\": 1, \"cameras\": [{\"id\": \"a b\"");
        assertThatThrownBy(() -> open(List.of())).isInstanceOf(IOException.class)
                .hasMessageContaining("cameras.json is not valid JSON").hasMessageContaining("delete it");

        Files.writeString(file, """
                {"format": 1, "cameras": [{"id": "front", "name": "Front", "mainUrl": "http://admin:s3cret@h/x",
                 "subUrl": "rtsp://h/y", "transport": "auto"}]}""");
        assertThatThrownBy(() -> open(List.of())).isInstanceOf(IOException.class)
                .hasMessageContaining("mainUrl must start with rtsp://").hasMessageNotContaining("s3cret");

        Files.writeString(file, """
                {"format": 1, "cameras": [
                 {"id": "front", "name": "Front", "mainUrl": "rtsp://h/x", "subUrl": "rtsp://h/y", "transport": "auto"},
                 {"id": "front", "name": "Front", "mainUrl": "rtsp://h/x", "subUrl": "rtsp://h/y", "transport": "auto"}]}""");
        assertThatThrownBy(() -> open(List.of())).isInstanceOf(IOException.class)
                .hasMessageContaining("two cameras have the id front");
    }

    @Test
    void theFileKeepsCredentialsSoOnlyItsOwnerMayReadIt() throws Exception {
        CameraSet set = open(List.of());
        set.add(CameraConfig.of("porch", "Porch", "rtsp://127.0.0.1:9/main", "rtsp://127.0.0.1:9/sub",
                Optional.of(new CameraConfig.Credentials("admin", "s3cret")), RtpTransport.AUTO));
        String json = Files.readString(data.resolve("cameras.json"), StandardCharsets.UTF_8);
        assertThat(json).contains("admin:s3cret@127.0.0.1:9");
        assertThat(Files.getPosixFilePermissions(data.resolve("cameras.json")))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        await().atMost(Duration.ofSeconds(10)).until(() -> set.find("porch").orElseThrow().main().status().state()
                == CameraStatus.State.RETRYING);
    }

    @Test
    void aRestoredListReplacesEveryCameraAndSurvivesARestart() throws Exception {
        List<CameraConfig> configFile = List.of(camera("front", "Front"), camera("yard", "Yard"));
        CameraSet set = open(configFile);
        set.replace(List.of(camera("yard", "Back yard"), camera("porch", "Porch")));
        assertThat(set.cameras()).extracting(Camera::id, Camera::name).containsExactly(
                org.assertj.core.groups.Tuple.tuple("yard", "Back yard"),
                org.assertj.core.groups.Tuple.tuple("porch", "Porch"));
        assertThat(outlets.released).containsExactly("front");
        set.close();

        assertThat(ids(open(configFile))).as("front, of the config file, stays removed").containsExactly("yard", "porch");
        assertThatThrownBy(() -> open(configFile).replace(List.of(camera("a", "A"), camera("a", "B"))))
                .isInstanceOf(CameraRefused.class).hasMessageContaining("camera a comes twice");
        assertThatThrownBy(() -> open(configFile).replace(List.of(camera("sample-1", "A"))))
                .isInstanceOf(CameraRefused.class).hasMessageContaining("sample camera");
    }

    private CameraSet open(List<CameraConfig> configFile) throws IOException {
        CameraSet set = CameraSet.open(data, configFile, Set.of("sample-1"), group, outlets, QUIET);
        opened.add(set);
        return set;
    }

    private static CameraConfig camera(String id, String name) {
        return new CameraConfig(id, name, URI.create("rtsp://127.0.0.1:9/" + id + "/main"),
                URI.create("rtsp://127.0.0.1:9/" + id + "/sub"));
    }

    private static List<String> ids(CameraSet set) {
        return set.cameras().stream().map(Camera::id).toList();
    }

    /** Hands each camera stream one collecting sink, the same one every time, and notes releases. */
    private static final class Outlets implements CameraSet.Outlets {
        final Map<String, CollectingSink> sinks = new ConcurrentHashMap<>();
        final List<String> released = new CopyOnWriteArrayList<>();

        @Override
        public List<VideoSink> sinks(String cameraId, StreamKind kind) {
            return List.of(sinks.computeIfAbsent(cameraId + "/" + kind.label(), k -> new CollectingSink()));
        }

        @Override
        public void release(String cameraId) {
            released.add(cameraId);
            sinks.remove(cameraId + "/" + StreamKind.MAIN.label());
            sinks.remove(cameraId + "/" + StreamKind.SUB.label());
        }
    }
}
