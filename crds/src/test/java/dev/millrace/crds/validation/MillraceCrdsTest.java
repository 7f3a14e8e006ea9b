package dev.millrace.crds.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.crds.connector.Connector;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class MillraceCrdsTest {

    @Test
    void everyCrdTheGeneratorWritesIsKnownToTheValidator() throws IOException, URISyntaxException {
        Path generatedDir =
                Path.of(
                                MillraceCrds.class
                                        .getClassLoader()
                                        .getResource(MillraceCrds.resourceName(Connector.class))
                                        .toURI())
                        .getParent();
        List<String> generated;
        try (Stream<Path> files = Files.list(generatedDir)) {
            generated = files.map(file -> file.getFileName().toString()).sorted().toList();
        }

        List<String> known =
                MillraceCrds.KINDS.stream()
                        .map(MillraceCrds::resourceName)
                        .map(resource -> resource.substring(resource.lastIndexOf('/') + 1))
                        .sorted()
                        .toList();

        assertThat(known)
                .as("MillraceCrds.KINDS must list every kind the CRD generator writes")
                .isEqualTo(generated);
    }

    @Test
    void everyMillraceCrdLoadsWithItsRulesCompiled() {
        assertThat(CrdSchemaValidator.forMillraceCrds().groups()).containsExactly("millrace.dev");
    }
}
