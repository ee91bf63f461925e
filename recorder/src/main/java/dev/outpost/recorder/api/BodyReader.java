package dev.outpost.recorder.api;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/** A request body gathered on the heap, bounded: endpoints that read one take a small JSON document. */
final class BodyReader {
    private final int limit;
    private final ApiCall.BodyHandler handler;
    private byte[] buffer = new byte[1024];
    private int length;

    BodyReader(int limit, ApiCall.BodyHandler handler) {
        this.limit = limit;
        this.handler = handler;
    }

    /** @return false, taking nothing, if the body would grow past the limit */
    boolean add(ByteBuf data) {
        int n = data.readableBytes();
        if (n > limit - length) {
            return false;
        }
        if (length + n > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.min(limit, Math.max(buffer.length * 2, length + n)));
        }
        data.readBytes(buffer, length, n);
        length += n;
        return true;
    }

    int limit() {
        return limit;
    }

    ApiCall.BodyHandler handler() {
        return handler;
    }

    byte[] bytes() {
        return Arrays.copyOf(buffer, length);
    }
}
