package dev.millrace.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The one `millrace` launcher the image and the README use. */
@Command(
        name = "millrace",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = "Millrace: a Kubernetes-native control plane for data pipelines.",
        subcommands = {
            LocalCommand.class,
            ControlPlaneCommand.class,
            OperatorCommand.class,
            ApiCommand.class,
            SyncCommand.class,
            ModelRunCommand.class,
            ApplyCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Millrace implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    public static CommandLine commandLine() {
        return new CommandLine(new Millrace()).setCaseInsensitiveEnumValuesAllowed(true);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
