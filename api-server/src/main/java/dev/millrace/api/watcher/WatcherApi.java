package dev.millrace.api.watcher;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.millrace.api.ApiContext;
import dev.millrace.api.ApiFamily;
import io.javalin.config.RoutesConfig;

/**
 * The monitoring family: the Watcher pipeline-monitoring API at the root paths. Pipelines, pipeline
 * types and anomaly rules are the Pipeline, PipelineType and AnomalyRule resources of the API's
 * namespace, known by the store's integer ids; executions, anomaly results, check logs, addresses
 * and lineage are store history. Errors are FastAPI's {@code {"detail": …}}.
 */
public final class WatcherApi implements ApiFamily {
    private final PipelineEndpoints pipelines;
    private final ExecutionEndpoints executions;
    private final AnomalyEndpoints anomalies;
    private final AddressEndpoints addresses;
    private final MonitoringEndpoints monitoring;

    public WatcherApi(ApiContext context) {
        WatcherObjects objects =
                new WatcherObjects(
                        context.client(),
                        context.resources(),
                        context.store(),
                        context.settings().namespace(),
                        context.clock());
        // Upserts by name check and create under one lock, so two requests for one new name
        // cannot both create it.
        Object writes = new Object();
        this.pipelines =
                new PipelineEndpoints(objects, context.resources(), new ObjectMapper(), writes);
        this.executions = new ExecutionEndpoints(objects, context.clock());
        this.anomalies = new AnomalyEndpoints(objects, writes);
        this.addresses = new AddressEndpoints(objects);
        this.monitoring = new MonitoringEndpoints(objects, context.clock());
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.post("/pipeline", pipelines::upsert);
        routes.get("/pipeline", pipelines::list);
        routes.patch("/pipeline", pipelines::patch);
        routes.get("/pipeline/{pipeline_id}", pipelines::get);

        routes.post("/pipeline_type", pipelines::upsertType);
        routes.get("/pipeline_type", pipelines::listTypes);
        routes.get("/pipeline_type/{pipeline_type_id}", pipelines::getType);

        routes.post("/start_pipeline_execution", executions::start);
        routes.post("/end_pipeline_execution", executions::end);
        routes.get("/pipeline_execution/{pipeline_execution_id}", executions::get);

        routes.post("/address", addresses::upsert);
        routes.get("/address", addresses::list);
        routes.patch("/address", addresses::patch);
        routes.get("/address/{address_id}", addresses::get);
        routes.post("/address_type", addresses::upsertType);
        routes.get("/address_type", addresses::listTypes);
        routes.get("/address_type/{address_type_id}", addresses::getType);
        routes.post("/address_lineage", addresses::lineage);

        routes.post("/anomaly_detection_rule", anomalies::upsert);
        routes.get("/anomaly_detection_rule", anomalies::list);
        routes.patch("/anomaly_detection_rule", anomalies::patch);
        routes.get("/anomaly_detection_rule/{anomaly_detection_rule_id}", anomalies::get);
        routes.post("/unflag_anomaly", anomalies::unflag);

        routes.post("/timeliness", monitoring::timeliness);
        routes.post("/freshness", monitoring::freshness);
        routes.post("/log_cleanup", monitoring::logCleanup);
        routes.post("/celery/monitor-queue", monitoring::monitorQueue);

        routes.exception(
                WatcherApiException.class, (e, ctx) -> ctx.status(e.status()).json(e.body()));
    }

    @Override
    public void close() {
        monitoring.close();
    }
}
