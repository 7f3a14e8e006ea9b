package dev.millrace.api.airbyte;

import dev.millrace.api.ApiContext;
import dev.millrace.api.ApiFamily;
import dev.millrace.api.kube.ResourceCache;
import io.javalin.config.RoutesConfig;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The public family: the Airbyte public API under {@code /api/public/v1}. A workspace is a
 * namespace, sources, destinations and connections are the Millrace resources of the same kinds
 * (ids are their metadata.uid), and a job is a sync job of the store.
 */
public final class AirbytePublicApi implements ApiFamily {
    static final String BASE = "/api/public/v1";

    private final WorkspaceEndpoints workspaces;
    private final SourceEndpoints sources;
    private final DestinationEndpoints destinations;
    private final ConnectionEndpoints connections;
    private final JobEndpoints jobs;

    public AirbytePublicApi(ApiContext context) {
        // Sync requests and connection deletes check and write under one lock, so two requests
        // for the same connection cannot both pass the "nothing running" check.
        Object jobRequests = new Object();
        ResourceCache resources = context.resources();
        this.workspaces = new WorkspaceEndpoints(resources);
        this.sources = new SourceEndpoints(context.client(), resources);
        this.destinations = new DestinationEndpoints(context.client(), resources);
        this.connections =
                new ConnectionEndpoints(context.client(), resources, context.store(), jobRequests);
        this.jobs =
                new JobEndpoints(
                        context.client(), resources, context.store(), context.clock(), jobRequests);
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.get(WorkspaceEndpoints.PATH, workspaces::list);
        routes.get(WorkspaceEndpoints.PATH + "/{workspaceId}", workspaces::get);

        routes.get(SourceEndpoints.PATH, sources::list);
        routes.post(SourceEndpoints.PATH, sources::create);
        routes.get(SourceEndpoints.PATH + "/{sourceId}", sources::get);
        routes.patch(SourceEndpoints.PATH + "/{sourceId}", sources::patch);
        routes.put(SourceEndpoints.PATH + "/{sourceId}", sources::put);
        routes.delete(SourceEndpoints.PATH + "/{sourceId}", sources::delete);

        routes.get(DestinationEndpoints.PATH, destinations::list);
        routes.post(DestinationEndpoints.PATH, destinations::create);
        routes.get(DestinationEndpoints.PATH + "/{destinationId}", destinations::get);
        routes.patch(DestinationEndpoints.PATH + "/{destinationId}", destinations::patch);
        routes.put(DestinationEndpoints.PATH + "/{destinationId}", destinations::put);
        routes.delete(DestinationEndpoints.PATH + "/{destinationId}", destinations::delete);

        routes.get(ConnectionEndpoints.PATH, connections::list);
        routes.post(ConnectionEndpoints.PATH, connections::create);
        routes.get(ConnectionEndpoints.PATH + "/{connectionId}", connections::get);
        routes.patch(ConnectionEndpoints.PATH + "/{connectionId}", connections::patch);
        routes.delete(ConnectionEndpoints.PATH + "/{connectionId}", connections::delete);

        routes.get(JobEndpoints.PATH, jobs::list);
        routes.post(JobEndpoints.PATH, jobs::create);
        routes.get(JobEndpoints.PATH + "/{jobId}", jobs::get);
        routes.delete(JobEndpoints.PATH + "/{jobId}", jobs::cancel);

        routes.exception(
                PublicApiException.class,
                (e, ctx) -> {
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("error", e.error());
                    body.put("message", e.getMessage());
                    ctx.status(e.status()).json(body);
                });
    }
}
