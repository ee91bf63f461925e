package dev.outpost.cloud.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Instant;
import java.util.List;
import java.util.TimeZone;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

@ParameterizedClass(name = "{0}")
@EnumSource(TestBackend.class)
class DatabaseTest {
    static SharedDatabase shared;

    @Parameter
    TestBackend backend;
    Database database;

    @BeforeParameterizedClassInvocation
    static void startServer(TestBackend backend) {
        shared = backend.start();
    }

    @AfterParameterizedClassInvocation
    static void stopServer() {
        shared.close();
    }

    @BeforeEach
    void emptyDatabase() {
        database = shared.emptied();
    }

    @Test
    void migratesAnEmptyDatabaseToTheCurrentSchema() {
        Database fresh = shared.openFresh();

        List<String> tables = fresh.jdbi().withHandle(handle -> handle.createQuery("""
                        select table_name from information_schema.tables
                        where table_schema = 'public' and table_name <> 'flyway_schema_history'""")
                .mapTo(String.class)
                .list());

        // SharedDatabase empties exactly these between tests; a new table must be added there.
        assertThat(tables).containsExactlyInAnyOrderElementsOf(SharedDatabase.TABLES);
        for (String table : tables) {
            int rows = fresh.jdbi().withHandle(handle ->
                    handle.createQuery("select count(*) from " + table).mapTo(Integer.class).one());
            assertThat(rows).as(table).isZero();
        }
    }

    @Test
    void storesInstantsAsUtcToTheMicrosecondWhateverTheJvmTimeZone() {
        Instant created = Instant.parse("2030-03-01T09:00:00.123456Z");
        TimeZone original = TimeZone.getDefault();
        TimeZone.setDefault(TimeZone.getTimeZone("Pacific/Chatham")); // +13:45 in March
        try {
            Database zoned = shared.openFresh();
            insertOrganization(zoned, "o1", created);

            Instant read = zoned.jdbi().withHandle(handle -> handle.createQuery(
                    "select created_at from organizations where id = 'o1'").mapTo(Instant.class).one());
            int matchingLiteral = zoned.jdbi().withHandle(handle -> handle.createQuery("""
                            select count(*) from organizations
                            where created_at = timestamp with time zone '2030-03-01 09:00:00.123456+00:00'""")
                    .mapTo(Integer.class).one());

            assertThat(read).isEqualTo(created);
            assertThat(matchingLiteral).isOne();
        } finally {
            TimeZone.setDefault(original);
        }
    }

    @Test
    void recognisesUniqueViolations() {
        insertOrganization(database, "o1", Instant.EPOCH);

        Throwable duplicate = catchThrowable(() -> insertOrganization(database, "o1", Instant.EPOCH));
        Throwable otherFailure = catchThrowable(() -> database.jdbi().useHandle(handle ->
                handle.execute("insert into users (id) values ('u1')")));

        assertThat(Database.isUniqueViolation(duplicate)).isTrue();
        assertThat(otherFailure).isNotNull();
        assertThat(Database.isUniqueViolation(otherFailure)).isFalse();
    }

    private static void insertOrganization(Database database, String id, Instant created) {
        database.jdbi().useHandle(handle -> handle.createUpdate(
                        "insert into organizations (id, name, created_at) values (:id, 'Acme', :created)")
                .bind("id", id)
                .bind("created", created)
                .execute());
    }
}
