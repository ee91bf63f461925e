package dev.outpost.bench;

import dev.outpost.cloud.stun.StunLimits;
import dev.outpost.cloud.stun.StunServer;
import dev.outpost.cloud.stun.StunSettings;
import dev.outpost.wire.stun.StunMessage;
import dev.outpost.wire.stun.StunWriter;
import dev.outpost.wire.stun.TransactionId;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * STUN Binding responses per second (issue 6's figure): Outpost's STUN server and coturn's turnserver
 * ({@code --stun-only}), each process pinned to CPU 0 with {@code taskset}, driven in turns by the same load
 * client pinned to CPU 1, in the same run. Rounds alternate between the two servers.
 *
 * <p>Options: {@code --rounds 3} measured rounds per server (after one warm-up round each),
 * {@code --seconds 5} per round, {@code --sockets 16} client sockets, {@code --window 32} requests in
 * flight per socket (topped up when a socket hears nothing for 50 ms, so a lost datagram does not stall it).
 */
public final class StunBindings {
    private static final Path TURNSERVER = Path.of("/usr/bin/turnserver");

    private StunBindings() {
    }

    public static void main(String[] argv) throws Exception {
        BenchLog.quiet();
        Args args = new Args(argv);
        int rounds = (int) args.number("rounds", 3);
        long seconds = args.number("seconds", 5);
        int sockets = (int) args.number("sockets", 16);
        int window = (int) args.number("window", 32);
        args.done();
        if (!Files.isExecutable(TURNSERVER)) {
            throw new IllegalStateException(TURNSERVER + " not found: apt-get install -y coturn");
        }
        pin(ProcessHandle.current().pid(), "2"); // the client on CPU 1

        try (ChildJvm outpost = new ChildJvm(List.of("-Xmx512m"), OutpostStun.class);
             Coturn coturn = Coturn.start()) {
            int outpostPort = Integer.parseInt(outpost.await("PORT ").substring(5));
            pin(outpost.pid(), "1");
            BenchLog.say("Outpost STUN on 127.0.0.1:%d (pid %d), coturn %s on 127.0.0.1:%d (pid %d); both on CPU 0, "
                    + "client on CPU 1; %d sockets x %d in flight, %d s per round", outpostPort, outpost.pid(),
                    coturn.version, coturn.port, coturn.process.pid(), sockets, window, seconds);
            var outpostAddress = new InetSocketAddress("127.0.0.1", outpostPort);
            var coturnAddress = new InetSocketAddress("127.0.0.1", coturn.port);
            load(outpostAddress, sockets, window, 2); // warm-up: JIT for both the client and Outpost
            load(coturnAddress, sockets, window, 2);
            List<Double> outpostRates = new ArrayList<>();
            List<Double> coturnRates = new ArrayList<>();
            double outpostCpu = 0;
            double coturnCpu = 0;
            long outpostResponses = 0;
            long coturnResponses = 0;
            for (int round = 1; round <= rounds; round++) {
                double cpuBefore = outpost.cpuSeconds();
                long n = load(outpostAddress, sockets, window, seconds);
                outpostCpu += outpost.cpuSeconds() - cpuBefore;
                outpostResponses += n;
                outpostRates.add(n / (double) seconds);

                cpuBefore = cpuSeconds(coturn.process.pid());
                long m = load(coturnAddress, sockets, window, seconds);
                coturnCpu += cpuSeconds(coturn.process.pid()) - cpuBefore;
                coturnResponses += m;
                coturnRates.add(m / (double) seconds);
                BenchLog.say("round %d: Outpost %,.0f responses/s, coturn %,.0f responses/s", round,
                        n / (double) seconds, m / (double) seconds);
            }
            double o = median(outpostRates);
            double c = median(coturnRates);
            BenchLog.say("median: Outpost %,.0f responses/s, coturn %,.0f responses/s; Outpost/coturn = %.2f", o, c, o / c);
            BenchLog.say("per CPU-second of the server: Outpost %,.0f, coturn %,.0f", outpostResponses / outpostCpu,
                    coturnResponses / coturnCpu);
        }
    }

    /** Keeps {@code window} Binding requests in flight on each of {@code sockets} sockets; returns responses counted. */
    static long load(InetSocketAddress server, int sockets, int window, long seconds) throws IOException {
        byte[] request = StunWriter.toBytes(StunMessage.bindingRequest(TransactionId.random()));
        try (Selector selector = Selector.open()) {
            List<DatagramChannel> channels = new ArrayList<>();
            long[] lastHeard = new long[sockets];
            try {
                for (int i = 0; i < sockets; i++) {
                    DatagramChannel channel = DatagramChannel.open(StandardProtocolFamily.INET);
                    channels.add(channel);
                    channel.bind(new InetSocketAddress("127.0.0.1", 0)).connect(server).configureBlocking(false);
                    channel.register(selector, SelectionKey.OP_READ, i);
                }
                ByteBuffer out = ByteBuffer.wrap(request);
                ByteBuffer in = ByteBuffer.allocateDirect(2048);
                long start = System.nanoTime();
                long end = start + TimeUnit.SECONDS.toNanos(seconds);
                Arrays.fill(lastHeard, start);
                for (DatagramChannel channel : channels) {
                    send(channel, out, window);
                }
                long responses = 0;
                while (true) {
                    long now = System.nanoTime();
                    if (now >= end) {
                        return responses;
                    }
                    selector.select(10);
                    for (var it = selector.selectedKeys().iterator(); it.hasNext(); ) {
                        SelectionKey key = it.next();
                        it.remove();
                        DatagramChannel channel = (DatagramChannel) key.channel();
                        int index = (Integer) key.attachment();
                        int got = 0;
                        while (true) {
                            in.clear();
                            int read;
                            try {
                                read = channel.read(in);
                            } catch (java.net.PortUnreachableException e) {
                                read = 0;
                            }
                            if (read <= 0) {
                                break;
                            }
                            if (read >= 20 && in.get(0) == 0x01 && in.get(1) == 0x01) { // Binding success
                                got++;
                            }
                        }
                        if (got > 0) {
                            responses += got;
                            lastHeard[index] = System.nanoTime();
                            send(channel, out, got);
                        }
                    }
                    now = System.nanoTime();
                    for (int i = 0; i < sockets; i++) {
                        if (now - lastHeard[i] > TimeUnit.MILLISECONDS.toNanos(50)) {
                            lastHeard[i] = now;
                            send(channels.get(i), out, window);
                        }
                    }
                }
            } finally {
                for (DatagramChannel channel : channels) {
                    channel.close();
                }
            }
        }
    }

    private static void send(DatagramChannel channel, ByteBuffer request, int count) throws IOException {
        for (int i = 0; i < count; i++) {
            request.rewind();
            try {
                channel.write(request);
            } catch (java.net.PortUnreachableException e) {
                return;
            }
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** Pins every thread of a process to the CPUs of {@code mask} (hexadecimal), with util-linux's taskset. */
    private static void pin(long pid, String mask) throws IOException, InterruptedException {
        Process taskset = new ProcessBuilder("taskset", "-a", "-p", mask, Long.toString(pid))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!taskset.waitFor(10, TimeUnit.SECONDS) || taskset.exitValue() != 0) {
            throw new IllegalStateException("taskset could not pin process " + pid + " (is util-linux installed?)");
        }
    }

    private static double cpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** coturn's turnserver answering STUN only, on a free port of 127.0.0.1, pinned to CPU 0. */
    private record Coturn(Process process, int port, String version) implements AutoCloseable {
        static Coturn start() throws IOException, InterruptedException {
            int port;
            try (DatagramChannel probe = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
                port = ((InetSocketAddress) probe.getLocalAddress()).getPort();
            }
            Path pidFile = Files.createTempFile("outpost-bench-turnserver", ".pid");
            Process process = new ProcessBuilder("taskset", "-c", "0", TURNSERVER.toString(), "-n", "--stun-only",
                    "--no-cli", "--no-tls", "--no-dtls", "-L", "127.0.0.1", "--listening-port", Integer.toString(port),
                    "--log-file", "stdout", "--simple-log", "--pidfile", pidFile.toString())
                    .redirectErrorStream(true).start();
            String version = "?";
            var lines = new java.io.BufferedReader(new java.io.InputStreamReader(process.getInputStream()));
            String line;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while ((line = lines.readLine()) != null && System.nanoTime() < deadline) {
                if (line.contains("Version Coturn-")) {
                    version = line.substring(line.indexOf("Coturn-")).split("\\s")[0];
                }
                if (line.contains("Total General servers")) {
                    break;
                }
            }
            Thread.ofVirtual().start(() -> drain(lines)); // keep reading so turnserver never blocks on its log
            Files.deleteIfExists(pidFile);
            return new Coturn(process, port, version);
        }

        private static void drain(java.io.BufferedReader lines) {
            try {
                while (lines.readLine() != null) {
                    // discard
                }
            } catch (IOException ignored) {
                // it ended
            }
        }

        @Override
        public void close() {
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The child JVM: Outpost's STUN server with limits out of the way, until its standard input closes. */
    public static final class OutpostStun {
        public static void main(String[] args) throws Exception {
            BenchLog.quiet();
            StunLimits unlimited = new StunLimits(1e9, 1_000_000_000, 1e9, 1_000_000_000, 1024);
            try (StunServer server = StunServer.start(new StunSettings(true, Optional.of("127.0.0.1"), 0,
                    Optional.empty(), 0), "127.0.0.1", unlimited)) {
                System.out.println("PORT " + server.address().getPort());
                System.out.flush();
                while (System.in.read() != -1) {
                    // until the parent closes our input
                }
            }
        }
    }
}
