package dev.outpost.bench;

import dev.outpost.recorder.Recorder;
import dev.outpost.recorder.RecorderConfig;
import dev.outpost.recorder.local.LocalHttpConfig;
import java.net.URI;
import java.nio.file.Path;

/**
 * A real recorder in a JVM of its own, for benchmarks that keep it apart from the cloud: activates
 * with the given code, prints {@code READY recorderId localPort}, and runs until its standard input
 * closes (so it never outlives the benchmark that started it).
 *
 * <pre>RecorderNode DATA_DIR CLOUD_URL ACTIVATION_CODE</pre>
 */
public final class RecorderNode {
    public static void main(String[] args) throws Exception {
        BenchLog.quiet();
        RecorderConfig config = RecorderConfig.defaults(Path.of(args[0]))
                .withLocal(LocalHttpConfig.defaults().withPort(0))
                .withActivation(URI.create(args[1]), args[2]);
        try (Recorder recorder = Recorder.start(config)) {
            System.out.println("READY " + recorder.identity().recorderId() + " " + recorder.localPort());
            System.out.flush();
            while (System.in.read() >= 0) {
                // wait for the parent to go away
            }
        }
        System.exit(0);
    }
}
