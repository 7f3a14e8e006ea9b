package dev.millrace.sync.plan;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A PostgreSQL destination's server. The password is never here: {@code passwordEnv} names the
 * environment variable that holds it (the Job gets it from the Connector's Secret).
 *
 * @param port the port, 5432 when absent
 * @param options driver properties (non-secret), e.g. {@code sslmode: require}
 */
public record PostgresPlan(
        String host,
        Integer port,
        String database,
        String username,
        String passwordEnv,
        Map<String, String> options) {

    public PostgresPlan {
        options = options == null ? Map.of() : new LinkedHashMap<>(options);
    }
}
