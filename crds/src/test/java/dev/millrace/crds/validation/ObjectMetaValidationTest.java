package dev.millrace.crds.validation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class ObjectMetaValidationTest {
    private final CrdSchemaValidator validator = CrdSchemaValidator.forMillraceCrds();

    private List<String> errorsWithMetadata(String metadata) {
        ObjectNode manifest =
                Manifests.parse(
                        """
                        apiVersion: millrace.dev/v1alpha1
                        kind: PipelineType
                        metadata: %s
                        spec:
                          displayName: Nightly batch
                        """
                                .formatted(metadata));
        return validator.validate(manifest).errors().stream().map(FieldError::toString).toList();
    }

    @Test
    void nameWithCapitalsOrUnderscoresIsNotADns1123Subdomain() {
        assertThat(errorsWithMetadata("{name: Bad_Name}"))
                .containsExactly(
                        "metadata.name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 subdomain"
                            + " must consist of lower case alphanumeric characters, '-' or '.', and"
                            + " must start and end with an alphanumeric character (e.g."
                            + " 'example.com', regex used for validation is"
                            + " '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')");
    }

    @Test
    void nameIsRequiredUnlessGenerateNameIsGiven() {
        assertThat(errorsWithMetadata("{namespace: analytics}"))
                .containsExactly("metadata.name: Required value: name or generateName is required");
        assertThat(errorsWithMetadata("{generateName: nightly-}")).isEmpty();
    }

    @Test
    void nameLongerThan253CharactersIsRefused() {
        String name = "a".repeat(254);

        assertThat(errorsWithMetadata("{name: " + name + "}"))
                .containsExactly(
                        "metadata.name: Invalid value: \""
                                + name
                                + "\": must be no more than 253 characters");
    }

    @Test
    void namespaceMustBeADns1123Label() {
        // Two spaces before "or": apimachinery's RegexError writes them, clients match them.
        assertThat(errorsWithMetadata("{name: nightly, namespace: Analytics}"))
                .containsExactly(
                        "metadata.namespace: Invalid value: \"Analytics\": a lowercase RFC 1123"
                            + " label must consist of lower case alphanumeric characters or '-',"
                            + " and must start and end with an alphanumeric character (e.g."
                            + " 'my-name',  or '123-abc', regex used for validation is"
                            + " '[a-z0-9]([-a-z0-9]*[a-z0-9])?')");
        assertThat(errorsWithMetadata("{name: nightly, namespace: team.analytics}"))
                .containsExactly(
                        "metadata.namespace: Invalid value: \"team.analytics\": must not contain"
                                + " dots");
    }

    @Test
    void dottedNamesAreValidSubdomains() {
        assertThat(errorsWithMetadata("{name: orders.v2, namespace: analytics}")).isEmpty();
    }

    @Test
    void labelsAndAnnotationsAreStringMaps() {
        assertThat(errorsWithMetadata("{name: nightly, labels: {tier: 1}}"))
                .containsExactly(
                        "metadata.labels.tier: Invalid value: \"integer\": metadata.labels.tier in"
                                + " body must be of type string: \"integer\"",
                        "<nil>: Invalid value: \"null\": some validation rules were not checked"
                                + " because the object was invalid; correct the existing errors"
                                + " to complete validation");
    }
}
