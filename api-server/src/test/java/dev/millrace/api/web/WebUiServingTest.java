package dev.millrace.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.api.ApiTestCluster;
import dev.millrace.api.auth.AuthSettings;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The UI's page and assets over HTTP: versioned paths cached as immutable, the page revalidated
 * with its ETag, and all of it readable without a token while the data behind it is not.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebUiServingTest {
    @TempDir static Path tmp;
    private ApiTestCluster cluster;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start() throws Exception {
        cluster =
                new ApiTestCluster(
                        tmp,
                        AuthSettings.tokens(ApiTestCluster.NS, "millrace-api-tokens"),
                        client ->
                                client.resource(
                                                new SecretBuilder()
                                                        .withNewMetadata()
                                                        .withName("millrace-api-tokens")
                                                        .withNamespace(ApiTestCluster.NS)
                                                        .endMetadata()
                                                        .withStringData(Map.of("ui", "ui-token"))
                                                        .build())
                                        .create());
    }

    @AfterAll
    void stop() {
        cluster.close();
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(cluster.server.baseUrl() + path));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String first(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        assertThat(m.find()).as("%s in %s", pattern, text).isTrue();
        return m.group(1);
    }

    @Test
    void thePageLinksVersionedAssetsThatAreCachedForGood() throws Exception {
        HttpResponse<String> page = get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-cache");

        String app = first(Pattern.compile("src=\"(/ui/[0-9a-f]{12}/app\\.js)\""), page.body());
        String chart =
                first(Pattern.compile("src=\"(/ui/vendor/chart\\.js/[^\"]+)\""), page.body());
        for (String asset : new String[] {app, chart, app.replace("app.js", "style.css")}) {
            HttpResponse<String> response = get(asset);
            assertThat(response.statusCode()).as(asset).isEqualTo(200);
            assertThat(response.headers().firstValue("Cache-Control").orElse(""))
                    .as(asset)
                    .contains("immutable");
            assertThat(response.body()).isNotEmpty();
        }
        assertThat(get(app).body()).contains("import");
    }

    @Test
    void anUnchangedPageIsNotSentAgain() throws Exception {
        String etag = get("/").headers().firstValue("ETag").orElseThrow();
        assertThat(get("/", "If-None-Match", etag).statusCode()).isEqualTo(304);
    }

    @Test
    void anOlderVersionsAssetIsServedButNotCachedAndUnknownFilesAre404() throws Exception {
        HttpResponse<String> old = get("/ui/000000000000/app.js");
        assertThat(old.statusCode()).isEqualTo(200);
        assertThat(old.headers().firstValue("Cache-Control")).hasValue("no-cache");
        assertThat(get("/ui/000000000000/secrets.js").statusCode()).isEqualTo(404);
        assertThat(get("/ui/vendor/chart.js/0.0.1/chart.umd.min.js").statusCode()).isEqualTo(404);
    }

    @Test
    void theUiLoadsWithoutATokenButItsDataNeedsOne() throws Exception {
        assertThat(get("/").statusCode()).isEqualTo(200);
        String app = first(Pattern.compile("src=\"(/ui/[0-9a-f]{12}/app\\.js)\""), get("/").body());
        assertThat(get(app).statusCode()).isEqualTo(200);
        assertThat(get("/api/sources").statusCode()).isEqualTo(401);
        assertThat(get("/api/pipelines").statusCode()).isEqualTo(401);
    }

    @Test
    void theApiDocumentationPagesStillWork() throws Exception {
        assertThat(get("/api/docs").statusCode()).isEqualTo(200);
        assertThat(get("/api/openapi.json").body()).contains("/api/pipelines");
    }
}
