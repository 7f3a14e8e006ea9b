package dev.millrace.crds.connector;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.millrace.crds.common.*;
import io.fabric8.generator.annotation.*;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import java.util.*;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
        value = "!(self.type in ['postgres', 'mysql', 'mariadb', 'sqlserver']) || has(self.host)",
        message = "host is required for network databases")
@ValidationRule(
        value = "!(self.type in ['sqlite', 'duckdb']) || has(self.database)",
        message = "database (the file path) is required for sqlite and duckdb")
@ValidationRule(
        value = "self.type != 'http' || has(self.url)",
        message = "url is required when type is http")
@ValidationRule(
        value = "!(self.authType in ['basic', 'api_key', 'bearer']) || has(self.secretRef)",
        message = "secretRef is required when authType needs a credential")
public class ConnectorSpec {
    public enum ConnectorType {
        @JsonProperty("postgres")
        POSTGRES,
        @JsonProperty("mysql")
        MYSQL,
        @JsonProperty("mariadb")
        MARIADB,
        @JsonProperty("sqlserver")
        SQLSERVER,
        @JsonProperty("sqlite")
        SQLITE,
        @JsonProperty("duckdb")
        DUCKDB,
        @JsonProperty("http")
        HTTP
    }

    public enum AuthType {
        @JsonProperty("none")
        NONE,
        @JsonProperty("basic")
        BASIC,
        @JsonProperty("api_key")
        API_KEY,
        @JsonProperty("bearer")
        BEARER
    }

    @Size(max = 150)
    @JsonPropertyDescription("Human-readable name (the Databasin connectorName).")
    public String displayName;

    @Required
    @JsonPropertyDescription("postgres, mysql, mariadb, sqlserver, sqlite, duckdb or http.")
    public ConnectorType type;

    @Size(min = 1, max = 253)
    @JsonPropertyDescription("Database host name.")
    public String host;

    @Min(1)
    @Max(65535)
    @JsonPropertyDescription("Database port; the type's default when unset.")
    public Integer port;

    @Size(min = 1, max = 1024)
    @JsonPropertyDescription("Database name, or the file path for sqlite and duckdb.")
    public String database;

    @Size(min = 1, max = 2048)
    @Pattern("^https?://.+")
    @JsonPropertyDescription("Base URL for http connectors.")
    public String url;

    @Size(min = 1, max = 256)
    @JsonPropertyDescription("User name (never a password: that lives in the Secret).")
    public String username;

    @Default("none")
    @JsonPropertyDescription("none, basic (username + password), api_key or bearer.")
    public AuthType authType = AuthType.NONE;

    @JsonPropertyDescription(
            "The Secret key holding the password, API key or token. Never inline a credential.")
    public SecretKeySelector secretRef;

    @Min(1)
    @Max(100)
    @Default("5")
    @JsonPropertyDescription("Connections a sync may open to this database at once.")
    public Integer maxConnections = 5;

    @JsonPropertyDescription("Driver options (non-secret), e.g. sslmode: require.")
    public Map<String, String> options = new LinkedHashMap<>();
}
