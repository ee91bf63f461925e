package dev.outpost.lab;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A network cable with a fixed delay, for kernels without {@code tc netem}: two TAP devices joined by a thread of
 * this JVM that holds every Ethernet frame for {@code delay} before passing it on, in order, each way. Like a line
 * card it has a bounded buffer per direction: frames beyond it are dropped (tail drop) and counted.
 *
 * <p>The devices are made in this JVM's namespace and then moved by the caller to where they belong ({@code ip
 * link set DEV netns NS}); their file descriptors stay attached. Linux's TUN/TAP driver is reached through the
 * JDK's foreign-function API ({@code open}, {@code ioctl(TUNSETIFF)}, {@code poll}, {@code read}, {@code write}
 * from the C library): no native code of ours.
 */
final class DelayedWire implements AutoCloseable {
    /** Frames held per direction at most: 4 MiB is 20 ms at 1.6 Gbit/s, more than this machine forwards. */
    static final int BUFFER_BYTES = 4 << 20;

    private static final long TUNSETIFF = 0x400454caL;
    private static final short IFF_TAP = 0x0002;
    private static final short IFF_NO_PI = 0x1000;
    private static final int O_RDWR_NONBLOCK_CLOEXEC = 0x2 | 0x800 | 0x80000;
    private static final short POLLIN = 0x1;
    private static final int EAGAIN = 11;
    private static final int IFNAMSIZ = 16;
    private static final int MAX_FRAME = 65_536;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final MemoryLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option WITH_ERRNO = Linker.Option.captureCallState("errno");
    private static final MethodHandle OPEN = call("open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT),
            WITH_ERRNO);
    private static final MethodHandle IOCTL = call("ioctl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS),
            WITH_ERRNO, Linker.Option.firstVariadicArg(2));
    private static final MethodHandle POLL = call("poll", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle READ = call("read", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle WRITE = call("write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle CLOSE = call("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));

    private final String left;
    private final String right;
    private final long delayNanos;
    private final int leftFd;
    private final int rightFd;
    private final AtomicLong dropped = new AtomicLong();
    private final Thread pump;
    private volatile boolean running = true;

    private DelayedWire(String left, String right, Duration delay) {
        this.left = left;
        this.right = right;
        this.delayNanos = delay.toNanos();
        this.leftFd = openTap(left);
        int opened;
        try {
            opened = openTap(right);
        } catch (RuntimeException e) {
            closeFd(leftFd);
            throw e;
        }
        this.rightFd = opened;
        this.pump = Thread.ofPlatform().daemon().name("lab-wire-" + left).start(this::pump);
    }

    /**
     * Makes TAP devices {@code left} and {@code right} (at most 15 characters each) in this JVM's namespace and
     * starts passing frames between them, {@code delay} late.
     */
    static DelayedWire create(String left, String right, Duration delay) {
        if (left.length() >= IFNAMSIZ || right.length() >= IFNAMSIZ) {
            throw new IllegalArgumentException("interface names have at most 15 characters: " + left + ", " + right);
        }
        return new DelayedWire(left, right, delay);
    }

    /** Frames dropped because a direction's buffer was full or a device would not take them. */
    long dropped() {
        return dropped.get();
    }

    private void pump() {
        Direction toRight = new Direction(leftFd, rightFd);
        Direction toLeft = new Direction(rightFd, leftFd);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment fds = arena.allocate(16, 8);
            MemorySegment frame = arena.allocate(MAX_FRAME);
            fds.set(JAVA_INT, 0, leftFd);
            fds.set(JAVA_SHORT, 4, POLLIN);
            fds.set(JAVA_INT, 8, rightFd);
            fds.set(JAVA_SHORT, 12, POLLIN);
            while (running) {
                long now = System.nanoTime();
                toRight.deliverDue(now, frame);
                toLeft.deliverDue(now, frame);
                long next = Math.min(toRight.nextDue(), toLeft.nextDue());
                int timeoutMs = next == Long.MAX_VALUE ? 100
                        : (int) Math.clamp(TimeUnit.NANOSECONDS.toMillis(next - now + 999_999), 0, 100);
                fds.set(JAVA_SHORT, 6, (short) 0);
                fds.set(JAVA_SHORT, 14, (short) 0);
                if ((int) POLL.invokeExact(fds, 2L, timeoutMs) > 0) {
                    long arrived = System.nanoTime();
                    if ((fds.get(JAVA_SHORT, 6) & POLLIN) != 0) {
                        toRight.take(arrived, frame);
                    }
                    if ((fds.get(JAVA_SHORT, 14) & POLLIN) != 0) {
                        toLeft.take(arrived, frame);
                    }
                }
            }
        } catch (Throwable e) {
            if (running) {
                throw new IllegalStateException("network lab: the delayed wire " + left + " <-> " + right + " failed", e);
            }
        }
    }

