package dev.outpost.cloud.alerts;

import dev.outpost.cloud.ApiFailure;
import dev.outpost.cloud.accounts.AuthenticatedUser;
import dev.outpost.cloud.objects.ObjectStore;
import dev.outpost.cloud.store.Database;
import dev.outpost.cloud.store.RandomIds;
import dev.outpost.wire.api.AlertRuleView;
import dev.outpost.wire.api.AlertView;
import dev.outpost.wire.api.NewAlertRule;
import dev.outpost.wire.outbox.HealthAlert;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Health alerts in the cloud: stored as they arrive from recorders (with the emails their organization's rules ask
 * for, in the same transaction), the history per organization and recorder, and the email rules. Blocking
 * (database, object store): call it from virtual threads.
 */
public final class Alerts {
    private static final Logger LOG = LoggerFactory.getLogger(Alerts.class);
    public static final int MAX_HISTORY = 1000;
    static final int MAX_RULES = 100;
    private static final int MAX_MESSAGE_CHARS = 1000;

    private final Jdbi jdbi;
    private final Clock clock;
    private final ObjectStore objects;
    private final SecureRandom random = new SecureRandom();
    private volatile Runnable mailWaiting = () -> { };

    record AlertRow(String id, String recorderId, String recorderName, String type, String cameraId, String message,
                    Instant occurredAt, Instant receivedAt, long downSeconds, String imageKey) {
        AlertView view() {
            return new AlertView(id, recorderId, recorderName, type, cameraId, message, occurredAt, receivedAt,
                    downSeconds, imageKey == null ? "" : "/api/alerts/" + id + "/image.jpg");
        }
    }

    record RuleRow(String id, String email, String types, String recorderId, Instant createdAt) {
        AlertRuleView view() {
            return new AlertRuleView(id, email, Arrays.asList(types.split(",")), recorderId == null ? "" : recorderId,
                    createdAt);
        }
    }

    public Alerts(Database database, Clock clock, ObjectStore objects) {
        this.jdbi = database.jdbi();
        this.clock = clock;
        this.objects = objects;
    }

    /** Called after an alert with emails to send was committed: the mailer wakes. */
    public void onMailWaiting(Runnable wake) {
        this.mailWaiting = wake;
    }

    /** Called by the inbox after it committed an alert: emails may be waiting. */
    public void onStored() {
        mailWaiting.run();
    }

    /** The object key of an outbox item's payload. */
    public static String objectKey(String recorderId, String kind, String itemKey, String suffix) {
        return ObjectStore.checkKey(kind + "/" + recorderId + "/" + itemKey + suffix);
    }

    /**
     * Stores an alert of {@code recorderId} within the caller's transaction, with one pending email per address its
     * organization's rules name for it.
     *
     * @return the alert's id
     */
    public String store(Handle handle, String recorderId, String organizationId, String itemKey, HealthAlert alert,
                        Optional<String> imageKey, long imageBytes) {
        String id = RandomIds.next(random, 'a');
        Instant now = clock.instant();
        String message = alert.message().length() > MAX_MESSAGE_CHARS
                ? alert.message().substring(0, MAX_MESSAGE_CHARS) : alert.message();
        handle.createUpdate("""
                        insert into alerts (id, organization_id, recorder_id, item_key, type, camera_id, message,
                            occurred_at, received_at, down_seconds, image_key, image_bytes)
                        values (:id, :organization, :recorder, :key, :type, :camera, :message, :at, :now, :down,
                            :image, :imageBytes)""")
                .bind("id", id).bind("organization", organizationId).bind("recorder", recorderId)
                .bind("key", itemKey).bind("type", clip(alert.type(), 40)).bind("camera", clip(alert.cameraId(), 64))
                .bind("message", message).bind("at", alert.at()).bind("now", now).bind("down", alert.downSeconds())
                .bind("image", imageKey.orElse(null)).bind("imageBytes", imageBytes)
                .execute();
        List<RuleRow> rules = handle.createQuery("""
                        select id, email, types, recorder_id, created_at from alert_rules
                        where organization_id = :organization and (recorder_id is null or recorder_id = :recorder)""")
                .bind("organization", organizationId).bind("recorder", recorderId)
                .map(ConstructorMapper.of(RuleRow.class)).list();
        List<String> addresses = rules.stream()
                .filter(rule -> rule.types().equals("*") || Arrays.asList(rule.types().split(",")).contains(alert.type()))
                .map(RuleRow::email).distinct().toList();
        for (String email : addresses) {
            handle.createUpdate("""
                            insert into alert_emails (id, alert_id, email, state, attempts, next_attempt_at)
                            values (:id, :alert, :email, 'pending', 0, :now)""")
                    .bind("id", RandomIds.next(random, 'm')).bind("alert", id).bind("email", email).bind("now", now)
                    .execute();
        }
        return id;
    }

