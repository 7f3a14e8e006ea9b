package dev.millrace.operator.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.millrace.crds.connector.ConnectorSpec;
import dev.millrace.operator.local.EmbeddedKubernetes;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CredentialsTest {
    private static EmbeddedKubernetes kube;

    @BeforeAll
    static void start() {
        kube = EmbeddedKubernetes.start(0, "default");
    }

    @AfterAll
    static void stop() {
        kube.close();
    }

    private static ConnectorSpec referencing(String secret, String key) {
        ConnectorSpec spec = new ConnectorSpec();
        spec.type = ConnectorSpec.ConnectorType.POSTGRES;
        spec.secretRef = new SecretKeySelector(key, secret, false);
        return spec;
    }

    @Test
    void theCredentialIsReadFromTheReferencedSecretKeyAndScrubbedFromMessages() throws Exception {
        kube.client()
                .secrets()
                .inNamespace("default")
                .resource(
                        new SecretBuilder()
                                .withNewMetadata()
                                .withName("db")
                                .endMetadata()
                                .withStringData(Map.of("password", "p@ss word&1"))
                                .build())
                .create();

        Credentials credentials =
                Credentials.of(referencing("db", "password"), "default", kube.client());

        assertThat(credentials.secret()).isEqualTo("p@ss word&1");
        assertThat(
                        credentials.scrub(
                                "login failed with p@ss word&1 at"
                                    + " jdbc:x://h/db?user=a&password=p%40ss+word%261; pwd=other"))
                .isEqualTo(
                        "login failed with **** at jdbc:x://h/db?user=a&password=****; pwd=****");
    }

    @Test
    void aMissingSecretOrKeyIsNamedWithoutReadingAnything() {
        assertThatThrownBy(
                        () ->
                                Credentials.of(
                                        referencing("absent", "password"),
                                        "default",
                                        kube.client()))
                .isInstanceOf(ConnectorProblem.class)
                .hasMessage("secret absent (secretRef) does not exist");
        kube.client()
                .secrets()
                .inNamespace("default")
                .resource(
                        new SecretBuilder()
                                .withNewMetadata()
                                .withName("other")
                                .endMetadata()
                                .withStringData(Map.of("token", "t"))
                                .build())
                .create();
        assertThatThrownBy(
                        () ->
                                Credentials.of(
                                        referencing("other", "password"), "default", kube.client()))
                .isInstanceOf(ConnectorProblem.class)
                .extracting(e -> ((ConnectorProblem) e).reason())
                .isEqualTo("SecretKeyNotFound");
    }
}
