package dev.millrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class MillraceCommandTest {
    private static String help(String... args) {
        StringWriter out = new StringWriter();
        var cli = Millrace.commandLine();
        cli.setOut(new PrintWriter(out));
        assertThat(cli.execute(args)).isZero();
        return out.toString();
    }

    @Test
    void helpListsEverySubcommandWithWhatItDoes() {
        String help = help("--help");
        assertThat(help).contains("local", "control-plane", "operator", "api", "sync", "apply");
    }

    @Test
    void localHelpExplainsTheFlagsAUserNeeds() {
        assertThat(help("local", "--help"))
                .contains(
                        "--port",
                        "--data-dir",
                        "--examples",
                        "default: 8800",
                        "default: ./.millrace");
    }

    @Test
    void localRefusesToBindBeyondLoopbackBecauseItHasNoAuth() {
        assertThat(
                        Millrace.commandLine()
                                .execute(
                                        "local", "--bind", "0.0.0.0", "--data-dir", "target/never"))
                .isEqualTo(2);
    }
}
