package dev.millrace.sync;

import static dev.millrace.sync.SyncFixture.stream;
import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.sync.plan.StreamPlan;
import dev.millrace.sync.plan.SyncMode;
import dev.millrace.sync.result.SyncResult;
import dev.millrace.sync.result.SyncStatus;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchemaEvolutionTest {

    private static final StreamPlan INCREMENTAL = stream(SyncMode.INCREMENTAL_APPEND);

    @TempDir Path tempDir;
    private SyncFixture fixture;

    @BeforeEach
    void setUp() throws IOException {
        fixture = new SyncFixture(tempDir);
        fixture.writeCsv("orders-1.csv", "order_id,amount,note", "1,10,first", "2,20,second");
        assertThat(fixture.sync(fixture.plan(INCREMENTAL)).status())
                .isEqualTo(SyncStatus.SUCCEEDED);
    }

    private List<String> columnTypes() throws Exception {
        return fixture.rows(
                "SELECT column_name || ' ' || data_type FROM duckdb_columns() WHERE table_name ="
                        + " 'orders' AND column_name NOT LIKE '\\_millrace\\_%' ESCAPE '\\' ORDER"
                        + " BY column_index");
    }

    @Test
    void aNewSourceColumnIsAddedAndEarlierRowsHoldNull() throws Exception {
        fixture.writeCsv("orders-2.csv", "order_id,amount,note,coupon", "3,30,third,WINTER");

        SyncResult result = fixture.sync(fixture.plan(INCREMENTAL));

        assertThat(result.status()).isEqualTo(SyncStatus.SUCCEEDED);
        assertThat(columnTypes()).contains("coupon VARCHAR");
        assertThat(fixture.rows("SELECT order_id, coupon FROM raw_orders.orders ORDER BY 1"))
                .containsExactly("1|null", "2|null", "3|WINTER");
        assertThat(fixture.log).anyMatch(line -> line.contains("added column coupon VARCHAR"));
    }

    @Test
    void aColumnMissingFromNewFilesIsKeptAndFilledWithNull() throws Exception {
        fixture.writeCsv("orders-2.csv", "order_id,amount", "3,30");

        SyncResult result = fixture.sync(fixture.plan(INCREMENTAL));

        assertThat(result.status()).isEqualTo(SyncStatus.SUCCEEDED);
        assertThat(columnTypes())
                .containsExactly("order_id BIGINT", "amount BIGINT", "note VARCHAR");
        assertThat(fixture.rows("SELECT order_id, note FROM raw_orders.orders ORDER BY 1"))
                .containsExactly("1|first", "2|second", "3|null");
    }

    @Test
    void incomingValuesThatFitAreCastToTheExistingColumnType() throws Exception {
        // "amount" is BIGINT in the table; "40.0" sniffs as DOUBLE but converts without change.
        fixture.writeCsv("orders-2.csv", "order_id,amount,note", "3,40.0,x", "4,50.0,y");

        SyncResult result = fixture.sync(fixture.plan(INCREMENTAL));

        assertThat(result.status()).isEqualTo(SyncStatus.SUCCEEDED);
        assertThat(columnTypes())
                .containsExactly("order_id BIGINT", "amount BIGINT", "note VARCHAR");
        assertThat(fixture.rows("SELECT order_id, amount FROM raw_orders.orders ORDER BY 1"))
                .containsExactly("1|10", "2|20", "3|40", "4|50");
    }

    @Test
    void aValueThatWouldChangeWhenCastFailsClearlyAndChangesNothing() throws Exception {
        List<String> before = fixture.snapshot();
        fixture.writeCsv("orders-2.csv", "order_id,amount,note", "3,12.5,x");

        SyncResult result = fixture.sync(fixture.plan(INCREMENTAL));

        assertThat(result.status()).isEqualTo(SyncStatus.FAILED);
        assertThat(result.error())
                .startsWith(
                        "stream orders: column \"amount\" of raw_orders.orders is BIGINT but the"
                            + " new files hold DOUBLE: 1 value(s) cannot be stored as BIGINT"
                            + " without change (for example \"12.5\" in orders-2.csv); widen the"
                            + " column explicitly")
                .contains("ALTER COLUMN \"amount\" TYPE DOUBLE");
        assertThat(fixture.snapshot()).isEqualTo(before);
    }

    @Test
    void textThatDoesNotParseAsTheExistingTypeFails() throws Exception {
        fixture.writeCsv("orders-2.csv", "order_id,amount,note", "3,n/a,x");

        SyncResult result = fixture.sync(fixture.plan(INCREMENTAL));

        assertThat(result.status()).isEqualTo(SyncStatus.FAILED);
        assertThat(result.error())
                .contains(
                        "column \"amount\" of raw_orders.orders is BIGINT but the new files hold"
                                + " VARCHAR")
                .contains("\"n/a\" in orders-2.csv");
    }

    @Test
    void aSourceColumnUsingTheReservedPrefixIsRefused() throws Exception {
        fixture.writeCsv("orders-2.csv", "order_id,_millrace_file", "3,mine");

        SyncResult result = fixture.sync(fixture.plan(INCREMENTAL));

        assertThat(result.status()).isEqualTo(SyncStatus.FAILED);
        assertThat(result.error())
                .isEqualTo(
                        "stream orders: source column \"_millrace_file\" uses the reserved prefix"
                                + " _millrace_");
    }
}
