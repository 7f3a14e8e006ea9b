package dev.millrace.crds.validation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The REST and Stripe example manifests under examples/api-sources are valid as written. */
class ApiSourceExamplesTest {
    private static final Path DIR =
            Path.of("..", "examples", "api-sources").toAbsolutePath().normalize();

    private final CrdSchemaValidator validator = CrdSchemaValidator.forMillraceCrds();

    @ParameterizedTest
    @ValueSource(strings = {"stripe.yaml", "rest.yaml"})
    void everyObjectOfTheExampleIsValid(String file) throws Exception {
        List<ObjectNode> objects =
                new YAMLMapper()
                        .readerFor(ObjectNode.class)
                        .<ObjectNode>readValues(Files.readString(DIR.resolve(file)))
                        .readAll();

        assertThat(objects).isNotEmpty();
        for (ObjectNode object : objects) {
            ValidationResult result = validator.validate(object);
            assertThat(result.errors()).as(file + " " + object.at("/metadata/name")).isEmpty();
        }
        assertThat(objects).anySatisfy(o -> assertThat(o.at("/kind").asText()).isEqualTo("Source"));
    }
}
