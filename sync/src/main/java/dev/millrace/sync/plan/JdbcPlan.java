package dev.millrace.sync.plan;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A database read over JDBC. The password is never here: {@code passwordEnv} names the environment
 * variable that holds it (the Job gets it from a Secret through {@code secretKeyRef}).
 *
 * @param driver {@code postgres}, {@code mysql}, {@code mariadb} (both read with MariaDB
 *     Connector/J), {@code sqlite} or {@code duckdb}
 * @param host network databases: the host
 * @param port network databases: the port (the driver's default when absent)
 * @param database the database name; for sqlite and duckdb the file, relative paths resolving
 *     against the data root
 * @param username network databases: the user
 * @param passwordEnv the name of the environment variable holding the password, if any
 * @param options driver properties (non-secret), e.g. {@code sslmode: require}
 */
public record JdbcPlan(
        String driver,
        String host,
        Integer port,
        String database,
        String username,
        String passwordEnv,
        Map<String, String> options) {

    public static final String POSTGRES = "postgres";
    public static final String SQLITE = "sqlite";
    public static final String DUCKDB = "duckdb";
    public static final String MYSQL = "mysql";
    public static final String MARIADB = "mariadb";
    public static final List<String> DRIVERS = List.of(POSTGRES, MYSQL, MARIADB, SQLITE, DUCKDB);

    public JdbcPlan {
        options = options == null ? Map.of() : new LinkedHashMap<>(options);
    }

    @JsonIgnore
    public boolean isMySql() {
        return MYSQL.equals(driver) || MARIADB.equals(driver);
    }

    @JsonIgnore
    public boolean isFileDatabase() {
        return SQLITE.equals(driver) || DUCKDB.equals(driver);
    }
}
