package dev.millrace.store.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.millrace.store.testing.Backend;
import dev.millrace.store.testing.StoreTestBase;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

@ParameterizedClass(name = "on {0}")
@EnumSource(Backend.class)
class ConnectorCatalogsTest extends StoreTestBase {

    private static final Instant FIRST = Instant.parse("2026-11-22T06:00:00Z");
    private static final Instant SECOND = Instant.parse("2026-11-22T07:00:00Z");

    private static CatalogTable orders() {
        return new CatalogTable(
                "shop",
                "public",
                "orders",
                "TABLE",
                1200L,
                81920L,
                List.of(
                        new CatalogColumn("id", 1, "int8", false, 1),
                        new CatalogColumn("customer", 2, "text", true, null),
                        new CatalogColumn("placed_at", 3, "timestamptz", false, null)));
    }

    private static CatalogTable lines() {
        return new CatalogTable(
                "shop",
                "public",
                "order_lines",
                "TABLE",
                null,
                null,
                List.of(
                        new CatalogColumn("line", 2, "int4", false, 2),
                        new CatalogColumn("order_id", 1, "int8", false, 1)));
    }

    private static CatalogSnapshot shop(Instant at) {
        return new CatalogSnapshot(
                at,
                List.of(
                        new CatalogSnapshot.SchemaName("shop", "public"),
                        new CatalogSnapshot.SchemaName("shop", "staging"),
                        new CatalogSnapshot.SchemaName("archive", "public")),
                List.of(orders(), lines()));
    }

    @Test
    void aStoredCatalogIsBrowsableLevelByLevel() {
        ConnectorCatalogs catalogs = store.connectorCatalogs();
        catalogs.replace("uid-1", shop(FIRST));

        assertThat(catalogs.catalogs("uid-1", 10, 0)).containsExactly("archive", "shop");
        assertThat(catalogs.schemas("uid-1", "shop", 10, 0)).containsExactly("public", "staging");
        assertThat(catalogs.tables("uid-1", "shop", "public", 10, 0))
                .containsExactly(
                        new TableSummary("shop", "public", "order_lines", "TABLE", null, null, 2),
                        new TableSummary("shop", "public", "orders", "TABLE", 1200L, 81920L, 3));
        assertThat(catalogs.columns("uid-1", "shop", "public", "order_lines", 10, 0))
                .containsExactly(
                        new CatalogColumn("order_id", 1, "int8", false, 1),
                        new CatalogColumn("line", 2, "int4", false, 2));
        assertThat(catalogs.columns("uid-1", "shop", "public", "orders", 10, 0))
                .extracting(CatalogColumn::name, CatalogColumn::primaryKey)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("id", true),
                        org.assertj.core.groups.Tuple.tuple("customer", false),
                        org.assertj.core.groups.Tuple.tuple("placed_at", false));
        assertThat(catalogs.counts("uid-1")).isEqualTo(new CatalogCounts(2, 3, 2, 5, FIRST));
    }

    @Test
    void listingsArePagedWithLimitAndOffset() {
        List<CatalogTable> tables = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            tables.add(
                    new CatalogTable(
                            "",
                            "main",
                            String.format("t%02d", i),
                            "TABLE",
                            null,
                            null,
                            List.of(new CatalogColumn("x", 1, "INTEGER", true, null))));
        }
        store.connectorCatalogs()
                .replace(
                        "uid-1",
                        new CatalogSnapshot(
                                FIRST,
                                List.of(new CatalogSnapshot.SchemaName("", "main")),
                                tables));

        assertThat(store.connectorCatalogs().tables("uid-1", "", "main", 10, 20))
                .extracting(TableSummary::name)
                .containsExactly("t20", "t21", "t22", "t23", "t24");
        assertThat(store.connectorCatalogs().countTables("uid-1", "", "main")).isEqualTo(25);
        assertThat(store.connectorCatalogs().countSchemas("uid-1", "")).isEqualTo(1);
        assertThat(store.connectorCatalogs().countColumns("uid-1", "", "main", "t03")).isEqualTo(1);
        assertThatThrownBy(() -> store.connectorCatalogs().catalogs("uid-1", -1, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aRefreshReplacesTheWholeCatalogOfOneConnectorOnly() {
        store.connectorCatalogs().replace("uid-1", shop(FIRST));
        store.connectorCatalogs().replace("uid-2", shop(FIRST));

        store.connectorCatalogs()
                .replace(
                        "uid-1",
                        new CatalogSnapshot(
                                SECOND,
                                List.of(new CatalogSnapshot.SchemaName("shop", "public")),
                                List.of(orders())));

        assertThat(store.connectorCatalogs().counts("uid-1"))
                .isEqualTo(new CatalogCounts(1, 1, 1, 3, SECOND));
        assertThat(store.connectorCatalogs().tables("uid-1", "shop", "public", 10, 0))
                .extracting(TableSummary::name)
                .containsExactly("orders");
        assertThat(store.connectorCatalogs().counts("uid-2"))
                .isEqualTo(new CatalogCounts(2, 3, 2, 5, FIRST));
    }

    @Test
    void aReplacementThatFailsHalfWayKeepsThePreviousCatalog() {
        store.connectorCatalogs().replace("uid-1", shop(FIRST));
        // Ordinals count from 1 (a CHECK in the schema): the second table fails its insert after
        // the previous rows were deleted in the same transaction.
        CatalogSnapshot bad =
                new CatalogSnapshot(
                        SECOND,
                        List.of(new CatalogSnapshot.SchemaName("shop", "public")),
                        List.of(
                                orders(),
                                new CatalogTable(
                                        "shop",
                                        "public",
                                        "bad",
                                        "TABLE",
                                        null,
                                        null,
                                        List.of(new CatalogColumn("x", 0, "int4", true, null)))));

        assertThatThrownBy(() -> store.connectorCatalogs().replace("uid-1", bad))
                .hasMessageContaining("replace the catalog of connector uid-1");

        assertThat(store.connectorCatalogs().counts("uid-1"))
                .isEqualTo(new CatalogCounts(2, 3, 2, 5, FIRST));
    }

    @Test
    void deletingAConnectorsCatalogLeavesNothingBehind() {
        store.connectorCatalogs().replace("uid-1", shop(FIRST));

        store.connectorCatalogs().delete("uid-1");

        assertThat(store.connectorCatalogs().counts("uid-1"))
                .isEqualTo(new CatalogCounts(0, 0, 0, 0, null));
        assertThat(store.connectorCatalogs().catalogs("uid-1", 10, 0)).isEmpty();
    }

    @Test
    void aCatalogSurvivesAStoreRestart() {
        store.connectorCatalogs().replace("uid-1", shop(FIRST));

        reopen();

        assertThat(store.connectorCatalogs().counts("uid-1"))
                .isEqualTo(new CatalogCounts(2, 3, 2, 5, FIRST));
    }
}
