package dev.millrace.api.watcher;

import dev.millrace.crds.pipeline.Pipeline;
import dev.millrace.store.Store;
import dev.millrace.store.lineage.Address;
import dev.millrace.store.lineage.AddressChange;
import dev.millrace.store.lineage.AddressInput;
import dev.millrace.store.lineage.AddressType;
import dev.millrace.store.lineage.Upserted;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * /address, /address_type and /address_lineage. Addresses, their types and lineage edges are
 * history kept in the store per namespace, not resources: there are as many as a warehouse has
 * tables, and nothing reconciles them.
 */
final class AddressEndpoints {
    private final WatcherObjects objects;
    private final Store store;
    private final String namespace;

    AddressEndpoints(WatcherObjects objects) {
        this.objects = objects;
        this.store = objects.store();
        this.namespace = objects.namespace();
    }

    // ---- address types -----------------------------------------------------------------------

    void upsertType(Context ctx) {
        WatcherRequest request = WatcherRequest.parse(ctx.body());
        String name = request.requiredName("name");
        String group = request.requiredName("group_name");
        Upserted<AddressType> type = store.lineage().upsertType(namespace, name, group);
        ctx.status(type.created() ? 201 : 200).json(WatcherViews.id(type.value().id()));
    }

    void listTypes(Context ctx) {
        ctx.json(store.lineage().types(namespace).stream().map(WatcherViews::addressType).toList());
    }

    void getType(Context ctx) {
        long id = WatcherRequest.pathId("address_type_id", ctx.pathParam("address_type_id"));
        ctx.json(
                WatcherViews.addressType(
                        store.lineage()
                                .type(namespace, id)
                                .orElseThrow(
                                        () ->
                                                WatcherApiException.notFound(
                                                        "Address type not found"))));
    }

    // ---- addresses ---------------------------------------------------------------------------

    void upsert(Context ctx) {
        WatcherRequest request = WatcherRequest.parse(ctx.body());
        AddressInput input = input(request, true);
        Upserted<Address> address = store.lineage().upsertAddress(namespace, input);
        ctx.status(address.created() ? 201 : 200).json(WatcherViews.id(address.value().id()));
    }

    void list(Context ctx) {
        ctx.json(store.lineage().addresses(namespace).stream().map(WatcherViews::address).toList());
    }

    void get(Context ctx) {
        long id = WatcherRequest.pathId("address_id", ctx.pathParam("address_id"));
        ctx.json(
                WatcherViews.address(
                        store.lineage()
                                .address(namespace, id)
                                .orElseThrow(
                                        () -> WatcherApiException.notFound("Address not found"))));
    }

    void patch(Context ctx) {
        WatcherRequest request = WatcherRequest.parse(ctx.body());
        long id = request.requiredId("id");
        AddressChange change =
                new AddressChange(
                        request.name("name"),
                        request.id("address_type_id"),
                        request.part("database_name"),
                        request.part("schema_name"),
                        request.part("table_name"),
                        request.part("primary_key"));
        if (change.addressTypeId() != null
                && store.lineage().type(namespace, change.addressTypeId()).isEmpty()) {
            throw WatcherApiException.notFound("Address type not found");
        }
        Address updated;
        try {
            updated =
                    store.lineage()
                            .update(namespace, id, change)
                            .orElseThrow(() -> WatcherApiException.notFound("Address not found"));
        } catch (IllegalArgumentException e) {
            throw WatcherApiException.badRequest(e.getMessage());
        }
        ctx.json(WatcherViews.address(updated));
    }

    /** An address of a request (an upsert, or one of a lineage request's lists). */
    private static AddressInput input(WatcherRequest request, boolean withDetails) {
        String name = request.requiredName("name");
        String typeName = request.requiredName("address_type_name");
        String groupName = request.requiredName("address_type_group_name");
        if (!withDetails) {
            return wrapped(() -> AddressInput.of(name, typeName, groupName));
        }
        String database = request.part("database_name");
        String schema = request.part("schema_name");
        String table = request.part("table_name");
        String primaryKey = request.part("primary_key");
        var metadata = request.object("address_metadata");
        return wrapped(
                () ->
                        new AddressInput(
                                name,
                                typeName,
                                groupName,
                                database,
                                schema,
                                table,
                                primaryKey,
                                metadata == null ? null : metadata.toString()));
    }

    /** A part of a dotted name longer than the reference allows is the caller's 422. */
    private static AddressInput wrapped(java.util.function.Supplier<AddressInput> input) {
        try {
            return input.get();
        } catch (IllegalArgumentException e) {
            throw WatcherApiException.invalid("name", e.getMessage());
        }
    }

    // ---- lineage -----------------------------------------------------------------------------

    /**
     * Replaces the pipeline's edges with one from every source to every target, when the pipeline
     * has load_lineage on (201); otherwise nothing changes (200 with 0).
     */
    void lineage(Context ctx) {
        WatcherRequest request = WatcherRequest.parse(ctx.body());
        long pipelineId = request.requiredId("pipeline_id");
        List<AddressInput> sources = new ArrayList<>();
        for (WatcherRequest source : request.objects("source_addresses")) {
            sources.add(input(source, false));
        }
        List<AddressInput> targets = new ArrayList<>();
        for (WatcherRequest target : request.objects("target_addresses")) {
            targets.add(input(target, false));
        }
        Pipeline pipeline =
                objects.pipeline(pipelineId)
                        .orElseThrow(() -> WatcherApiException.notFound("Pipeline not found"));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("pipeline_id", pipelineId);
        if (!Boolean.TRUE.equals(pipeline.getSpec().loadLineage)) {
            body.put("lineage_relationships_created", 0);
            body.put(
                    "message",
                    "Pipeline "
                            + pipelineId
                            + " does not have load_lineage=True, no relationships"
                            + " created");
            ctx.status(200).json(body);
            return;
        }
        int created = store.lineage().replaceLineage(namespace, pipelineId, sources, targets);
        body.put("lineage_relationships_created", created);
        body.put("message", "Lineage relationships created for pipeline " + pipelineId);
        ctx.status(201).json(body);
    }
}
