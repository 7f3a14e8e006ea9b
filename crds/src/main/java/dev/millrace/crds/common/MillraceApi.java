package dev.millrace.crds.common;

/** Names shared by every Millrace kind: the API group, annotations and labels. */
public final class MillraceApi {
    public static final String GROUP = "millrace.dev";
    public static final String VERSION = "v1alpha1";
    public static final String API_VERSION = GROUP + "/" + VERSION;
    public static final String CATEGORY = "millrace";

    /** One-shot action: request a sync. The value is a request id; the operator removes it. */
    public static final String SYNC_ANNOTATION = GROUP + "/sync";

    /** Options for the sync request above, as JSON (e.g. {"fullRefresh":true}). */
    public static final String SYNC_OPTIONS_ANNOTATION = GROUP + "/sync-options";

    /** One-shot action: run a Model. The value is a request id; the operator removes it. */
    public static final String RUN_ANNOTATION = GROUP + "/run";

    /** Options for the run request above, as JSON (e.g. {"cascade":true}). */
    public static final String RUN_OPTIONS_ANNOTATION = GROUP + "/run-options";

    /** One-shot action: test a Connector's connection. */
    public static final String TEST_ANNOTATION = GROUP + "/test";

    /** One-shot action: refresh a Connector's metadata catalog. */
    public static final String REFRESH_ANNOTATION = GROUP + "/refresh";

    /** One-shot action: run a Pipeline's freshness and timeliness checks now. */
    public static final String CHECK_ANNOTATION = GROUP + "/check";

    public static final String CONNECTION_LABEL = GROUP + "/connection";
    public static final String MODEL_LABEL = GROUP + "/model";
    public static final String JOB_ID_LABEL = GROUP + "/job-id";
    public static final String JOB_TYPE_LABEL = GROUP + "/job-type";
    public static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
    public static final String MANAGED_BY = "millrace";

    private MillraceApi() {}
}