    /** A frame on the wire and when it may leave it ({@link System#nanoTime()}). */
    private record Held(byte[] frame, long due) {
    }

    /** Frames travelling one way: read from {@code from}, written to {@code to} once due. */
    private final class Direction {
        private final int from;
        private final int to;
        private final ArrayDeque<Held> held = new ArrayDeque<>();
        private int bytes;

        Direction(int from, int to) {
            this.from = from;
            this.to = to;
        }

        long nextDue() {
            return held.isEmpty() ? Long.MAX_VALUE : held.peekFirst().due();
        }

        /** Reads what the device has, up to a bounded number of frames, each due {@code delay} after now. */
        void take(long now, MemorySegment buffer) throws Throwable {
            for (int i = 0; i < 256; i++) {
                long n = (long) READ.invokeExact(from, buffer, (long) MAX_FRAME);
                if (n <= 0) {
                    return; // EAGAIN: nothing more now
                }
                if (bytes + n > BUFFER_BYTES) {
                    dropped.incrementAndGet();
                    continue;
                }
                held.addLast(new Held(buffer.asSlice(0, n).toArray(JAVA_BYTE), now + delayNanos));
                bytes += (int) n;
            }
        }

        void deliverDue(long now, MemorySegment buffer) throws Throwable {
            while (!held.isEmpty() && held.peekFirst().due() - now <= 0) {
                byte[] frame = held.removeFirst().frame();
                bytes -= frame.length;
                MemorySegment.copy(frame, 0, buffer, JAVA_BYTE, 0, frame.length);
                long written = (long) WRITE.invokeExact(to, buffer, (long) frame.length);
                if (written != frame.length) {
                    dropped.incrementAndGet(); // the device's queue is full (EAGAIN), as a busy line would drop it
                }
            }
        }
    }

    private static int openTap(String name) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int fd = (int) OPEN.invokeExact(state, arena.allocateFrom("/dev/net/tun"), O_RDWR_NONBLOCK_CLOEXEC);
            if (fd < 0) {
                throw new IllegalStateException("network lab: cannot open /dev/net/tun (errno " + errno(state) + ")");
            }
            MemorySegment ifreq = arena.allocate(40, 8);
            byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
            MemorySegment.copy(bytes, 0, ifreq, JAVA_BYTE, 0, bytes.length);
            ifreq.set(JAVA_SHORT, IFNAMSIZ, (short) (IFF_TAP | IFF_NO_PI));
            if ((int) IOCTL.invokeExact(state, fd, TUNSETIFF, ifreq) < 0) {
                int errno = errno(state);
                closeFd(fd);
                throw new IllegalStateException("network lab: cannot make TAP device " + name + " (errno " + errno + ")");
            }
            return fd;
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("network lab: cannot make TAP device " + name, e);
        }
    }

    private static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    private static void closeFd(int fd) {
        try {
            int ignored = (int) CLOSE.invokeExact(fd);
        } catch (Throwable e) {
            throw new IllegalStateException("network lab: close(" + fd + ") failed", e);
        }
    }

    /** A C library function (with {@link #WITH_ERRNO}, the handle takes a call-state segment first). */
    private static MethodHandle call(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        MemorySegment symbol = LIBC.find(name).orElseThrow(() -> new IllegalStateException("libc has no " + name));
        return LINKER.downcallHandle(symbol, descriptor, options);
    }

    /** Stops the pump and closes both devices (which removes them, wherever they are). */
    @Override
    public void close() {
        running = false;
        try {
            pump.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeFd(leftFd);
        closeFd(rightFd);
    }

    @Override
    public String toString() {
        return "delayed wire " + left + " <-> " + right + " (" + TimeUnit.NANOSECONDS.toMillis(delayNanos) + " ms)";
    }
}
