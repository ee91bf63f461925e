package dev.outpost.cloud.store;

import dev.outpost.testkit.Postgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * One test class's database on one backend, migrated once and emptied before each test: deleting
 * rows takes milliseconds where a new database takes a large part of a second.
 */
public final class SharedDatabase implements AutoCloseable {
    /** Every table, children before parents, so deleting in this order breaks no foreign key. */
    static final List<String> TABLES = List.of("clip_shares", "clips", "config_backups", "backup_keys", "camera_images", "alert_emails", "alert_rules", "alerts", "outbox_receipts", "recorder_network_settings", "recorder_local_endpoints", "activation_codes", "sessions", "recorders", "users", "organizations");

    private final TestBackend backend;
    private final Optional<Postgres> postgres;
    private final Path scratch;
    private final List<Database> opened = new ArrayList<>();
    private final Database database;

    SharedDatabase(TestBackend backend) {
        this.backend = backend;
        this.postgres = backend == TestBackend.POSTGRESQL ? Optional.of(Postgres.start()) : Optional.empty();
        try {
            this.scratch = Files.createTempDirectory("outpost-cloud-test-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.database = openFresh();
    }

    public TestBackend backend() {
        return backend;
    }

    /** The class's database, emptied: every test calls this first. */
    public Database emptied() {
        database.jdbi().useTransaction(handle -> TABLES.forEach(table -> handle.execute("delete from " + table)));
        return database;
    }

    /** Another new, migrated database on the same backend, closed with this one. */
    public Database openFresh() {
        Database fresh = Database.open(switch (backend) {
            case H2 -> DatabaseSettings.embedded(scratch.resolve("h2-" + opened.size()));
            case POSTGRESQL -> DatabaseSettings.postgresql(postgres.orElseThrow().createDatabase(),
                    postgres.orElseThrow().user(), "");
        });
        opened.add(fresh);
        return fresh;
    }

    @Override
    public void close() {
        opened.forEach(Database::close);
        postgres.ifPresent(Postgres::close);
        try (Stream<Path> files = Files.walk(scratch)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
