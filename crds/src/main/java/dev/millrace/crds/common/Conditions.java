package dev.millrace.crds.common;

import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/**
 * Condition helpers in the Kubernetes convention. lastTransitionTime only moves when the status
 * flips, so `kubectl wait` and Argo CD see stable objects and status writes stay idempotent.
 */
public final class Conditions {
    public static final String READY = "Ready";
    public static final String TRUE = "True";
    public static final String FALSE = "False";
    public static final String UNKNOWN = "Unknown";

    private Conditions() {}

    public static Optional<Condition> find(List<Condition> conditions, String type) {
        if (conditions == null) {
            return Optional.empty();
        }
        return conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
    }

    public static boolean isTrue(List<Condition> conditions, String type) {
        return find(conditions, type).map(c -> TRUE.equals(c.getStatus())).orElse(false);
    }

    /**
     * Sets a condition, keeping lastTransitionTime unless the status changes. Returns true when
     * anything visible changed.
     */
    public static boolean set(
            List<Condition> conditions,
            String type,
            String status,
            String reason,
            String message,
            Long observedGeneration,
            Instant now) {
        Optional<Condition> existing = find(conditions, type);
        if (existing.isPresent()) {
            Condition c = existing.get();
            boolean flipped = !status.equals(c.getStatus());
            boolean changed =
                    flipped
                            || !reason.equals(c.getReason())
                            || !java.util.Objects.equals(message, c.getMessage())
                            || !java.util.Objects.equals(
                                    observedGeneration, c.getObservedGeneration());
            if (!changed) {
                return false;
            }
            c.setStatus(status);
            c.setReason(reason);
            c.setMessage(message);
            c.setObservedGeneration(observedGeneration);
            if (flipped || c.getLastTransitionTime() == null) {
                c.setLastTransitionTime(format(now));
            }
            return true;
        }
        Condition c = new Condition();
        c.setType(type);
        c.setStatus(status);
        c.setReason(reason);
        c.setMessage(message);
        c.setObservedGeneration(observedGeneration);
        c.setLastTransitionTime(format(now));
        conditions.add(c);
        return true;
    }

    private static String format(Instant now) {
        return now.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
