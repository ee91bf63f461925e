package dev.outpost.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class PostgresTest {

    @Test
    void startsAnswersQueriesOnLoopbackAndLeavesNothingBehind() throws Exception {
        Path directory;
        int port;
        try (Postgres postgres = Postgres.start()) {
            directory = postgres.directory();
            port = postgres.port();
            assertThat(postgres.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:" + port + "/postgres");
            assertThat(postgres.user()).isEqualTo("postgres");
            assertThat(psql(postgres, "postgres", "select 40 + 2")).isEqualTo("42");

            String fresh = postgres.createDatabase();
            String database = fresh.substring(fresh.lastIndexOf('/') + 1);
            assertThat(postgres.createDatabase()).isNotEqualTo(fresh);
            assertThat(psql(postgres, database, "select current_database()")).isEqualTo(database);
            assertThat(psql(postgres, database, "select count(*) from pg_tables where schemaname = 'public'"))
                    .isEqualTo("0");
        }
        assertThat(directory).doesNotExist();
        assertThatThrownBy(() -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            }
        }).isInstanceOf(ConnectException.class);
    }

    @Test
    void closingTwiceIsHarmless() {
        Postgres postgres = Postgres.start();
        postgres.close();
        postgres.close();
        assertThat(postgres.directory()).doesNotExist();
    }

    private static String psql(Postgres postgres, String database, String sql) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(List.of(postgres.binaries().resolve("psql").toString(),
                "-h", "127.0.0.1", "-p", Integer.toString(postgres.port()), "-U", postgres.user(),
                "-d", database, "-At", "-c", sql))
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(process.waitFor()).as(output).isZero();
        return output;
    }
}
