package dev.millrace.api.connector;

import dev.millrace.api.ApiContext;
import dev.millrace.api.ApiFamily;
import dev.millrace.api.ApiSettings;
import dev.millrace.api.auth.Caller;
import dev.millrace.crds.connector.Connector;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.function.BiConsumer;

/**
 * The connector family: the Databasin connector API under {@code /api/connector}. A connector is a
 * Connector of the API's namespace, its id the store's integer id, its password a Secret it
 * references; the catalog listings come from the store. Every response carries the reference's
 * {@code X-RateLimit-*} headers, counted per caller (the authenticated principal, else the remote
 * address), and a caller past its budget gets 429 with {@code Retry-After}.
 */
public final class DatabasinConnectorApi implements ApiFamily {
    static final String BASE = "/api/connector";
    private static final String COUNTED = "millrace.connector.rate-counted";

    private final Connectors connectors;
    private final ConnectorEndpoints endpoints;
    private final ConnectorActions actions;
    private final CatalogEndpoints catalogs;
    private final RateLimiter limiter;

    public DatabasinConnectorApi(ApiContext context) {
        ApiSettings.ConnectorApiSettings settings = context.settings().connectorApi();
        this.connectors =
                new Connectors(
                        context.resources(), context.store(), context.settings().namespace());
        this.endpoints =
                new ConnectorEndpoints(
                        context.resources(),
                        connectors,
                        new ConnectorWrites(
                                context.client(),
                                context.resources(),
                                connectors,
                                context.clock()));
        this.actions =
                new ConnectorActions(
                        context.client(),
                        context.resources(),
                        context.store(),
                        context.clock(),
                        settings.testWait());
        this.catalogs = new CatalogEndpoints(context.store());
        this.limiter = new RateLimiter(settings.requestsPerMinute(), context.clock());
    }

    @Override
    public void register(RoutesConfig routes) {
        // After auth's before-handler, so an authenticated caller is counted by name.
        routes.before(BASE, this::count);
        routes.before(BASE + "/*", this::count);
        // Responses refused before counting (401) still say where the caller stands.
        routes.after(BASE, this::headersIfMissing);
        routes.after(BASE + "/*", this::headersIfMissing);

        routes.get(BASE, endpoints::list);
        routes.post(BASE, endpoints::create);
        routes.get(BASE + "/{connectorID}", endpoints::get);
        routes.put(BASE + "/{connectorID}", endpoints::update);
        routes.delete(BASE + "/{connectorID}", endpoints::delete);
        routes.post(BASE + "/{connectorID}/test", withConnector(actions::test));
        routes.post(BASE + "/{connectorID}/refresh", withConnector(actions::refresh));
        routes.get(BASE + "/{connectorID}/catalogs", withConnector(catalogs::catalogs));
        routes.get(BASE + "/{connectorID}/schemas", withConnector(catalogs::schemas));
        routes.get(BASE + "/{connectorID}/tables", withConnector(catalogs::tables));
        routes.get(BASE + "/{connectorID}/columns", withConnector(catalogs::columns));

        routes.exception(
                ConnectorApiException.class, (e, ctx) -> ctx.status(e.status()).json(e.body()));
    }

    private io.javalin.http.Handler withConnector(BiConsumer<Context, Connector> handler) {
        return ctx -> handler.accept(ctx, endpoints.find(ctx));
    }

    private void count(Context ctx) {
        RateLimiter.Decision decision = limiter.take(callerOf(ctx));
        ctx.attribute(COUNTED, Boolean.TRUE);
        headers(ctx, decision);
        if (!decision.allowed()) {
            ctx.header("Retry-After", Long.toString(decision.retryAfterSeconds(limiter.now())));
            throw new ConnectorApiException(
                    429,
                    "Rate limit of "
                            + decision.limit()
                            + " requests per minute exceeded; retry after "
                            + decision.retryAfterSeconds(limiter.now())
                            + "s");
        }
    }

    private void headersIfMissing(Context ctx) {
        if (ctx.attribute(COUNTED) == null) {
            headers(ctx, limiter.peek(callerOf(ctx)));
        }
    }

    private static void headers(Context ctx, RateLimiter.Decision decision) {
        ctx.header("X-RateLimit-Limit", Integer.toString(decision.limit()));
        ctx.header("X-RateLimit-Remaining", Integer.toString(decision.remaining()));
        ctx.header("X-RateLimit-Reset", Long.toString(decision.resetEpochSecond()));
    }

    private static String callerOf(Context ctx) {
        Caller caller = ctx.attribute(Caller.ATTRIBUTE);
        return caller != null ? caller.mode() + ":" + caller.name() : "ip:" + ctx.ip();
    }
}
