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
    void clusterCommandsElectALeaderAndServeMetricsByDefault() {
        for (String command : new String[] {"operator", "control-plane"}) {
            assertThat(help(command, "--help"))
                    .contains(
                            "--[no-]leader-election",
                            "--leader-election-namespace",
                            "$POD_NAMESPACE",
                            "--metrics-listen",
                            "default: 0.0.0.0:8802");
        }
    }

    @Test
    void leaderElectionIsOnUnlessTurnedOffAndItsNamespaceFollowsThePod() {
        ClusterOptions defaults = parse();
        assertThat(defaults.operationsSettings().leaderElection()).isNotNull();
        assertThat(defaults.operationsSettings().leaderElection().namespace())
                .isEqualTo(System.getenv().getOrDefault("POD_NAMESPACE", "default"));
        assertThat(defaults.operationsSettings().listen()).isEqualTo("0.0.0.0:8802");

        ClusterOptions single = parse("--no-leader-election", "--metrics-listen", "none");
        assertThat(single.operationsSettings().leaderElection()).isNull();
        assertThat(single.operationsSettings().listen()).isNull();

        assertThat(
                        parse("--leader-election-namespace", "millrace")
                                .operationsSettings()
                                .leaderElection()
                                .namespace())
                .isEqualTo("millrace");
    }

    private static ClusterOptions parse(String... args) {
        OperatorCommand command = new OperatorCommand();
        new picocli.CommandLine(command).parseArgs(args);
        return command.cluster;
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
