package dev.outpost.recorder.cameras;

import dev.outpost.media.rtsp.RtspFormatException;
import dev.outpost.media.rtsp.RtspResponse;
import dev.outpost.media.sdp.SdpException;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.DecoderException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/** Why a camera stream stopped or could not start, in words an installer can act on. */
final class StreamFailure extends Exception {
    enum Kind {
        /** The camera refused the credentials. */
        AUTHENTICATION(true),
        /** The camera has nothing at the URL's path, or forbids it. */
        NOT_FOUND(true),
        /** The camera offers no video Outpost can take (not H.264, packetization-mode 2, no usable transport). */
        UNSUPPORTED(true),
        /** Nothing answered at the address. */
        UNREACHABLE(false),
        /** The camera stopped answering or sending. */
        TIMEOUT(false),
        /** The connection ended under a working stream. */
        CONNECTION_LOST(false),
        /** The camera answered something Outpost could not make sense of. */
        PROTOCOL(false);

        private final boolean needsAttention;

        Kind(boolean needsAttention) {
            this.needsAttention = needsAttention;
        }

        /** Whether retrying alone will probably not help: the camera or its configuration must change. */
        boolean needsAttention() {
            return needsAttention;
        }
    }

    /** Carries a failure through a lambda that cannot throw checked exceptions. */
    static final class Unchecked extends RuntimeException {
        private final StreamFailure failure;

        Unchecked(StreamFailure failure) {
            super(failure.getMessage(), failure, false, false);
            this.failure = failure;
        }

        StreamFailure failure() {
            return failure;
        }
    }

    private final Kind kind;

    StreamFailure(Kind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    Kind kind() {
        return kind;
    }

    /** A failure for an answer other than 200 to {@code method}. */
    static StreamFailure of(String method, RtspResponse response, String where) {
        int status = response.status();
        String said = status + " " + response.reason();
        return switch (status) {
            case 401 -> new StreamFailure(Kind.AUTHENTICATION, "authentication refused by " + where + " (" + said
                    + "): check the user and password in the camera's URL");
            case 403 -> new StreamFailure(Kind.NOT_FOUND, "access forbidden by " + where + " (" + said
                    + "): the user may lack the right to view this stream");
            case 404 -> new StreamFailure(Kind.NOT_FOUND, "not found: " + where + " has no stream at this path ("
                    + said + "); check the URL in the camera's manual");
            case 461 -> new StreamFailure(Kind.UNSUPPORTED, "unsupported transport: " + where
                    + " refused the RTP transport offered in " + method + " (" + said + ")");
            default -> new StreamFailure(status >= 500 ? Kind.PROTOCOL : Kind.UNSUPPORTED, where + " answered "
                    + method + " with " + said);
        };
    }

    /** Classifies whatever ended an attempt: network errors, timeouts, malformed answers. */
    static StreamFailure of(Throwable error, String where) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException
                || cause instanceof DecoderException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return switch (cause) {
            case StreamFailure failure -> failure;
            case Unchecked unchecked -> unchecked.failure();
            case UnknownHostException e -> new StreamFailure(Kind.UNREACHABLE, "unreachable: " + e.getMessage()
                    + "; check the camera's address");
            case ConnectTimeoutException e -> new StreamFailure(Kind.UNREACHABLE, "unreachable: " + where
                    + " did not accept a connection in time; check that it is powered and on the network");
            case NoRouteToHostException e -> new StreamFailure(Kind.UNREACHABLE, "unreachable: no route to " + where);
            case ConnectException e -> new StreamFailure(Kind.UNREACHABLE, "unreachable: " + where
                    + " refused the connection; check the address and RTSP port (usually 554)");
            case TimeoutException e -> new StreamFailure(Kind.TIMEOUT, "timeout: " + e.getMessage());
            case SdpException e -> new StreamFailure(Kind.PROTOCOL, "the camera's stream description is malformed: "
                    + e.getMessage());
            case RtspFormatException e -> new StreamFailure(Kind.PROTOCOL, "the camera broke RTSP: " + e.getMessage());
            case java.io.IOException e -> new StreamFailure(Kind.CONNECTION_LOST, "connection lost: "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
            case IllegalArgumentException e -> new StreamFailure(Kind.NOT_FOUND, "bad camera URL: " + e.getMessage());
            default -> new StreamFailure(Kind.PROTOCOL, "unexpected failure: " + cause);
        };
    }
}
