package dev.outpost.recorder.api;

import dev.outpost.recorder.outbox.Outbox;
import dev.outpost.wire.json.Json;
import dev.outpost.wire.outbox.ClipFacts;
import dev.outpost.wire.outbox.OutboxBatch;
import dev.outpost.wire.outbox.OutboxPoll;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * The outbox as the cloud takes from it over the link (docs/link.md, "Store and forward"): {@code POST
 * /api/outbox/poll} acknowledges what the cloud stored and answers what waits, holding the request while
 * nothing does; {@code GET /api/outbox/items/{key}/payload} gives one item's payload. And {@code GET
 * /api/usage}: what was sent, per category per day. File work runs on a virtual thread.
 */
final class OutboxEndpoints {
    static final int MAX_POLL_BODY = 8 * 1024;

    private OutboxEndpoints() {
    }

    static void poll(RecorderApi api, ApiCall call) throws ApiRefusal {
        Outbox outbox = outbox(api);
        call.readBody(MAX_POLL_BODY, body -> {
            OutboxPoll poll;
            try {
                poll = Json.read(body, OutboxPoll.class);
            } catch (RuntimeException e) {
                throw new ApiRefusal(400, "bad-body", "the body is not an OutboxPoll");
            }
            Optional<String> problem = poll.problem();
            if (problem.isPresent()) {
                throw ApiRefusal.badParameter(problem.get());
            }
            api.blocking().execute(() -> {
                try {
                    outbox.acknowledge(poll.ack());
                    call.json(HttpResponseStatus.OK,
                            new OutboxBatch(outbox.poll(poll.max(), Duration.ofSeconds(poll.waitSeconds()))));
                } catch (IOException e) {
                    call.fail(e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    call.fail(e);
                }
            });
        });
    }

    static void payload(RecorderApi api, ApiCall call) throws ApiRefusal {
        Outbox outbox = outbox(api);
        String key = call.param(0);
        api.blocking().execute(() -> {
            try {
                Optional<byte[]> payload = outbox.payload(key);
                if (payload.isEmpty()) {
                    call.refuse(new ApiRefusal(404, "not-found", "no outbox item " + key
                            + " (acknowledged already, or given up because the outbox was full)"));
                } else {
                    call.bytes(HttpResponseStatus.OK, HttpHeaderValues.APPLICATION_OCTET_STREAM.toString(),
                            Unpooled.wrappedBuffer(payload.get()));
                }
            } catch (IOException e) {
                call.fail(e);
            }
        });
    }

    /** Header of a part answer: the part's SHA-256, lowercase hex, so the cloud can tell a damaged part. */
    static final String PART_SHA256_HEADER = "X-Outpost-Part-Sha256";

    /**
     * {@code GET /api/outbox/items/{key}/parts/{n}}: part {@code n} (from 0) of an item's payload, {@link
     * ClipFacts#PART_BYTES} long but the last, with its SHA-256 in {@value #PART_SHA256_HEADER}. Only that part is
     * read from disk.
     */
    static void part(RecorderApi api, ApiCall call) throws ApiRefusal {
        Outbox outbox = outbox(api);
        String key = call.param(0);
        int part = Integer.parseInt(call.param(1));
        api.blocking().execute(() -> {
            try {
                Optional<byte[]> bytes = outbox.payloadPart(key, (long) part * ClipFacts.PART_BYTES,
                        ClipFacts.PART_BYTES);
                if (bytes.isEmpty()) {
                    call.refuse(new ApiRefusal(404, "not-found", "no outbox item " + key
                            + " (acknowledged already, or given up because the outbox was full)"));
                    return;
                }
                String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes.get()));
                api.exports().ifPresent(exports -> exports.partTaken(key, part));
                call.bytes(HttpResponseStatus.OK, HttpHeaderValues.APPLICATION_OCTET_STREAM.toString(),
                        Unpooled.wrappedBuffer(bytes.get()), Map.of(PART_SHA256_HEADER, sha256));
            } catch (IllegalArgumentException e) {
                call.refuse(new ApiRefusal(416, "no-such-part", "item " + key + " has no part " + part + ": "
                        + e.getMessage()));
            } catch (IOException | NoSuchAlgorithmException e) {
                call.fail(e);
            }
        });
    }

    static void usage(RecorderApi api, ApiCall call) throws ApiRefusal {
        call.json(HttpResponseStatus.OK, outbox(api).usage().view());
    }

    private static Outbox outbox(RecorderApi api) throws ApiRefusal {
        return api.outbox().orElseThrow(() -> new ApiRefusal(503, "no-outbox", "this recorder has no outbox yet"));
    }
}
