package dev.millrace.api.openapi;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;

/**
 * The API described and rendered: {@code GET /api/openapi.json}, Swagger UI at {@code /api/docs}
 * and ReDoc at {@code /api/redoc}. Their scripts are served from the webjars on the classpath, so
 * the pages work with no network beyond this server.
 */
public final class ApiDocs {
    public static final String TITLE = "Millrace API";

    private static final String SWAGGER_UI = "META-INF/resources/webjars/swagger-ui/";
    private static final String REDOC = "META-INF/resources/webjars/redoc/";

    /** The assets each page needs, by the name it is served under, with their content types. */
    private static final Map<String, String> SWAGGER_ASSETS =
            Map.of(
                    "swagger-ui-bundle.js", "text/javascript",
                    "swagger-ui.css", "text/css",
                    "favicon-32x32.png", "image/png");

    private static final Map<String, String> REDOC_ASSETS =
            Map.of("redoc.standalone.js", "text/javascript");

    private final byte[] openApiJson;
    private final String swaggerUiRoot;
    private final String redocRoot;
    private final ClassLoader loader;

    public ApiDocs(ClassLoader loader) {
        this.loader = loader;
        ObjectNode document = OpenApiDocument.load(loader);
        try {
            this.openApiJson = new ObjectMapper().writeValueAsBytes(document);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.swaggerUiRoot =
                SWAGGER_UI + version(loader, "META-INF/maven/org.webjars/swagger-ui") + "/";
        this.redocRoot =
                REDOC + version(loader, "META-INF/maven/org.webjars.npm/redoc") + "/bundles/";
    }

    public void register(RoutesConfig routes) {
        routes.get("/api/openapi.json", this::openApi);
        routes.get("/api/docs", ctx -> ctx.html(swaggerPage()));
        routes.get("/api/docs/{asset}", ctx -> asset(ctx, swaggerUiRoot, SWAGGER_ASSETS));
        routes.get("/api/redoc", ctx -> ctx.html(redocPage()));
        routes.get("/api/redoc/{asset}", ctx -> asset(ctx, redocRoot, REDOC_ASSETS));
    }

    private void openApi(Context ctx) {
        ctx.contentType("application/json").result(openApiJson);
    }

    private void asset(Context ctx, String root, Map<String, String> assets) throws IOException {
        String name = ctx.pathParam("asset");
        String type = assets.get(name);
        InputStream in = type == null ? null : loader.getResourceAsStream(root + name);
        if (in == null) {
            throw new NotFoundResponse("No such documentation asset: " + name);
        }
        try (in) {
            ctx.contentType(type)
                    .header("Cache-Control", "public, max-age=86400")
                    .result(in.readAllBytes());
        }
    }

    private static String swaggerPage() {
        return """
        <!DOCTYPE html>
        <html lang="en">
        <head>
          <meta charset="utf-8">
          <title>%s — Swagger UI</title>
          <link rel="stylesheet" href="/api/docs/swagger-ui.css">
          <link rel="icon" type="image/png" href="/api/docs/favicon-32x32.png">
        </head>
        <body>
          <div id="swagger-ui"></div>
          <script src="/api/docs/swagger-ui-bundle.js"></script>
          <script>
            window.ui = SwaggerUIBundle({
              url: "/api/openapi.json",
              dom_id: "#swagger-ui",
              deepLinking: true,
              presets: [SwaggerUIBundle.presets.apis],
              layout: "BaseLayout"
            });
          </script>
        </body>
        </html>
        """
                .formatted(TITLE);
    }

    private static String redocPage() {
        return """
        <!DOCTYPE html>
        <html lang="en">
        <head>
          <meta charset="utf-8">
          <title>%s — ReDoc</title>
          <meta name="viewport" content="width=device-width, initial-scale=1">
        </head>
        <body>
          <div id="redoc"></div>
          <script src="/api/redoc/redoc.standalone.js"></script>
          <script>
            Redoc.init("/api/openapi.json", {}, document.getElementById("redoc"));
          </script>
        </body>
        </html>
        """
                .formatted(TITLE);
    }

    private static String version(ClassLoader loader, String mavenDir) {
        try (InputStream in = loader.getResourceAsStream(mavenDir + "/pom.properties")) {
            if (in == null) {
                throw new IllegalStateException(
                        "the webjar " + mavenDir + " is not on the classpath");
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
