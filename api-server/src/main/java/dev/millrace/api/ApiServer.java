package dev.millrace.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.millrace.api.platform.PlatformApi;
import dev.millrace.store.Store;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javalin.Javalin;
import io.javalin.http.HttpResponseException;
import io.javalin.json.JavalinJackson;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Millrace API server: one Javalin app on one port serving each REST API family from its own
 * package, all mapped onto the same Kubernetes resources and store.
 */
public final class ApiServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
    private final Javalin app;
    private final ApiSettings settings;

    public ApiServer(ApiSettings settings, KubernetesClient client, Store store, Clock clock) {
        this.settings = settings;
        ObjectMapper json =
                new ObjectMapper()
                        .registerModule(new JavaTimeModule())
                        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        ApiContext context = new ApiContext(settings, client, store, clock, clock.instant());
        // One line per family; each registers its own routes and error mapping.
        List<ApiFamily> families = List.of(new PlatformApi(context));
        this.app =
                Javalin.create(
                        config -> {
                            config.jsonMapper(new JavalinJackson(json, false));
                            config.startup.showJavalinBanner = false;
                            config.jetty.host = settings.host();
                            config.jetty.port = settings.port();
                            families.forEach(f -> f.register(config.routes));
                            // Whatever no family handled: Javalin's own responses (404 for an
                            // unknown path, 405, 413) and bugs, in the format of the family the
                            // path belongs to, never with a stack trace in the body.
                            config.routes.exception(
                                    HttpResponseException.class,
                                    (e, ctx) ->
                                            ctx.status(e.getStatus())
                                                    .json(
                                                            ErrorBodies.forPath(
                                                                    ctx.path(),
                                                                    e.getStatus(),
                                                                    e.getMessage())));
                            config.routes.exception(
                                    Exception.class,
                                    (e, ctx) -> {
                                        LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
                                        ctx.status(500)
                                                .json(
                                                        ErrorBodies.forPath(
                                                                ctx.path(),
                                                                500,
                                                                "Internal server error"));
                                    });
                        });
    }

    public ApiServer start() {
        app.start();
        return this;
    }

    /** The port actually bound (useful when configured with 0). */
    public int port() {
        return app.port();
    }

    public String baseUrl() {
        return "http://" + settings.host() + ":" + port();
    }

    @Override
    public void close() {
        app.stop();
    }
}
