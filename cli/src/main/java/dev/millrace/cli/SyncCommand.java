package dev.millrace.cli;

import dev.millrace.sync.SyncMain;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

@Command(
        name = "sync",
        description = {
            "Runs one sync: what a sync Job's container executes. Reads the plan from --plan",
            "<json|@file> or the MILLRACE_SYNC_PLAN environment variable, prints its log and,",
            "last, the result JSON, which also goes to the termination log."
        })
final class SyncCommand implements Callable<Integer> {
    // The engine parses its own options (--plan, --discover), so picocli must pass every argument
    // through untouched instead of rejecting options it does not know.
    @Unmatched List<String> args = new ArrayList<>();

    @Override
    public Integer call() {
        return SyncMain.run(args.toArray(String[]::new), System.getenv(), System.out);
    }
}
