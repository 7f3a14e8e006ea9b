package dev.millrace.sync.destination.duckdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SqlTest {

    @Test
    void identifiersAreDoubleQuotedWithQuotesDoubled() {
        assertThat(Sql.identifier("order \"lines\"")).isEqualTo("\"order \"\"lines\"\"\"");
        assertThat(Sql.qualified("w", "raw", "t")).isEqualTo("\"w\".\"raw\".\"t\"");
    }

    @Test
    void literalsAreSingleQuotedWithQuotesDoubled() {
        assertThat(Sql.literal("it's'; DROP TABLE x; --")).isEqualTo("'it''s''; DROP TABLE x; --'");
    }

    @Test
    void onlyPlainTypeNamesPassIntoSql() {
        assertThat(Sql.type("DECIMAL(18,3)")).isEqualTo("DECIMAL(18,3)");
        assertThat(Sql.type("TIMESTAMP WITH TIME ZONE")).isEqualTo("TIMESTAMP WITH TIME ZONE");
        assertThatThrownBy(() -> Sql.type("STRUCT(\"a\" INTEGER)"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Sql.type("INTEGER); DROP TABLE x; --"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
