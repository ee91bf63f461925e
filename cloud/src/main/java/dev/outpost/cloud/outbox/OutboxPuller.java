package dev.outpost.cloud.outbox;

import dev.outpost.cloud.clips.ClipParts;
import dev.outpost.cloud.grants.GrantIssuer;
import dev.outpost.cloud.links.RecorderLink;
import dev.outpost.wire.grant.Grant;
import dev.outpost.wire.json.Json;
import dev.outpost.wire.outbox.ClipFacts;
import dev.outpost.wire.outbox.OutboxBatch;
import dev.outpost.wire.outbox.OutboxEnvelope;
import dev.outpost.wire.outbox.OutboxKind;
import dev.outpost.wire.outbox.OutboxPoll;
import io.netty.handler.codec.http.HttpMethod;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes what waits in a recorder's outbox while its link is up (docs/link.md, "Store and forward"). The cloud is
 * the link's HTTP/2 client, so it asks: {@code POST /api/outbox/poll}, which the recorder holds open until an item
 * waits (or {@link #WAIT} passes); each item's payload is fetched, the item stored in the {@link Inbox}, and its
 * key acknowledged in the next poll. An acknowledgement lost with the link only means the item comes again, and
 * the inbox knows it by its key. One puller per link, on one virtual thread, ending with the link.
 */
public final class OutboxPuller {
    private static final Logger LOG = LoggerFactory.getLogger(OutboxPuller.class);
    /** How long a recorder holds a poll with nothing to send: one empty answer every 5 minutes on an idle link. */
    public static final Duration WAIT = Duration.ofMinutes(5);
    static final int BATCH = 20;
    /** Answers bigger than this are refused: a batch's JSON, or one payload (an image, a backup, a clip part). */
    static final int MAX_ANSWER_BYTES = 16 * 1024 * 1024;
    private static final Duration SLACK = Duration.ofSeconds(30);
    /** The recorder's SHA-256 of a clip part, which the cloud checks before keeping it. */
    static final String PART_SHA256_HEADER = "X-Outpost-Part-Sha256";

    private final Inbox inbox;
    private final GrantIssuer grants;
    private final Executor blocking;
    private final Duration wait;
    private final ClipParts clipParts;
    /** Clips that arrived damaged, by item key (random, so no two recorders share one), and when (nanoTime) to try again. */
    private final java.util.Map<String, Long> laterTries = new java.util.concurrent.ConcurrentHashMap<>();
    /** How long a clip that arrived damaged waits before it is fetched again. */
    static final Duration DAMAGED_RETRY = Duration.ofSeconds(30);

    public OutboxPuller(Inbox inbox, ClipParts clipParts, GrantIssuer grants, Executor blocking) {
        this(inbox, clipParts, grants, blocking, WAIT);
    }

    public OutboxPuller(Inbox inbox, ClipParts clipParts, GrantIssuer grants, Executor blocking, Duration wait) {
        this.inbox = inbox;
        this.clipParts = clipParts;
        this.grants = grants;
        this.blocking = blocking;
        this.wait = wait;
    }

    /** Starts taking from the recorder of {@code link} until the link closes. */
    public void start(RecorderLink link) {
        blocking.execute(() -> run(link));
    }

    private void run(RecorderLink link) {
        String recorder = link.recorderId();
        List<String> ack = List.of();
        LOG.debug("taking from the outbox of recorder {}", recorder);
        try {
            while (link.isActive()) {
                String grant = grants.issue(Grant.CLOUD_USER, recorder, Set.of(Grant.OUTBOX)).token();
                byte[] poll = Json.write(new OutboxPoll(ack, BATCH, (int) wait.toSeconds()));
                LinkCalls.Answer answer = LinkCalls.call(link, HttpMethod.POST, "/api/outbox/poll", grant, poll,
                        MAX_ANSWER_BYTES, wait.plus(SLACK));
                if (answer.status() != 200) {
                    LOG.warn("recorder {} answered its outbox poll with {}: {}; not taking from it on this link",
                            recorder, answer.status(), new String(answer.body(), java.nio.charset.StandardCharsets.UTF_8));
                    return;
                }
                OutboxBatch batch = Json.read(answer.body(), OutboxBatch.class);
                List<String> stored = new ArrayList<>(batch.items().size());
                for (OutboxEnvelope item : batch.items()) {
                    if (take(link, grant, item)) {
                        stored.add(item.key());
                    }
                }
                ack = stored;
                if (stored.isEmpty() && !batch.items().isEmpty() && !laterTries.isEmpty()) {
                    // Only items to try later wait: the poll would answer them again at once.
                    Thread.sleep(DAMAGED_RETRY.toMillis());
                }
            }
        } catch (IOException e) {
            LOG.debug("outbox of recorder {}: {} ({} acknowledgements to send again)", recorder, e.getMessage(), ack.size());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warn("taking from the outbox of recorder {} failed; the link's next start tries again", recorder, e);
        }
    }

    /** Fetches an item's payload and stores it; false when it is gone from the recorder meanwhile (dropped). */
    private boolean take(RecorderLink link, String grant, OutboxEnvelope item) throws IOException, InterruptedException {
        if (OutboxKind.CLIP_PART.label().equals(item.kind())) {
            return takeClip(link, grant, item);
        }
        byte[] payload = new byte[0];
        if (item.payloadBytes() > 0) {
            if (item.payloadBytes() > MAX_ANSWER_BYTES || !item.key().matches("[0-9a-f]{32}")) {
                LOG.warn("recorder {} offers outbox item {} that this cloud cannot take ({} bytes); acknowledging it "
                        + "unstored", link.recorderId(), item.key(), item.payloadBytes());
                return true;
            }
            LinkCalls.Answer answer = LinkCalls.call(link, HttpMethod.GET, "/api/outbox/items/" + item.key()
                    + "/payload", grant, new byte[0], MAX_ANSWER_BYTES, SLACK);
            if (answer.status() == 404) {
                return false; // dropped or changed (an alert that gave up its image): the next poll says
            }
            if (answer.status() != 200 || answer.body().length != item.payloadBytes()) {
                throw new IOException("payload of outbox item " + item.key() + ": status " + answer.status() + ", "
                        + answer.body().length + " of " + item.payloadBytes() + " bytes");
            }
            payload = answer.body();
        }
        try {
            inbox.receive(link.recorderId(), item, payload);
        } catch (IllegalArgumentException e) {
            LOG.warn("recorder {} sent an unreadable {} item {}: {}; acknowledged and dropped", link.recorderId(),
                    item.kind(), item.key(), e.getMessage());
        }
        return true;
    }

    /**
     * A clip, in parts (docs/link.md, "Clips in parts"): fetched into {@link ClipParts} from where the last attempt
     * stopped, stored once whole and checked, and only then acknowledged; false when the recorder gave it up.
     */
    private boolean takeClip(RecorderLink link, String grant, OutboxEnvelope item)
            throws IOException, InterruptedException {
        String recorder = link.recorderId();
        ClipFacts facts;
        try {
            facts = Json.read(item.body().getBytes(java.nio.charset.StandardCharsets.UTF_8), ClipFacts.class);
            if (facts.bytes() != item.payloadBytes() || !facts.sha256().matches("[0-9a-f]{64}")
                    || !item.key().matches("[0-9a-f]{32}")) {
                throw new IllegalArgumentException("its length or SHA-256 do not match its payload");
            }
        } catch (RuntimeException e) {
            LOG.warn("recorder {} sent an unreadable clip item {}: {}; acknowledged and dropped", recorder,
                    item.key(), e.getMessage());
            return true;
        }
        if (inbox.stored(recorder, item.key())) {
            clipParts.forget(recorder, item.key());
            return true; // stored before its acknowledgement was lost
        }
        Long notBefore = laterTries.get(item.key());
        if (notBefore != null && System.nanoTime() - notBefore < 0) {
            return false;
        }
        java.util.Optional<java.nio.file.Path> whole;
        try {
            whole = clipParts.fetch(recorder, item.key(), facts, n -> {
                LinkCalls.Answer answer = LinkCalls.call(link, HttpMethod.GET, "/api/outbox/items/" + item.key()
                        + "/parts/" + n, grant, new byte[0], MAX_ANSWER_BYTES, SLACK);
                return new ClipParts.Part(answer.status(), answer.body(),
                        answer.headers().get(PART_SHA256_HEADER, ""));
            });
        } catch (ClipParts.DamagedException e) {
            // Not the link's fault: go on with the other items, and try this one again later.
            LOG.warn("recorder {}: {}; trying again in {} s", recorder, e.getMessage(), DAMAGED_RETRY.toSeconds());
            laterTries.put(item.key(), System.nanoTime() + DAMAGED_RETRY.toNanos());
            return false;
        }
        laterTries.remove(item.key());
        if (whole.isEmpty()) {
            return false; // given up by the recorder meanwhile: the next poll says
        }
        inbox.receiveClip(recorder, item, facts, whole.get());
        clipParts.forget(recorder, item.key());
        return true;
    }
}
