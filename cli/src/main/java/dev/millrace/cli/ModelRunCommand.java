package dev.millrace.cli;

import dev.millrace.sync.model.ModelRunMain;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
        name = "model-run",
        description = {
            "Builds one SQL model: what a model run Job's container executes. Reads the plan from",
            "--plan <json|@file> or the MILLRACE_MODEL_PLAN environment variable, creates or"
                    + " replaces",
            "the view or table in one transaction, prints its log and, last, the result JSON,"
                    + " which",
            "also goes to the termination log."
        })
final class ModelRunCommand implements Callable<Integer> {
    @Parameters(
            arity = "0..*",
            paramLabel = "ARGS",
            description = "Passed to the model runner, e.g. --plan @plan.json.")
    List<String> args = List.of();

    @Override
    public Integer call() {
        return ModelRunMain.run(args.toArray(String[]::new), System.getenv(), System.out);
    }
}
