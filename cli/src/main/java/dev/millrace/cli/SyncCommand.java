package dev.millrace.cli;

import dev.millrace.sync.SyncMain;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
        name = "sync",
        description = {
            "Runs one sync: what a sync Job's container executes. Reads the plan from --plan",
            "<json|@file> or the MILLRACE_SYNC_PLAN environment variable, prints its log and,",
            "last, the result JSON, which also goes to the termination log."
        })
final class SyncCommand implements Callable<Integer> {
    @Parameters(
            arity = "0..*",
            paramLabel = "ARGS",
            description = "Passed to the sync engine, e.g. --plan @plan.json.")
    List<String> args = List.of();

    @Override
    public Integer call() {
        return SyncMain.run(args.toArray(String[]::new), System.getenv(), System.out);
    }
}
