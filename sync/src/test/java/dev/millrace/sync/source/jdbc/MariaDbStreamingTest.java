package dev.millrace.sync.source.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.sync.MariaDbServer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mariadb.jdbc.client.result.CompleteResult;
import org.mariadb.jdbc.client.result.StreamingResult;

/**
 * MariaDB Connector/J reads a whole result into the heap before the first row unless a fetch size
 * is set; the statements a read uses must stream.
 */
class MariaDbStreamingTest {

    @RegisterExtension static final MariaDbServer MARIADB = new MariaDbServer();

    @Test
    void aReadsStatementStreamsItsResultInFetchSizedBatches() throws Exception {
        try (Connection connection = MARIADB.root(MariaDbServer.DATABASE);
                PreparedStatement plain =
                        connection.prepareStatement("SELECT seq FROM seq_1_to_5");
                ResultSet buffered = plain.executeQuery()) {
            // The driver's default, which a read must not get.
            assertThat(buffered).isInstanceOf(CompleteResult.class);
        }
        try (Connection connection = MARIADB.root(MariaDbServer.DATABASE);
                PreparedStatement statement =
                        JdbcRead.streaming(connection, "SELECT seq FROM seq_1_to_50000");
                ResultSet rows = statement.executeQuery()) {
            assertThat(rows).isInstanceOf(StreamingResult.class);
            assertThat(statement.getFetchSize()).isEqualTo(JdbcRead.FETCH_SIZE);
            long count = 0;
            while (rows.next()) {
                count++;
            }
            assertThat(count).isEqualTo(50_000);
        }
    }
}
