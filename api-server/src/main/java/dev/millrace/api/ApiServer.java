package dev.millrace.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.millrace.api.airbyte.AirbytePublicApi;
import dev.millrace.api.auth.ApiAuth;
import dev.millrace.api.connector.DatabasinConnectorApi;
import dev.millrace.api.kube.ResourceCache;
import dev.millrace.api.openapi.ApiDocs;
import dev.millrace.api.platform.PlatformApi;
import dev.millrace.api.watcher.WatcherApi;
import dev.millrace.api.web.WebUi;
import dev.millrace.store.Store;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javalin.Javalin;
import io.javalin.http.HttpResponseException;
import io.javalin.json.JavalinJackson;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.List;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
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
    private final ApiAuth auth;
    private final List<ApiFamily> families;
    private final ResourceCache resources;

    public ApiServer(ApiSettings settings, KubernetesClient client, Store store, Clock clock) {
        this.settings = settings;
        ObjectMapper json =
                new ObjectMapper()
                        .registerModule(new JavaTimeModule())
                        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        // Refuses (throws) before anything listens when auth is off on a non-loopback address.
        this.auth =
                ApiAuth.create(
                        settings.auth(), settings.host(), settings.namespace(), client, clock);
        ApiDocs docs = new ApiDocs(ApiServer.class.getClassLoader());
        WebUi webUi = new WebUi(ApiServer.class.getClassLoader());
        if (!settings.watchNamespaces().isEmpty()
                && !settings.watchNamespaces().contains(settings.namespace())) {
            throw new IllegalArgumentException(
                    "The API namespace '"
                            + settings.namespace()
                            + "' is not among the watched namespaces "
                            + settings.watchNamespaces());
        }
        this.resources = new ResourceCache(client, settings.watchNamespaces());
        ApiContext context =
                new ApiContext(settings, client, resources, store, clock, clock.instant());
        // One line per family; each registers its own routes and error mapping.
        this.families =
                List.of(
                        new PlatformApi(context),
                        new AirbytePublicApi(context),
                        new DatabasinConnectorApi(context),
                        new WatcherApi(context));
        this.app =
                Javalin.create(
                        config -> {
                            config.jsonMapper(new JavalinJackson(json, false));
                            config.startup.showJavalinBanner = false;
                            config.jetty.host = settings.host();
                            config.jetty.port = settings.port();
                            // Requests Jetty refuses before any route sees them (a path above the
                            // root, an over-long URI or header) get JSON too, not an HTML page.
                            config.jetty.modifyServer(
                                    server -> server.setErrorHandler(new JsonErrorHandler(json)));
                            // Auth first: its before-handler guards every family's routes.
                            auth.register(config.routes);
                            docs.register(config.routes);
                            webUi.register(config.routes);
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

    /** What the server reads Kubernetes objects from. */
    public ResourceCache resources() {
        return resources;
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
        families.forEach(ApiFamily::close);
        resources.close();
        auth.close();
    }

    /** Jetty's own error responses in the error format of the path's family. */
    private static final class JsonErrorHandler extends ErrorHandler {
        private final ObjectMapper json;

        JsonErrorHandler(ObjectMapper json) {
            this.json = json;
        }

        @Override
        protected void generateResponse(
                Request request,
                Response response,
                int code,
                String message,
                Throwable cause,
                Callback callback)
                throws IOException {
            String path = request.getHttpURI() == null ? null : request.getHttpURI().getPath();
            byte[] body =
                    json.writeValueAsBytes(
                            ErrorBodies.forPath(
                                    path == null ? "/" : path,
                                    code,
                                    message == null || message.isBlank()
                                            ? ErrorBodies.reasonPhrase(code)
                                            : message));
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
            response.write(true, ByteBuffer.wrap(body), callback);
        }
    }
}
