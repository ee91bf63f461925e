package dev.outpost.testkit;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A named Linux network namespace ({@code ip netns add NAME}, a file in {@code /run/netns}), and the two ways into
 * it: a command prefixed with {@code ip netns exec NAME}, or a task run in this JVM on a platform thread that has
 * joined the namespace with setns(2), so the sockets it opens live there (a socket keeps its namespace whichever
 * thread later uses it). Needs root (CAP_SYS_ADMIN).
 */
public final class NetworkNamespace {
    private static final Path RUN_NETNS = Path.of("/run/netns");
    // <sched.h>, <fcntl.h>
    private static final int CLONE_NEWNET = 0x40000000;
    private static final int O_RDONLY_CLOEXEC = 0x80000;

    private final String name;

    private NetworkNamespace(String name) {
        this.name = name;
    }

    /** The namespace {@code ip netns} knows by this name; it need not exist yet. */
    public static NetworkNamespace named(String name) {
        if (name.isEmpty() || name.length() > 64 || !name.matches("[A-Za-z0-9_.-]+") || name.startsWith(".")) {
            throw new IllegalArgumentException("network namespace name must be 1-64 of [A-Za-z0-9_.-], not '"
                    + name + "'");
        }
        return new NetworkNamespace(name);
    }

    public String name() {
        return name;
    }

    public boolean exists() {
        return Files.exists(RUN_NETNS.resolve(name));
    }

    /** {@code command} prefixed to run inside this namespace. */
    public List<String> command(List<String> command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(command);
        return full;
    }

    /**
     * Runs {@code task} on a new platform thread inside this namespace and returns its result, waiting at most
     * {@code timeoutMillis}. The thread ends with the task, so nothing else ever runs in the namespace by mistake.
     */
    public <T> T call(Callable<T> task, long timeoutMillis) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread thread = Thread.ofPlatform().daemon().name("netns-" + name).start(() -> {
            try {
                enter();
                result.complete(task.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        try {
            return result.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        } catch (TimeoutException e) {
            thread.interrupt();
            throw new TimeoutException("task in network namespace " + name + " did not finish in " + timeoutMillis
                    + " ms");
        }
    }

    @Override
    public String toString() {
        return "netns " + name;
    }

    /** setns(2) of the calling thread into this namespace. */
    private void enter() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Libc.STATE);
            MemorySegment path = arena.allocateFrom(RUN_NETNS.resolve(name).toString());
            int fd = (int) Libc.OPEN.invokeExact(state, path, O_RDONLY_CLOEXEC);
            if (fd < 0) {
                throw new IllegalStateException("cannot open " + RUN_NETNS.resolve(name) + ": errno "
                        + (int) Libc.ERRNO.get(state, 0L) + " (does the namespace exist?)");
            }
            try {
                int rc = (int) Libc.SETNS.invokeExact(state, fd, CLONE_NEWNET);
                if (rc != 0) {
                    throw new IllegalStateException("setns into " + name + " failed: errno "
                            + (int) Libc.ERRNO.get(state, 0L) + " (root is needed)");
                }
            } finally {
                int ignored = (int) Libc.CLOSE.invokeExact(fd);
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("cannot enter network namespace " + name, e);
        }
    }

    /** The three libc calls, with errno captured right after each (the JVM may change it before Java sees it). */
    private static final class Libc {
        private static final Linker LINKER = Linker.nativeLinker();
        private static final Linker.Option ERRNO_CAPTURE = Linker.Option.captureCallState("errno");
        static final StructLayout STATE = Linker.Option.captureStateLayout();
        static final VarHandle ERRNO = STATE.varHandle(java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));
        static final MethodHandle OPEN = LINKER.downcallHandle(LINKER.defaultLookup().find("open").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT), ERRNO_CAPTURE, Linker.Option.firstVariadicArg(2));
        static final MethodHandle SETNS = LINKER.downcallHandle(LINKER.defaultLookup().find("setns").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), ERRNO_CAPTURE);
        static final MethodHandle CLOSE = LINKER.downcallHandle(LINKER.defaultLookup().find("close").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    }
}
