package dev.millrace.operator.pipeline;

import dev.millrace.crds.common.Threshold;
import dev.millrace.store.check.DatePart;
import java.util.Optional;

/**
 * Which threshold a check uses: the pipeline's own, else its type's (Watcher semantics). A muted or
 * unset threshold means the check is skipped.
 */
final class Thresholds {

    private Thresholds() {}

    /** Why a check does not run, or the threshold it runs with. */
    record Choice(Optional<dev.millrace.store.check.Threshold> threshold, String skipReason) {
        static Choice skip(String reason) {
            return new Choice(Optional.empty(), reason);
        }
    }

    static Choice choose(Threshold own, Threshold ofType, String check) {
        Threshold chosen = own != null ? own : ofType;
        if (chosen == null || chosen.number == null || chosen.datepart == null) {
            return Choice.skip("no " + check + " threshold is set on the pipeline or its type");
        }
        if (Boolean.TRUE.equals(chosen.muted)) {
            return Choice.skip(
                    "the "
                            + check
                            + " check is muted on the "
                            + (own != null ? "pipeline" : "type"));
        }
        return new Choice(
                Optional.of(
                        new dev.millrace.store.check.Threshold(
                                chosen.number, DatePart.valueOf(chosen.datepart.name()))),
                null);
    }
}
