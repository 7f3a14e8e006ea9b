package dev.millrace.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.lib.jse.JsePlatform;

/**
 * charts/millrace/argocd/health.lua run the way Argo CD runs a health customization: the object as
 * the global {@code obj}, the result a table with {@code status} and {@code message}.
 */
class ArgoCdHealthTest {
    static final Path SCRIPT = Chart.DIR.resolve("argocd/health.lua");
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void readyTrueIsHealthy() throws Exception {
        assertThat(health(connection(2, 2, "True", "Ready", "source and destination resolved")))
                .containsEntry("status", "Healthy")
                .containsEntry("message", "source and destination resolved");
    }

    @Test
    void readyFalseWithAFailureReasonIsDegraded() throws Exception {
        assertThat(
                        health(
                                connection(
                                        1,
                                        1,
                                        "False",
                                        "SourceNotFound",
                                        "source orders does not exist")))
                .containsEntry("status", "Degraded")
                .containsEntry("message", "SourceNotFound: source orders does not exist");
        // Destination of a type this version cannot write.
        assertThat(health(object("Destination", 3, 3, "False", "UnsupportedType", "no")))
                .containsEntry("status", "Degraded");
    }

    @Test
    void readyFalseWhileStillWorkingIsProgressing() throws Exception {
        assertThat(health(connection(1, 1, "False", "Reconciling", "creating the job")))
                .containsEntry("status", "Progressing")
                .containsEntry("message", "creating the job");
        assertThat(health(connection(1, 1, "Unknown", "Unknown", "")))
                .containsEntry("status", "Progressing");
    }

    @Test
    void staleObservedGenerationIsProgressingEvenWhenReady() throws Exception {
        assertThat(health(connection(3, 2, "True", "Ready", "ok")))
                .containsEntry("status", "Progressing")
                .containsEntry(
                        "message", "Waiting for the Millrace operator to observe generation 3");
    }

    @Test
    void noStatusOrNoReadyConditionIsProgressing() throws Exception {
        assertThat(
                        health(
                                JSON.readTree(
                                        "{\"kind\":\"Model\",\"metadata\":{\"name\":\"m\",\"generation\":1}}")))
                .containsEntry("status", "Progressing");
        assertThat(
                        health(
                                JSON.readTree(
                                        "{\"kind\":\"Model\",\"metadata\":{\"name\":\"m\",\"generation\":1},"
                                            + "\"status\":{\"observedGeneration\":1,\"conditions\":[{\"type\":\"Syncing\",\"status\":\"True\"}]}}")))
                .containsEntry("status", "Progressing");
    }

    @Test
    void readyConditionOfAnOlderGenerationIsProgressing() throws Exception {
        JsonNode stale = connection(2, 2, "False", "SourceNotFound", "gone");
        ((com.fasterxml.jackson.databind.node.ObjectNode)
                        stale.path("status").path("conditions").get(1))
                .put("observedGeneration", 1);
        assertThat(health(stale)).containsEntry("status", "Progressing");
    }

    static JsonNode connection(
            long generation, long observed, String ready, String reason, String message)
            throws Exception {
        return object("Connection", generation, observed, ready, reason, message);
    }

    static JsonNode object(
            String kind,
            long generation,
            long observed,
            String ready,
            String reason,
            String message)
            throws Exception {
        return JSON.readTree(
                """
                {"apiVersion": "millrace.dev/v1alpha1", "kind": "%s",
                 "metadata": {"name": "orders", "namespace": "data", "generation": %d},
                 "status": {"observedGeneration": %d, "id": 7,
                   "conditions": [
                     {"type": "Syncing", "status": "False", "reason": "Idle", "message": "no sync running"},
                     {"type": "Ready", "status": "%s", "reason": "%s", "message": "%s",
                      "observedGeneration": %d, "lastTransitionTime": "2026-11-22T03:00:00Z"}]}}
                """
                        .formatted(kind, generation, observed, ready, reason, message, observed));
    }

    static Map<String, String> health(JsonNode object) throws Exception {
        Globals globals = JsePlatform.standardGlobals();
        globals.set("obj", lua(object));
        LuaValue result = globals.load(Files.readString(SCRIPT), "health.lua").call();
        return Map.of(
                "status", result.get("status").tojstring(),
                "message", result.get("message").tojstring());
    }

    /** JSON as Argo CD hands it to Lua: objects as tables, arrays as 1-based sequences. */
    static LuaValue lua(JsonNode node) {
        if (node.isObject()) {
            LuaTable table = new LuaTable();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                var field = it.next();
                table.set(field.getKey(), lua(field.getValue()));
            }
            return table;
        }
        if (node.isArray()) {
            LuaTable table = new LuaTable();
            for (int i = 0; i < node.size(); i++) {
                table.set(i + 1, lua(node.get(i)));
            }
            return table;
        }
        if (node.isIntegralNumber()) {
            return LuaValue.valueOf(node.asLong());
        }
        if (node.isNumber()) {
            return LuaValue.valueOf(node.asDouble());
        }
        if (node.isBoolean()) {
            return LuaValue.valueOf(node.asBoolean());
        }
        if (node.isNull()) {
            return LuaValue.NIL;
        }
        return LuaValue.valueOf(node.asText());
    }
}
