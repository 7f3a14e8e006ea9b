package dev.millrace.api.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The web UI at {@code /}: plain ES modules, one stylesheet and Chart.js from its webjar, with no
 * build step and nothing fetched from elsewhere at run time. Every asset path carries a version (a
 * hash of the UI files, or the webjar's version), so assets are cached as immutable and a new build
 * is picked up by the next load of the page, which itself is revalidated with an ETag.
 */
public final class WebUi {
    private static final String ROOT = "web/";
    private static final String CHART_JS_DIR = "META-INF/resources/webjars/chart.js/";
    private static final String IMMUTABLE = "public, max-age=31536000, immutable";

    /** The UI's own files: what the page loads and what the version hash covers. */
    static final List<String> FILES =
            List.of(
                    "app.js",
                    "api.js",
                    "dom.js",
                    "live.js",
                    "overview.js",
                    "sources.js",
                    "connections.js",
                    "pipelines.js",
                    "connectors.js",
                    "models.js",
                    "style.css");

    private static final Map<String, String> TYPES =
            Map.of(
                    "js", "text/javascript; charset=utf-8",
                    "css", "text/css; charset=utf-8");

    private final Map<String, byte[]> files = new LinkedHashMap<>();
    private final byte[] chartJs;
    private final String version;
    private final String chartJsPath;
    private final byte[] page;
    private final String pageEtag;

    public WebUi(ClassLoader loader) {
        MessageDigest digest = sha256();
        for (String name : FILES) {
            byte[] bytes = read(loader, ROOT + name);
            files.put(name, bytes);
            digest.update(name.getBytes(StandardCharsets.UTF_8));
            digest.update(bytes);
        }
        this.version = HexFormat.of().formatHex(digest.digest()).substring(0, 12);
        String chartVersion = webjarVersion(loader, "META-INF/maven/org.webjars.npm/chart.js");
        this.chartJs = read(loader, CHART_JS_DIR + chartVersion + "/dist/chart.umd.min.js");
        this.chartJsPath = "/ui/vendor/chart.js/" + chartVersion + "/chart.umd.min.js";
        String html =
                new String(read(loader, ROOT + "index.html"), StandardCharsets.UTF_8)
                        .replace("{{ASSETS}}", assetBase())
                        .replace("{{CHART_JS}}", chartJsPath);
        this.page = html.getBytes(StandardCharsets.UTF_8);
        this.pageEtag = "\"" + version + "\"";
    }

    /** Where this build's UI files are served, e.g. {@code /ui/3f2a9c0d1b7e}. */
    public String assetBase() {
        return "/ui/" + version;
    }

    public String chartJsPath() {
        return chartJsPath;
    }

    public void register(RoutesConfig routes) {
        routes.get("/", this::page);
        routes.get("/ui/vendor/chart.js/{version}/chart.umd.min.js", this::chart);
        routes.get("/ui/{version}/{file}", this::asset);
    }

    private void page(Context ctx) {
        ctx.header("Cache-Control", "no-cache").header("ETag", pageEtag);
        if (pageEtag.equals(ctx.header("If-None-Match"))) {
            ctx.status(304);
            return;
        }
        ctx.contentType("text/html; charset=utf-8").result(page);
    }

    private void chart(Context ctx) {
        if (!ctx.path().equals(chartJsPath)) {
            throw new NotFoundResponse("No such asset: " + ctx.path());
        }
        ctx.contentType(TYPES.get("js")).header("Cache-Control", IMMUTABLE).result(chartJs);
    }

    private void asset(Context ctx) {
        String name = ctx.pathParam("file");
        byte[] bytes = files.get(name);
        if (bytes == null) {
            throw new NotFoundResponse("No such asset: " + name);
        }
        // An old page asking for an older version gets today's file, but not cached for good: the
        // long cache is only for the path that names exactly these bytes.
        boolean current = version.equals(ctx.pathParam("version"));
        ctx.contentType(TYPES.get(name.substring(name.lastIndexOf('.') + 1)))
                .header("Cache-Control", current ? IMMUTABLE : "no-cache")
                .result(bytes);
    }

    private static byte[] read(ClassLoader loader, String resource) {
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the web UI resource " + resource + " is missing");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String webjarVersion(ClassLoader loader, String mavenDir) {
        Properties p = new Properties();
        try (InputStream in = loader.getResourceAsStream(mavenDir + "/pom.properties")) {
            if (in == null) {
                throw new IllegalStateException(
                        "the webjar " + mavenDir + " is not on the classpath");
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p.getProperty("version");
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
