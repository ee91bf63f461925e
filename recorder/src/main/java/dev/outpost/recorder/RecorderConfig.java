package dev.outpost.recorder;

import dev.outpost.recorder.cameras.CameraConfig;
import dev.outpost.recorder.local.LocalHttpConfig;
import dev.outpost.recorder.recording.Retention;
import dev.outpost.recorder.samples.SampleCameras;
import dev.outpost.recorder.samples.SampleVideo;
import java.util.List;
import dev.outpost.wire.link.LinkTransport;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Everything a recorder is configured with (docs/configuration.md lists each setting).
 *
 * @param dataDir      identity, recordings and the outbox live here
 * @param cloud        the cloud's https URL; only needed to activate (afterwards it is in the identity)
 * @param activationCode a code to activate with, once
 * @param proxy        an HTTP CONNECT proxy URL; empty: {@code https_proxy} from the environment, if set
 * @param cloudCaFile  a PEM file of CAs to trust for the cloud (for TLS-inspecting proxies)
 * @param local        the local HTTP API port
 * @param maxRelayedStreams the most requests the cloud may relay at once
 * @param backoffBase  first reconnection delay ceiling
 * @param backoffMax   largest reconnection delay
 * @param linkTransport the link transport to try first; empty: HTTP/2 by ALPN, falling back to WebSocket
 * @param cameras      the config file's cameras to pull, record and serve; once cameras were changed at runtime,
 *                     {@code dataDir/cameras.json} says which run (see {@code CameraSet})
 * @param samples      sample cameras to serve besides them (none by default; the demo has four)
 * @param recordingLimits how much recorded video to keep (in {@code dataDir/recordings}): the oldest
 *                     segments go first past either bound
 * @param health       health alerts, day/night images and the outbox that holds them for the cloud
 */
