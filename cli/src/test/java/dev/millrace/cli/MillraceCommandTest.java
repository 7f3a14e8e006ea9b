package dev.millrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.sync.SyncMain;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
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
    void syncHandsItsOptionsToTheEngine() {
        // The engine, not picocli, parses --plan: an incomplete plan must come back as the engine's
        // failed result, never as picocli's "Unknown option".
        ByteArrayOutputStream engineOut = new ByteArrayOutputStream();
        PrintStream systemOut = System.out;
        System.setOut(new PrintStream(engineOut, true, StandardCharsets.UTF_8));
        int exitCode;
        try {
            exitCode = Millrace.commandLine().execute("sync", "--plan", "{\"jobId\": 9}");
        } finally {
            System.setOut(systemOut);
        }

        assertThat(exitCode).isEqualTo(SyncMain.EXIT_INVALID_PLAN);
        assertThat(engineOut.toString(StandardCharsets.UTF_8))
                .contains("invalid plan")
                .contains("\"jobId\":9");
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
