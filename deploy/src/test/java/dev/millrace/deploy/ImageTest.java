package dev.millrace.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

/**
 * What can be checked of the image without a Docker engine: the Dockerfile runs the jar the cli
 * build produces, as the user the chart expects, and the Jib profile builds the same thing.
 */
class ImageTest {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void dockerfileRunsTheShadedJarAsNonRootOnJava17() throws Exception {
        List<String> lines = dockerfile();
        Document cli = pom(ROOT.resolve("cli/pom.xml"));
        String finalName = xpath(cli, "/project/build/finalName");
        // The shade plugin replaces the main artifact (no classifier), so target/<finalName>.jar is
        // the runnable jar.
        assertThat(xpath(cli, "//plugin[artifactId='maven-shade-plugin']//shadedArtifactAttached"))
                .isEmpty();
        assertThat(xpath(cli, "//plugin[artifactId='maven-shade-plugin']//transformer/mainClass"))
                .isEqualTo("dev.millrace.cli.Millrace");
        String jar = "cli/target/" + finalName + ".jar";
        assertThat(jar).isEqualTo("cli/target/millrace.jar");

        assertThat(lines)
                .filteredOn(l -> l.startsWith("FROM "))
                .containsExactly(
                        "FROM eclipse-temurin:17-jdk AS build", "FROM eclipse-temurin:17-jre");
        assertThat(lines).contains("COPY --from=build /src/" + jar + " /app/millrace.jar");
        assertThat(lines).anyMatch(l -> l.matches("RUN .*\\./mvnw .*-pl cli -am package.*"));
        assertThat(lines).contains("USER 10001:10001");
        assertThat(entrypoint(lines)).startsWith("java").endsWith("-jar", "/app/millrace.jar");
    }

    @Test
    void jibProfileBuildsTheSameImage() throws Exception {
        Document cli = pom(ROOT.resolve("cli/pom.xml"));
        String jib =
                "/project/profiles/profile[id='image']/build/plugins/plugin[artifactId='jib-maven-plugin']/configuration";
        assertThat(xpath(cli, jib + "/from/image")).isEqualTo("eclipse-temurin:17-jre");
        assertThat(xpath(cli, jib + "/container/user")).isEqualTo("10001:10001");
        assertThat(xpath(cli, jib + "/extraDirectories/paths/path/includes"))
                .isEqualTo("millrace.jar");
        assertThat(xpath(cli, jib + "/extraDirectories/paths/path/into")).isEqualTo("/app");
        NodeList entries =
                (NodeList)
                        XPathFactory.newInstance()
                                .newXPath()
                                .evaluate(
                                        jib + "/container/entrypoint/entry",
                                        cli,
                                        XPathConstants.NODESET);
        List<String> entrypoint = new ArrayList<>();
        for (int i = 0; i < entries.getLength(); i++) {
            entrypoint.add(entries.item(i).getTextContent().trim());
        }
        assertThat(entrypoint).isEqualTo(entrypoint(dockerfile()));
        // Not bound to a phase: `./mvnw verify` never talks to a registry.
        assertThat(
                        xpath(
                                cli,
                                "/project/profiles/profile[id='image']/build/plugins/plugin[artifactId='jib-maven-plugin']/executions"))
                .isEmpty();
        assertThat(
                        xpath(
                                cli,
                                "/project/build/plugins/plugin[artifactId='jib-maven-plugin']/artifactId"))
                .isEmpty();
    }

    @Test
    void chartRunsTheImageAsTheUserItWasBuiltFor() {
        String runAsUser =
                Chart.render("default.yaml")
                        .all(io.fabric8.kubernetes.api.model.apps.Deployment.class)
                        .get(0)
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getSecurityContext()
                        .getRunAsUser()
                        .toString();
        assertThat(runAsUser).isEqualTo("10001");
    }

    static List<String> dockerfile() throws Exception {
        List<String> lines = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String raw : Files.readAllLines(ROOT.resolve("Dockerfile"))) {
            String line = raw.strip();
            if (line.startsWith("#") || line.isEmpty()) {
                continue;
            }
            if (line.endsWith("\\")) {
                current.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            lines.add(current.append(line).toString().replaceAll("\\s+", " "));
            current.setLength(0);
        }
        return lines;
    }

    static List<String> entrypoint(List<String> dockerfile) throws Exception {
        String line =
                dockerfile.stream()
                        .filter(l -> l.startsWith("ENTRYPOINT "))
                        .findFirst()
                        .orElseThrow();
        JsonNode exec = new ObjectMapper().readTree(line.substring("ENTRYPOINT ".length()));
        List<String> args = new ArrayList<>();
        exec.forEach(a -> args.add(a.asText()));
        return args;
    }

    static Document pom(Path file) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
    }

    static String xpath(Document doc, String expression) throws Exception {
        return XPathFactory.newInstance().newXPath().evaluate(expression, doc).trim();
    }
}