public record RecorderConfig(Path dataDir, Optional<URI> cloud, Optional<String> activationCode, Optional<String> proxy,
                             Optional<Path> cloudCaFile, LocalHttpConfig local, int maxRelayedStreams,
                             Duration backoffBase, Duration backoffMax, Optional<LinkTransport> linkTransport,
                             List<CameraConfig> cameras, Samples samples, Retention.Limits recordingLimits,
                             dev.outpost.recorder.health.HealthSettings health) {

    /**
     * Sample cameras ({@code sample-1} to {@code sample-N}, see {@code recorder.samples}).
     *
     * @param count    how many; 0 for none
     * @param clips    how many distinct clips they share (camera N plays clip ((N - 1) % clips) + 1): making one
     *                 takes about 10 s of a core on first use; 1 to count, 16 at most (0 with no cameras)
     * @param cacheDir where their clips are made on first use and kept
     */
    public record Samples(int count, int clips, Path cacheDir) {
        public static final Samples NONE = new Samples(0, SampleVideo.defaultCacheDir());
        /** Most sample cameras: enough to load a recorder as a large site would. */
        public static final int MAX_COUNT = 256;

        public Samples {
            if (count < 0 || count > MAX_COUNT) {
                throw new IllegalArgumentException("sample cameras must be 0 to " + MAX_COUNT + ", not " + count);
            }
            int most = Math.min(count, SampleCameras.MAX_DISTINCT_CLIPS);
            if (clips > most || (count > 0 && clips < 1)) {
                throw new IllegalArgumentException(count + " sample cameras share 1 to " + most
                        + " distinct clips, not " + clips);
            }
            java.util.Objects.requireNonNull(cacheDir, "cacheDir");
        }

        /** {@code count} cameras, each with its own clip up to the 16th; the cameras after it replay those. */
        public Samples(int count, Path cacheDir) {
            this(count, Math.clamp(count, 0, SampleCameras.MAX_DISTINCT_CLIPS), cacheDir);
        }
    }

    public RecorderConfig {
        cameras = List.copyOf(cameras);
        java.util.Objects.requireNonNull(samples, "samples");
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (CameraConfig camera : cameras) {
            if (!ids.add(camera.id())) {
                throw new IllegalArgumentException("two cameras have the id " + camera.id() + ": ids must be unique");
            }
        }
        for (int number = 1; number <= samples.count(); number++) {
            if (ids.contains("sample-" + number)) {
                throw new IllegalArgumentException("camera id sample-" + number + " is taken by a sample camera: "
                        + "choose another id, or fewer sample cameras");
            }
        }
    }

    /** Keeps up to 50 GiB and 30 days of video unless configured otherwise. */
    public static final Retention.Limits DEFAULT_RECORDING_LIMITS =
            new Retention.Limits(50L * 1024 * 1024 * 1024, Duration.ofDays(30));

    public RecorderConfig withRecordingLimits(Retention.Limits limits) {
        return new RecorderConfig(dataDir, cloud, activationCode, proxy, cloudCaFile, local, maxRelayedStreams,
                backoffBase, backoffMax, linkTransport, cameras, samples, limits, health);
    }

    public RecorderConfig withHealth(dev.outpost.recorder.health.HealthSettings settings) {
        return new RecorderConfig(dataDir, cloud, activationCode, proxy, cloudCaFile, local, maxRelayedStreams,
                backoffBase, backoffMax, linkTransport, cameras, samples, recordingLimits, settings);
    }

    public static RecorderConfig defaults(Path dataDir) {
        return new RecorderConfig(dataDir, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                LocalHttpConfig.defaults(), 256, Duration.ofSeconds(1), Duration.ofSeconds(30), Optional.empty(), List.of(), Samples.NONE,
                DEFAULT_RECORDING_LIMITS, dev.outpost.recorder.health.HealthSettings.DEFAULTS);
    }

    public RecorderConfig withActivation(URI cloudUrl, String code) {
        return new RecorderConfig(dataDir, Optional.of(cloudUrl), Optional.of(code), proxy, cloudCaFile, local,
                maxRelayedStreams, backoffBase, backoffMax, linkTransport, cameras, samples, recordingLimits, health);
    }

    public RecorderConfig withProxy(Optional<String> proxyUrl) {
        return new RecorderConfig(dataDir, cloud, activationCode, proxyUrl, cloudCaFile, local, maxRelayedStreams,
                backoffBase, backoffMax, linkTransport, cameras, samples, recordingLimits, health);
    }

    public RecorderConfig withLocal(LocalHttpConfig newLocal) {
        return new RecorderConfig(dataDir, cloud, activationCode, proxy, cloudCaFile, newLocal, maxRelayedStreams,
                backoffBase, backoffMax, linkTransport, cameras, samples, recordingLimits, health);
    }

    public RecorderConfig withCloudCaFile(Optional<Path> file) {
        return new RecorderConfig(dataDir, cloud, activationCode, proxy, file, local, maxRelayedStreams,
                backoffBase, backoffMax, linkTransport, cameras, samples, recordingLimits, health);
    }

    public RecorderConfig withBackoff(Duration base, Duration max) {
        return new RecorderConfig(dataDir, cloud, activationCode, proxy, cloudCaFile, local, maxRelayedStreams, base, max, linkTransport, cameras, samples, recordingLimits, health);
    }

    public RecorderConfig withLinkTransport(Optional<LinkTransport> first) {
        return new RecorderConfig(dataDir, cloud, activationCode, proxy, cloudCaFile, local, maxRelayedStreams,
                backoffBase, backoffMax, first, cameras, samples, recordingLimits, health);
    }

    public RecorderConfig withCameras(List<CameraConfig> list) {
        return new RecorderConfig(dataDir, cloud, activationCode, proxy, cloudCaFile, local, maxRelayedStreams,
                backoffBase, backoffMax, linkTransport, list, samples, recordingLimits, health);
    }

    /** Adds {@code count} sample cameras, their clips cached in {@link SampleVideo#defaultCacheDir}. */
    public RecorderConfig withSampleCameras(int count) {
        return withSampleCameras(count, samples.cacheDir());
    }

    /** Adds {@code count} sample cameras, their clips cached in {@code cacheDir}. */
    public RecorderConfig withSampleCameras(int count, Path cacheDir) {
        return withSampleCameras(new Samples(count, cacheDir));
    }

    /** Adds {@code count} sample cameras sharing {@code clips} distinct clips, cached in {@code cacheDir}. */
    public RecorderConfig withSampleCameras(int count, int clips, Path cacheDir) {
        return withSampleCameras(new Samples(count, clips, cacheDir));
    }

    private RecorderConfig withSampleCameras(Samples newSamples) {
        return new RecorderConfig(dataDir, cloud, activationCode, proxy, cloudCaFile, local, maxRelayedStreams,
                backoffBase, backoffMax, linkTransport, cameras, newSamples, recordingLimits, health);
    }

    @Override
    public String toString() {
        return "RecorderConfig[dataDir=" + dataDir + ", cloud=" + cloud.orElse(null) + ", local=" + local.bindAddress()
                + ":" + local.port() + ", cameras=" + cameras.size() + ", sampleCameras=" + samples.count() + "]";
    }
}
