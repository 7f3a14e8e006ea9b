package dev.millrace.store.id;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.store.testing.Backend;
import dev.millrace.store.testing.StoreTestBase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

@ParameterizedClass(name = "on {0}")
@EnumSource(Backend.class)
class IdRegistryTest extends StoreTestBase {

    @Test
    void idsCountUpFromOneSeparatelyForEachKind() {
        assertThat(store.idFor("Pipeline", "team-a", "orders", "uid-p1")).isEqualTo(1);
        assertThat(store.idFor("Pipeline", "team-a", "refunds", "uid-p2")).isEqualTo(2);
        assertThat(store.idFor("Connector", "team-a", "warehouse", "uid-c1")).isEqualTo(1);
        assertThat(store.idFor("Pipeline", "team-b", "orders", "uid-p3")).isEqualTo(3);
    }

    @Test
    void askingAgainForTheSameObjectReturnsItsId() {
        long first = store.idFor("Pipeline", "team-a", "orders", "uid-p1");
        store.idFor("Pipeline", "team-a", "refunds", "uid-p2");

        assertThat(store.idFor("Pipeline", "team-a", "orders", "uid-p1")).isEqualTo(first);
        assertThat(store.findId("Pipeline", "uid-p1")).contains(first);
    }

    @Test
    void anObjectIsFoundByItsIdAsAReference() {
        long id = store.idFor("AnomalyRule", "team-a", "row-count-drop", "uid-r1");

        assertThat(store.findById("AnomalyRule", id))
                .contains(new ObjectRef("AnomalyRule", "team-a", "row-count-drop", "uid-r1", id));
        assertThat(store.findById("Pipeline", id)).isEmpty();
        assertThat(store.findById("AnomalyRule", id + 1)).isEmpty();
    }

    @Test
    void aForgottenObjectIsNoLongerFoundAndItsIdIsNeverGivenToAnother() {
        long orders = store.idFor("Pipeline", "team-a", "orders", "uid-p1");
        long refunds = store.idFor("Pipeline", "team-a", "refunds", "uid-p2");

        store.forget("Pipeline", "uid-p2");

        assertThat(store.findById("Pipeline", refunds)).isEmpty();
        assertThat(store.findId("Pipeline", "uid-p2")).isEmpty();
        assertThat(store.findById("Pipeline", orders)).isPresent();
        // The forgotten id was the newest: a registry counting only live objects would reuse it.
        assertThat(store.idFor("Pipeline", "team-a", "refunds", "uid-p2-recreated"))
                .isEqualTo(refunds + 1);
    }

    @Test
    void idsStayBurnedAcrossReopen() {
        store.idFor("Pipeline", "team-a", "orders", "uid-p1");
        long refunds = store.idFor("Pipeline", "team-a", "refunds", "uid-p2");
        store.forget("Pipeline", "uid-p2");

        reopen();

        assertThat(store.findId("Pipeline", "uid-p1")).contains(1L);
        assertThat(store.findById("Pipeline", refunds)).isEmpty();
        assertThat(store.idFor("Pipeline", "team-a", "returns", "uid-p3")).isEqualTo(refunds + 1);
    }

    @Test
    void askingForAForgottenObjectAgainGivesBackItsOldIdAndMakesItFindable() {
        long id = store.idFor("Pipeline", "team-a", "orders", "uid-p1");
        store.forget("Pipeline", "uid-p1");

        assertThat(store.idFor("Pipeline", "team-a", "orders", "uid-p1")).isEqualTo(id);
        assertThat(store.findById("Pipeline", id)).isPresent();
    }

    @Test
    void forgettingAnUnknownObjectDoesNothing() {
        long id = store.idFor("Pipeline", "team-a", "orders", "uid-p1");

        store.forget("Pipeline", "uid-never-registered");
        store.forget("Connector", "uid-p1");

        assertThat(store.findById("Pipeline", id)).isPresent();
    }
}
