package dev.millrace.api.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.millrace.api.ApiServer;
import dev.millrace.api.ApiSettings;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;

class LoopbackOnlyWithoutAuthTest {
    @Test
    void aServerWithoutAuthRefusesToListenBeyondLoopback() {
        ApiSettings settings =
                ApiSettings.of("0.0.0.0", 0, "default", "test", Path.of("files"), Path.of("."));

        assertThatThrownBy(() -> new ApiServer(settings, null, null, Clock.systemUTC()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("without authentication")
                .hasMessageContaining("0.0.0.0")
                .hasMessageContaining("--auth");
    }

    @Test
    void loopbackAddressesAreRecognised() {
        assertThat(ApiAuth.isLoopback("127.0.0.1")).isTrue();
        assertThat(ApiAuth.isLoopback("::1")).isTrue();
        assertThat(ApiAuth.isLoopback("localhost")).isTrue();
        assertThat(ApiAuth.isLoopback("0.0.0.0")).isFalse();
        assertThat(ApiAuth.isLoopback("10.1.2.3")).isFalse();
    }

    @Test
    void noneCannotBeCombinedAndEveryModeNeedsItsMaterial() {
        assertThatThrownBy(
                        () ->
                                new AuthSettings(
                                        java.util.EnumSet.of(AuthMode.NONE, AuthMode.JWT),
                                        null,
                                        null,
                                        null,
                                        null,
                                        null,
                                        null,
                                        null))
                .hasMessageContaining("cannot be combined");
        assertThatThrownBy(
                        () ->
                                new AuthSettings(
                                        java.util.EnumSet.of(AuthMode.TOKEN),
                                        null,
                                        null,
                                        null,
                                        null,
                                        null,
                                        null,
                                        null))
                .hasMessageContaining("--auth-token-secret");
        assertThatThrownBy(
                        () ->
                                new AuthSettings(
                                        java.util.EnumSet.of(AuthMode.JWT),
                                        null,
                                        null,
                                        null,
                                        null,
                                        null,
                                        null,
                                        null))
                .hasMessageContaining("--jwt-hs256-secret-file");
        assertThatThrownBy(
                        () ->
                                new AuthSettings(
                                        java.util.EnumSet.of(AuthMode.JWT),
                                        null,
                                        null,
                                        null,
                                        "short".getBytes(),
                                        null,
                                        null,
                                        null))
                .hasMessageContaining("at least 32 bytes");
    }

    @Test
    void bearerTokensAreReadCaseInsensitivelyAndNothingElseIs() {
        assertThat(ApiAuth.bearerToken("Bearer abc")).isEqualTo("abc");
        assertThat(ApiAuth.bearerToken("bearer  abc ")).isEqualTo("abc");
        assertThat(ApiAuth.bearerToken("Basic YTpi")).isNull();
        assertThat(ApiAuth.bearerToken("Bearer ")).isNull();
        assertThat(ApiAuth.bearerToken(null)).isNull();
    }
}