    /**
     * The alerts of the user's organization, newest first: of one recorder if {@code recorderId} is given, since
     * {@code since} if given, at most {@code limit} (1 to {@value #MAX_HISTORY}).
     *
     * @throws ApiFailure 404 for a recorder not in the user's organization; 400 {@code bad-parameter}
     */
    public List<AlertView> history(AuthenticatedUser user, Optional<String> recorderId, Optional<Instant> since,
                                   int limit) {
        if (limit < 1 || limit > MAX_HISTORY) {
            throw ApiFailure.badRequest("bad-parameter", "limit: 1 to " + MAX_HISTORY + ", not " + limit);
        }
        return jdbi.withHandle(handle -> {
            recorderId.ifPresent(id -> requireRecorder(handle, user, id));
            StringBuilder sql = new StringBuilder("""
                    select a.id, a.recorder_id, r.name as recorder_name, a.type, a.camera_id, a.message, a.occurred_at,
                        a.received_at, a.down_seconds, a.image_key
                    from alerts a join recorders r on r.id = a.recorder_id
                    where a.organization_id = :organization""");
            recorderId.ifPresent(id -> sql.append(" and a.recorder_id = :recorder"));
            since.ifPresent(at -> sql.append(" and a.occurred_at >= :since"));
            sql.append(" order by a.occurred_at desc, a.received_at desc limit :limit");
            var query = handle.createQuery(sql.toString()).bind("organization", user.organizationId())
                    .bind("limit", limit);
            recorderId.ifPresent(id -> query.bind("recorder", id));
            since.ifPresent(at -> query.bind("since", at));
            return query.map(ConstructorMapper.of(AlertRow.class)).list().stream().map(AlertRow::view).toList();
        });
    }

