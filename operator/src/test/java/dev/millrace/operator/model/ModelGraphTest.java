package dev.millrace.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.crds.common.ObjectRef;
import dev.millrace.crds.model.Model;
import dev.millrace.crds.model.ModelSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelGraphTest {

    private static Model model(String name, String schema, String sql, String... dependsOn) {
        return modelIn("warehouse", name, schema, sql, dependsOn);
    }

    private static Model modelIn(
            String destination, String name, String schema, String sql, String... dependsOn) {
        Model m = new Model();
        m.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("default").build());
        m.setSpec(new ModelSpec());
        m.getSpec().sql = sql;
        m.getSpec().schema = schema;
        m.getSpec().destinationRef = ObjectRef.to(destination);
        m.getSpec().dependsOn = List.of(dependsOn);
        return m;
    }

    @Test
    void refsInEitherQuoteRenderToTheSchemaAndWarehouseNameOfTheModelTheyName() {
        ModelGraph graph =
                ModelGraph.of(
                        List.of(
                                model("stg-orders", "staging", "select 1"),
                                model("customers", "marts", "select 2"),
                                model(
                                        "report",
                                        "marts",
                                        "select * from {{ ref('stg_orders') }} join"
                                                + " {{ref(\"customers\")}} using (id)")));

        assertThat(graph.render("report"))
                .isEqualTo(
                        "select * from \"staging\".\"stg_orders\" join \"marts\".\"customers\""
                                + " using (id)");
        assertThat(graph.upstreamOf("report")).containsExactly("stg-orders", "customers");
        assertThat(graph.problem("report")).isEmpty();
    }

    @Test
    void unknownNamesCyclesAndOtherDestinationsAreProblems() {
        ModelGraph graph =
                ModelGraph.of(
                        List.of(
                                model("a", "marts", "select * from {{ ref('c') }}"),
                                model("b", "marts", "select * from {{ ref('a') }}"),
                                model("c", "marts", "select 1", "b"),
                                model("d", "marts", "select * from {{ ref('a') }}"),
                                model("e", "marts", "select * from {{ ref('nope') }}"),
                                modelIn("other-warehouse", "f", "marts", "select 1"),
                                model("g", "marts", "select * from {{ ref('f') }}")));

        assertThat(graph.problem("a"))
                .get()
                .satisfies(
                        p -> {
                            assertThat(p.reason()).isEqualTo("DependencyCycle");
                            assertThat(p.message()).isEqualTo("dependency cycle: a → b → c → a");
                        });
        assertThat(graph.problem("d")).as("depends on a cycle, is not on it").isEmpty();
        assertThat(graph.problem("e"))
                .get()
                .extracting(ModelGraph.Problem::reason)
                .isEqualTo("UnknownModel");
        assertThat(graph.problem("g"))
                .get()
                .satisfies(
                        p -> {
                            assertThat(p.reason()).isEqualTo("DependencyInOtherDestination");
                            assertThat(p.message()).contains("other-warehouse");
                        });
    }

    @Test
    void downstreamModelsComeInDependencyOrder() {
        ModelGraph graph =
                ModelGraph.of(
                        List.of(
                                model(
                                        "z-top",
                                        "marts",
                                        "select * from {{ ref('m_mid') }} join {{ ref('a_base')"
                                                + " }}"),
                                model("m-mid", "marts", "select * from {{ ref('a_base') }}"),
                                model("a-base", "staging", "select 1"),
                                model("unrelated", "marts", "select 1")));

        assertThat(graph.downstreamOf("a-base")).containsExactly("m-mid", "z-top");
        assertThat(graph.inDependencyOrder(List.of("z-top", "unrelated", "a-base", "m-mid")))
                .containsExactly("a-base", "m-mid", "unrelated", "z-top");
    }
}
