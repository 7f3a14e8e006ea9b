package dev.millrace.api;

import io.javalin.config.RoutesConfig;

/**
 * One REST API family (platform, public, monitoring, connector): its routes and the mapping of its
 * own exception type to its error body. Each family lives in its own package.
 */
public interface ApiFamily extends AutoCloseable {
    /** Registers the family's routes and exception handlers. */
    void register(RoutesConfig routes);

    /** Stops what the family runs in the background (watchers, informers); nothing by default. */
    @Override
    default void close() {}
}
