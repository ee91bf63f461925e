package dev.outpost.cloud.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedDatabaseTest {

    @Test
    void keepsDataInTheDataDirectoryAcrossRestarts(@TempDir Path scratch) {
        Path data = scratch.resolve("not-yet-there");
        try (Database first = Database.open(DatabaseSettings.embedded(data))) {
            first.jdbi().useHandle(handle -> handle.createUpdate(
                            "insert into organizations (id, name, created_at) values ('o1', 'Acme', :now)")
                    .bind("now", Instant.EPOCH)
                    .execute());
        }

        try (Database second = Database.open(DatabaseSettings.embedded(data))) {
            String name = second.jdbi().withHandle(handle ->
                    handle.createQuery("select name from organizations where id = 'o1'").mapTo(String.class).one());
            assertThat(name).isEqualTo("Acme");
        }
        assertThat(data.resolve("cloud.mv.db")).exists();
    }

    @Test
    void settingsNeverShowThePassword() {
        DatabaseSettings settings = DatabaseSettings.postgresql("jdbc:postgresql://db/outpost", "outpost", "hunter2");

        assertThat(settings.toString()).contains("jdbc:postgresql://db/outpost").doesNotContain("hunter2");
    }

    @Test
    void rejectsAServerUrlThatIsNotPostgresql() {
        assertThatThrownBy(() -> DatabaseSettings.postgresql("jdbc:mysql://db/outpost", "outpost", ""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("jdbc:postgresql:");
    }
}