    /** The image of an alert of the user's organization. @throws ApiFailure 404 when there is none */
    public byte[] image(AuthenticatedUser user, String alertId) {
        Optional<String> key = jdbi.withHandle(handle -> handle.createQuery(
                        "select image_key from alerts where id = :id and organization_id = :organization")
                .bind("id", alertId).bind("organization", user.organizationId())
                .mapTo(String.class).findOne());
        if (key.isEmpty()) {
            throw ApiFailure.notFound("no alert image " + alertId + " in your organization");
        }
        try {
            return objects.get(key.get()).orElseThrow(() -> ApiFailure.notFound("the image of alert " + alertId
                    + " is no longer stored"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public List<AlertRuleView> rules(AuthenticatedUser user) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        select id, email, types, recorder_id, created_at from alert_rules
                        where organization_id = :organization order by created_at""")
                .bind("organization", user.organizationId())
                .map(ConstructorMapper.of(RuleRow.class)).list().stream().map(RuleRow::view).toList());
    }

    /**
     * @throws ApiFailure 403 unless the user is an admin; 400 {@code bad-email}, {@code bad-type}; 404 for a
     *                    recorder of another organization; 409 {@code too-many-rules}
     */
    public AlertRuleView addRule(AuthenticatedUser user, NewAlertRule rule) {
        requireAdmin(user);
        String email = rule.email() == null ? "" : rule.email().strip().toLowerCase(Locale.ROOT);
        if (email.length() > 320 || !email.matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+")) {
            throw ApiFailure.badRequest("bad-email", "email: not an email address");
        }
        List<String> types = rule.types().isEmpty() ? List.of("*") : rule.types();
        for (String type : types) {
            if (!type.equals("*") && !HealthAlert.TYPES.contains(type)) {
                throw ApiFailure.badRequest("bad-type", "types: '" + clip(type, 40) + "' is not an alert type; use * or "
                        + String.join(", ", HealthAlert.TYPES));
            }
        }
        String typeList = types.contains("*") ? "*" : String.join(",", new java.util.TreeSet<>(types));
        String id = RandomIds.next(random, 'l');
        Instant now = clock.instant();
        jdbi.useTransaction(handle -> {
            if (!rule.recorderId().isEmpty()) {
                requireRecorder(handle, user, rule.recorderId());
            }
            int count = handle.createQuery("select count(*) from alert_rules where organization_id = :organization")
                    .bind("organization", user.organizationId()).mapTo(Integer.class).one();
            if (count >= MAX_RULES) {
                throw ApiFailure.conflict("too-many-rules", "an organization has at most " + MAX_RULES
                        + " alert rules: remove one first");
            }
            handle.createUpdate("""
                            insert into alert_rules (id, organization_id, email, types, recorder_id, created_at)
                            values (:id, :organization, :email, :types, :recorder, :now)""")
                    .bind("id", id).bind("organization", user.organizationId()).bind("email", email)
                    .bind("types", typeList).bind("recorder", rule.recorderId().isEmpty() ? null : rule.recorderId())
                    .bind("now", now).execute();
        });
        LOG.info("{} added an alert rule: {} gets {} alerts", user.email(), email, typeList);
        return new AlertRuleView(id, email, Arrays.asList(typeList.split(",")), rule.recorderId(), now);
    }

    /** @throws ApiFailure 403 unless the user is an admin; 404 for a rule not of the user's organization */
    public void removeRule(AuthenticatedUser user, String ruleId) {
        requireAdmin(user);
        int removed = jdbi.withHandle(handle -> handle.createUpdate(
                        "delete from alert_rules where id = :id and organization_id = :organization")
                .bind("id", ruleId).bind("organization", user.organizationId()).execute());
        if (removed == 0) {
            throw ApiFailure.notFound("no alert rule " + ruleId + " in your organization");
        }
    }

    private static void requireAdmin(AuthenticatedUser user) {
        if (user.role() != dev.outpost.cloud.accounts.Role.ADMIN) {
            throw ApiFailure.forbidden("only admins change who gets alerts by email");
        }
    }

    private static void requireRecorder(Handle handle, AuthenticatedUser user, String recorderId) {
        boolean ours = handle.createQuery("select count(*) from recorders where id = :id and organization_id = :organization")
                .bind("id", recorderId).bind("organization", user.organizationId()).mapTo(Integer.class).one() > 0;
        if (!ours) {
            throw ApiFailure.notFound("no recorder " + clip(recorderId, 40) + " in your organization");
        }
    }

    private static String clip(String text, int max) {
        return text.length() > max ? text.substring(0, max) : text;
    }

    /** For the mailer: what one pending email needs. */
    record PendingEmail(String id, String email, int attempts, String alertId, String recorderId, String recorderName,
                        String type, String cameraId, String message, Instant occurredAt, long downSeconds,
                        String imageKey) {
    }

    List<PendingEmail> dueEmails(int max) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        select m.id, m.email, m.attempts, a.id as alert_id, a.recorder_id, r.name as recorder_name,
                            a.type, a.camera_id, a.message, a.occurred_at, a.down_seconds, a.image_key
                        from alert_emails m join alerts a on a.id = m.alert_id join recorders r on r.id = a.recorder_id
                        where m.state = 'pending' and m.next_attempt_at <= :now
                        order by m.next_attempt_at limit :max""")
                .bind("now", clock.instant()).bind("max", max)
                .map(ConstructorMapper.of(PendingEmail.class)).list());
    }

    Optional<byte[]> imageOf(PendingEmail email) throws IOException {
        return email.imageKey() == null ? Optional.empty() : objects.get(email.imageKey());
    }

    void emailSent(String id) {
        jdbi.useHandle(handle -> handle.createUpdate(
                        "update alert_emails set state = 'sent', sent_at = :now, attempts = attempts + 1 where id = :id")
                .bind("now", clock.instant()).bind("id", id).execute());
    }

    /** A failed attempt: tried again later, up to {@code maxAttempts}, then given up. */
    void emailFailed(String id, int attempts, int maxAttempts, java.time.Duration retryIn, String error) {
        jdbi.useHandle(handle -> handle.createUpdate("""
                        update alert_emails set attempts = :attempts, next_attempt_at = :next, last_error = :error,
                            state = :state where id = :id""")
                .bind("attempts", attempts + 1).bind("next", clock.instant().plus(retryIn))
                .bind("error", clip(error, 1000)).bind("state", attempts + 1 >= maxAttempts ? "failed" : "pending")
                .bind("id", id).execute());
    }

    /** How long alerts (with their images and emails) and day/night images are kept. */
    public static final java.time.Duration KEPT = java.time.Duration.ofDays(90);
    /**
     * How long the receipt of an item is kept: far longer than anything waits in a recorder's outbox, so an item
     * sent again always finds its receipt.
     */
    public static final java.time.Duration RECEIPTS_KEPT = java.time.Duration.ofDays(400);
    private static final int PRUNE_BATCH = 1000;

    /**
     * Deletes alerts and day/night images received more than {@link #KEPT} ago, with their objects and emails, and
     * receipts older than {@link #RECEIPTS_KEPT}, in batches, so the database and the object store stay bounded.
     *
     * @return how many alerts and images were deleted
     */
    public int prune() throws IOException {
        java.time.Instant before = clock.instant().minus(KEPT);
        int deleted = 0;
        for (String table : List.of("alerts", "camera_images")) {
            String keyColumn = table.equals("alerts") ? "image_key" : "object_key";
            while (true) {
                List<java.util.Map.Entry<String, String>> old = jdbi.withHandle(handle -> handle.createQuery(
                                "select id, " + keyColumn + " as object from " + table
                                        + " where received_at < :before order by received_at limit :max")
                        .bind("before", before).bind("max", PRUNE_BATCH)
                        .map((rs, ctx) -> java.util.Map.entry(rs.getString("id"),
                                java.util.Objects.requireNonNullElse(rs.getString("object"), "")))
                        .list());
                if (old.isEmpty()) {
                    break;
                }
                for (var row : old) {
                    if (!row.getValue().isEmpty()) {
                        objects.delete(row.getValue());
                    }
                }
                jdbi.useHandle(handle -> handle.createUpdate("delete from " + table + " where id in (<ids>)")
                        .bindList("ids", old.stream().map(java.util.Map.Entry::getKey).toList()).execute());
                deleted += old.size();
                if (old.size() < PRUNE_BATCH) {
                    break;
                }
            }
        }
        java.time.Instant receiptsBefore = clock.instant().minus(RECEIPTS_KEPT);
        jdbi.useHandle(handle -> handle.createUpdate("delete from outbox_receipts where received_at < :before")
                .bind("before", receiptsBefore).execute());
        if (deleted > 0) {
            LOG.info("deleted {} alerts and day/night images received before {}", deleted, before);
        }
        return deleted;
    }

    /** Counts, for tests and status: emails per state. */
    public java.util.Map<String, Integer> emailCounts() {
        java.util.Map<String, Integer> counts = new java.util.TreeMap<>();
        jdbi.useHandle(handle -> handle.createQuery("select state, count(*) as n from alert_emails group by state")
                .map((rs, ctx) -> java.util.Map.entry(rs.getString("state"), rs.getInt("n")))
                .forEach(e -> counts.put(e.getKey(), e.getValue())));
        return counts;
    }

    static List<String> split(String types) {
        return new ArrayList<>(Arrays.asList(types.split(",")));
    }
}
