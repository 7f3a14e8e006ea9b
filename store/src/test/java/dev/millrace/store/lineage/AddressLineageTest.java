package dev.millrace.store.lineage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.millrace.store.testing.Backend;
import dev.millrace.store.testing.StoreTestBase;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

@ParameterizedClass(name = "on {0}")
@EnumSource(Backend.class)
class AddressLineageTest extends StoreTestBase {
    private static final String NS = "team-a";

    @Test
    void anAddressTypeIsCreatedOnceAndFoundByNameAfterwards() {
        Upserted<AddressType> first = store.lineage().upsertType(NS, "postgres", "database");
        Upserted<AddressType> again = store.lineage().upsertType(NS, "postgres", "files");

        assertThat(first.created()).isTrue();
        assertThat(again.created()).isFalse();
        assertThat(again.value().id()).isEqualTo(first.value().id());
        assertThat(again.value().groupName()).isEqualTo("database");
        assertThat(store.lineage().types(NS))
                .extracting(AddressType::name)
                .containsExactly("postgres");
        assertThat(store.lineage().types("team-b")).isEmpty();
    }

    @Test
    void aDottedAddressNameGivesItsDatabaseSchemaAndTableAndCreatesItsType() {
        Upserted<Address> created =
                store.lineage()
                        .upsertAddress(
                                NS,
                                new AddressInput(
                                        "source_db.source_schema.source_table",
                                        "postgres",
                                        "database",
                                        null,
                                        null,
                                        null,
                                        "id",
                                        "{\"owner\":\"crm\"}"));

        Address a = created.value();
        assertThat(created.created()).isTrue();
        assertThat(a.databaseName()).isEqualTo("source_db");
        assertThat(a.schemaName()).isEqualTo("source_schema");
        assertThat(a.tableName()).isEqualTo("source_table");
        assertThat(a.primaryKey()).isEqualTo("id");
        assertThat(a.metadataJson()).isEqualTo("{\"owner\":\"crm\"}");
        assertThat(store.lineage().type(NS, a.addressTypeId()).orElseThrow().name())
                .isEqualTo("postgres");

        Address twoParts =
                store.lineage()
                        .upsertAddress(NS, AddressInput.of("raw.orders", "duckdb", "database"))
                        .value();
        assertThat(twoParts.databaseName()).isNull();
        assertThat(twoParts.schemaName()).isEqualTo("raw");
        assertThat(twoParts.tableName()).isEqualTo("orders");
    }

    @Test
    void upsertingAnExistingAddressFindsItUnchanged() {
        long id =
                store.lineage()
                        .upsertAddress(NS, AddressInput.of("a.b.c", "postgres", "database"))
                        .value()
                        .id();
        Upserted<Address> again =
                store.lineage()
                        .upsertAddress(
                                NS,
                                new AddressInput(
                                        "a.b.c", "mysql", "database", "x", null, null, null, null));

        assertThat(again.created()).isFalse();
        assertThat(again.value().id()).isEqualTo(id);
        assertThat(again.value().databaseName()).isEqualTo("a");
        assertThat(store.lineage().types(NS)).hasSize(1);
    }

    @Test
    void anUpdateChangesOnlyTheFieldsGivenAndRefusesATakenNameOrUnknownType() {
        Address a =
                store.lineage()
                        .upsertAddress(NS, AddressInput.of("db.s.t", "postgres", "database"))
                        .value();
        store.lineage().upsertAddress(NS, AddressInput.of("db.s.other", "postgres", "database"));
        long mysql = store.lineage().upsertType(NS, "mysql", "database").value().id();

        Address updated =
                store.lineage()
                        .update(
                                NS,
                                a.id(),
                                new AddressChange("renamed", mysql, null, null, "t2", "id"))
                        .orElseThrow();

        assertThat(updated.name()).isEqualTo("renamed");
        assertThat(updated.addressTypeId()).isEqualTo(mysql);
        assertThat(updated.databaseName()).isEqualTo("db");
        assertThat(updated.tableName()).isEqualTo("t2");
        assertThat(updated.primaryKey()).isEqualTo("id");
        assertThat(updated.updatedAt()).isNotNull();
        assertThatThrownBy(
                        () ->
                                store.lineage()
                                        .update(
                                                NS,
                                                a.id(),
                                                new AddressChange(
                                                        "db.s.other",
                                                        null,
                                                        null,
                                                        null,
                                                        null,
                                                        null)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("exists already");
        assertThatThrownBy(
                        () ->
                                store.lineage()
                                        .update(
                                                NS,
                                                a.id(),
                                                new AddressChange(
                                                        null, 999L, null, null, null, null)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(
                        store.lineage()
                                .update(
                                        NS,
                                        999,
                                        new AddressChange("x", null, null, null, null, null)))
                .isEmpty();
        assertThat(store.lineage().address(NS, a.id()).orElseThrow().name()).isEqualTo("renamed");
    }

    @Test
    void loadingLineageReplacesThePipelinesEdgesWithEverySourceToEveryTarget() {
        List<AddressInput> sources =
                List.of(
                        AddressInput.of("crm.public.orders", "postgres", "database"),
                        AddressInput.of("crm.public.customers", "postgres", "database"),
                        AddressInput.of("crm.public.orders", "postgres", "database"));
        List<AddressInput> targets = List.of(AddressInput.of("raw.orders", "duckdb", "database"));

        assertThat(store.lineage().replaceLineage(NS, 7, sources, targets)).isEqualTo(2);
        assertThat(store.lineage().replaceLineage(NS, 7, sources, targets)).isEqualTo(2);
        assertThat(store.lineage().edgesOf(7)).hasSize(2);

        int replaced =
                store.lineage()
                        .replaceLineage(
                                NS,
                                7,
                                List.of(
                                        AddressInput.of(
                                                "crm.public.orders", "postgres", "database")),
                                targets);

        assertThat(replaced).isEqualTo(1);
        var byId = store.lineage().addressesById(NS);
        assertThat(store.lineage().edgesOf(7))
                .singleElement()
                .satisfies(
                        e -> {
                            assertThat(byId.get(e.sourceAddressId()).name())
                                    .isEqualTo("crm.public.orders");
                            assertThat(byId.get(e.targetAddressId()).name())
                                    .isEqualTo("raw.orders");
                        });
        assertThat(store.lineage().addresses(NS)).hasSize(3);
        assertThat(store.lineage().edgesOf(8)).isEmpty();
    }

    @Test
    void namesAndPartsOutOfRangeAreRefused() {
        assertThatThrownBy(() -> AddressInput.of("", "postgres", "database"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AddressInput.of("x".repeat(151), "postgres", "database"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AddressInput.of("db." + "s".repeat(51) + ".t", "pg", "database"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("schemaName");
    }
}
