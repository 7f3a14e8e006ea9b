package dev.millrace.crds.source;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import java.util.LinkedHashMap;
import java.util.Map;

/** An HTTP API read page by page (type rest). Streams name their paths under spec.streams. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RestSource {
    @Size(min = 1, max = 2048)
    @Pattern("^https?://.+")
    @JsonPropertyDescription(
            "Base URL every stream path is resolved against. Default: the url of the http"
                    + " Connector that connectorRef names.")
    public String baseUrl;

    @JsonPropertyDescription(
            "How requests authenticate. Default: the http Connector's authType and secretRef, or"
                    + " none.")
    public RestAuth auth;

    @Size(max = 50)
    @JsonPropertyDescription(
            "Extra request headers (non-secret; Authorization is refused: use auth).")
    public Map<String, String> headers = new LinkedHashMap<>();

    @Min(0.01)
    @Max(10000)
    @JsonPropertyDescription(
            "Request budget of the source: requests are spaced to stay under this many a second."
                    + " Unlimited when unset.")
    public Double requestsPerSecond;

    @Min(0)
    @Max(20)
    @JsonPropertyDescription(
            "Retries per request for 429 (after Retry-After), 5xx and timeouts, with exponential"
                    + " backoff and jitter. Default 5.")
    public Integer maxRetries;

    @Min(1)
    @Max(3600)
    @JsonPropertyDescription("Seconds one request may take. Default 30.")
    public Integer timeoutSeconds;

    @Size(max = 256)
    @Pattern("^(/.*)?$")
    @JsonPropertyDescription(
            "JSON pointer to the records array in a page (e.g. /data), for streams that set none;"
                    + " empty or unset means the page is the array.")
    public String recordsPath;

    @JsonPropertyDescription("Paging of streams that set none. Default: a single request.")
    public RestPagination pagination;
}
