package dev.millrace.crds.common;

/** Regular expressions the schemas share; the API server and local mode enforce the same ones. */
public final class Patterns {
    /** A Kubernetes object name (DNS-1123 subdomain). */
    public static final String DNS_1123_SUBDOMAIN =
            "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

    /** A warehouse identifier (schema, table or column name) that needs no quoting anywhere. */
    public static final String SQL_IDENTIFIER = "^[A-Za-z_][A-Za-z0-9_]{0,62}$";

    private Patterns() {}
}
