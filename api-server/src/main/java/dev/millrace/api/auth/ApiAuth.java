package dev.millrace.api.auth;

import dev.millrace.api.ErrorBodies;
import io.fabric8.kubernetes.api.model.authentication.UserInfo;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place requests are authenticated and authorised: a before-handler in front of every
 * family. Refusals come in the error format of the family the path belongs to (401 with {@code
 * WWW-Authenticate: Bearer}, 403). The OpenAPI document and the documentation pages are public.
 * Tokens are never logged.
 */
public final class ApiAuth implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ApiAuth.class);

    /**
     * Paths anyone may read: the API description, the pages that render it, and the web UI's page
     * and static files (they hold no data; the UI calls the API with the user's token).
     */
    private static final Set<String> PUBLIC_PATHS =
            Set.of("/api/openapi.json", "/api/docs", "/api/redoc");

    private static final String BEARER = "bearer ";

    /** The query parameter that carries a token on a WebSocket handshake. */
    public static final String ACCESS_TOKEN_PARAMETER = "access_token";

    private final AuthSettings settings;
    private final String namespace;
    private final StaticTokens tokens;
    private final JwtTokens jwt;
    private final KubernetesReviews kubernetes;

    private ApiAuth(
            AuthSettings settings,
            String namespace,
            StaticTokens tokens,
            JwtTokens jwt,
            KubernetesReviews kubernetes) {
        this.settings = settings;
        this.namespace = namespace;
        this.tokens = tokens;
        this.jwt = jwt;
        this.kubernetes = kubernetes;
    }

    /**
     * Auth for a server listening on {@code host} and serving {@code namespace}.
     *
     * @throws IllegalArgumentException if auth is off and {@code host} is not a loopback address
     */
    public static ApiAuth create(
            AuthSettings settings,
            String host,
            String namespace,
            KubernetesClient client,
            Clock clock) {
        requireAuthUnlessLoopback(settings, host);
        Set<AuthMode> modes = settings.modes();
        StaticTokens tokens =
                modes.contains(AuthMode.TOKEN)
                        ? new StaticTokens(
                                client,
                                settings.tokenSecretNamespace(),
                                settings.tokenSecretName(),
                                settings.tokenReload())
                        : null;
        JwtTokens jwt = modes.contains(AuthMode.JWT) ? new JwtTokens(settings) : null;
        KubernetesReviews kubernetes =
                modes.contains(AuthMode.KUBERNETES) ? new KubernetesReviews(client, clock) : null;
        LOG.info("API auth: {}", settings);
        return new ApiAuth(settings, namespace, tokens, jwt, kubernetes);
    }

    /**
     * @throws IllegalArgumentException if auth is off and {@code host} is not a loopback address
     */
    public static void requireAuthUnlessLoopback(AuthSettings settings, String host) {
        if (!settings.enabled() && !isLoopback(host)) {
            throw new IllegalArgumentException(
                    "Refusing to serve the API on "
                            + host
                            + " without authentication: auth mode 'none' is allowed only on a"
                            + " loopback address (127.0.0.1, ::1, localhost). Turn auth on (--auth"
                            + " token|jwt|kubernetes) or listen on 127.0.0.1 (--bind 127.0.0.1).");
        }
    }

    static boolean isLoopback(String host) {
        try {
            for (InetAddress address : InetAddress.getAllByName(host)) {
                if (!address.isLoopbackAddress()) {
                    return false;
                }
            }
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** Puts the check in front of every route and maps refusals to the path's family format. */
    public void register(RoutesConfig routes) {
        routes.exception(
                AuthFailure.class,
                (e, ctx) -> {
                    if (e.status() == 401) {
                        ctx.header("WWW-Authenticate", "Bearer realm=\"millrace\"");
                    }
                    ctx.status(e.status())
                            .json(ErrorBodies.forPath(ctx.path(), e.status(), e.getMessage()));
                });
        if (settings.enabled()) {
            routes.before(this::check);
            // Before-handlers do not run for a WebSocket handshake: it needs its own check.
            routes.wsBeforeUpgrade(this::checkUpgrade);
        }
    }

    private void check(Context ctx) {
        if (isPublic(ctx.path())) {
            return;
        }
        authenticate(ctx, bearerToken(ctx.header("Authorization")));
    }

    /**
     * A browser cannot set headers on a WebSocket handshake, so {@code /ws} also takes the token as
     * the {@code access_token} query parameter (RFC 6750 §2.3). Only the handshake accepts it: a
     * URL ends up in histories and proxy logs, so ordinary requests must use the header.
     */
    private void checkUpgrade(Context ctx) {
        String token = bearerToken(ctx.header("Authorization"));
        if (token == null) {
            String query = ctx.queryParam(ACCESS_TOKEN_PARAMETER);
            token = query == null || query.isBlank() ? null : query.strip();
        }
        try {
            authenticate(ctx, token);
        } catch (AuthFailure e) {
            // Javalin maps the exception on a handshake but never writes the mapped body; write
            // the refusal out here so it reads like any other request's.
            writeRefusal(ctx, e);
            throw e;
        }
    }

    private static void writeRefusal(Context ctx, AuthFailure failure) {
        try {
            HttpServletResponse response = ctx.res();
            response.setStatus(failure.status());
            if (failure.status() == 401) {
                response.setHeader("WWW-Authenticate", "Bearer realm=\"millrace\"");
            }
            response.setContentType("application/json");
            byte[] body =
                    ctx.jsonMapper()
                            .toJsonString(
                                    ErrorBodies.forPath(
                                            ctx.path(), failure.status(), failure.getMessage()),
                                    Object.class)
                            .getBytes(StandardCharsets.UTF_8);
            response.setContentLength(body.length);
            response.getOutputStream().write(body);
            response.flushBuffer();
        } catch (IOException e) {
            LOG.debug("could not answer a refused WebSocket handshake: {}", e.toString());
        }
    }

    private void authenticate(Context ctx, String token) {
        if (token == null) {
            throw AuthFailure.unauthorized("Missing bearer token (Authorization: Bearer <token>)");
        }
        Optional<Caller> caller = tokens == null ? Optional.empty() : tokens.match(token);
        if (caller.isEmpty() && jwt != null) {
            caller = jwt.verify(token);
        }
        if (caller.isEmpty() && kubernetes != null) {
            caller = viaKubernetes(ctx, token);
        }
        if (caller.isEmpty()) {
            throw AuthFailure.unauthorized("Invalid or expired bearer token");
        }
        ctx.attribute(Caller.ATTRIBUTE, caller.get());
    }

    private Optional<Caller> viaKubernetes(Context ctx, String token) {
        try {
            Optional<UserInfo> user = kubernetes.authenticate(token);
            if (user.isEmpty()) {
                return Optional.empty();
            }
            AccessRequest access =
                    AccessRequest.of(ctx.method().name(), ctx.path(), workspaceNamespace(ctx));
            if (!kubernetes.allowed(user.get(), access)) {
                throw AuthFailure.forbidden(
                        "User \"" + user.get().getUsername() + "\" cannot " + access);
            }
            return Optional.of(new Caller(user.get().getUsername(), AuthMode.KUBERNETES));
        } catch (KubernetesClientException e) {
            LOG.warn("Kubernetes token or access review failed: {}", e.getMessage());
            throw new AuthFailure(503, "Authentication is unavailable, try again later");
        }
    }

    /**
     * The public family names its workspace (a namespace's uid); the others serve one namespace.
     */
    private String workspaceNamespace(Context ctx) {
        String workspaceId = ctx.queryParam("workspaceId");
        if (workspaceId != null && ctx.path().startsWith("/api/public/")) {
            return kubernetes.namespaceOfWorkspace(workspaceId).orElse(namespace);
        }
        return namespace;
    }

    static boolean isPublic(String path) {
        String p =
                path.endsWith("/") && path.length() > 1
                        ? path.substring(0, path.length() - 1)
                        : path;
        return PUBLIC_PATHS.contains(p)
                || p.equals("/")
                || p.startsWith("/ui/")
                || p.startsWith("/api/docs/")
                || p.startsWith("/api/redoc/");
    }

    static String bearerToken(String header) {
        if (header == null
                || header.length() <= BEARER.length()
                || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return null;
        }
        String token = header.substring(BEARER.length()).strip();
        return token.isEmpty() ? null : token;
    }

    @Override
    public void close() {
        if (tokens != null) {
            tokens.close();
        }
    }
}
