package dev.millrace.operator.destination;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.millrace.crds.common.MillraceApi;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Serialises the batch/v1 Jobs that write one DuckDB destination file: DuckDB lets one process
 * write a file, so a second Job would only sit in its pod waiting for a lock it cannot get. The
 * lock is a {@code coordination.k8s.io/v1} Lease per Destination, {@code
 * millrace-dst-<destination>}, whose holder is the name of the Job allowed to write. Whoever builds
 * such a Job (sync Jobs, SQL model runs) calls {@link #acquire} before creating it and creates it
 * only when that answers {@link Acquired}, then calls {@link #release} when the Job has ended.
 *
 * <p>Waiting is first in, first out by an order key the caller gives (syncs pass their job id): the
 * waiters are listed in an annotation of the Lease, and a free lease goes to the smallest key among
 * them. A waiter that stops asking is dropped after {@link #WAITER_TTL}, so an abandoned request (a
 * cancelled or deleted one) never blocks the queue. A holder whose Job does not exist, or has
 * finished, after {@link #CREATE_GRACE} lost the lease without releasing it (an operator restart, a
 * deleted Job): the next waiter takes the lease over. Every write is a create or a PUT with the
 * read resourceVersion, so two operators (or two reconcilers) cannot both win.
 */
public final class DestinationLease {

    /** Annotation of the Lease listing who waits, as JSON. */
    public static final String WAITING_ANNOTATION = "millrace.dev/waiting";

    /** How long a new holder has to create its Job before the lease may be taken over. */
    static final Duration CREATE_GRACE = Duration.ofSeconds(15);

    /** A waiter that has not asked again for this long has given up. */
    static final Duration WAITER_TTL = Duration.ofMinutes(1);

    private static final int MAX_NAME = 253;
    private static final String PREFIX = "millrace-dst-";

    /** What {@link #acquire} found. */
    public sealed interface Outcome permits Acquired, Waiting {}

    /** The caller holds the lease and may create its Job. */
    public record Acquired() implements Outcome {}

    /**
     * Someone else holds (or is about to take) the lease.
     *
     * @param holder the Job holding it, or null while it is free for a waiter ahead
     * @param ahead how many waiters come before the caller
     */
    public record Waiting(String holder, int ahead) implements Outcome {}

    private record Waiter(String holder, long order, String seen) {}

    private final KubernetesClient client;
    private final Clock clock;

    public DestinationLease(KubernetesClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    /** The Lease's name for a Destination. */
    public static String leaseName(String destination) {
        String name = PREFIX + destination;
        return name.length() <= MAX_NAME ? name : name.substring(0, MAX_NAME);
    }

    /** The Destination a Lease of this class serialises, if it is one. */
    public static Optional<String> destinationOf(Lease lease) {
        String name = lease.getMetadata().getName();
        return name.startsWith(PREFIX)
                ? Optional.of(name.substring(PREFIX.length()))
                : Optional.empty();
    }

    /**
     * Takes the destination's lease for the Job {@code holder} (which the caller creates only after
     * this answers {@link Acquired}), or puts the caller in line. Asking again is safe and is how a
     * waiter stays in line: call it on every reconcile while waiting.
     *
     * @param order the caller's place in line; smaller goes first
     */
    public Outcome acquire(String namespace, String destination, String holder, long order) {
        String name = leaseName(destination);
        Instant now = clock.instant();
        Lease lease = leases(namespace).withName(name).get();
        if (lease == null) {
            Lease created = newLease(namespace, name);
            take(created, holder, now);
            try {
                leases(namespace).resource(created).create();
                return new Acquired();
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    throw e;
                }
                // Someone created it meanwhile: queue up behind them.
                lease = leases(namespace).withName(name).get();
                if (lease == null) {
                    return new Waiting(null, 0);
                }
            }
        }
        String current = holderOf(lease);
        if (holder.equals(current)) {
            return new Acquired();
        }
        List<Waiter> waiters = waiters(lease, now);
        waiters.removeIf(w -> w.holder().equals(holder));
        waiters.add(new Waiter(holder, order, now.toString()));
        waiters.sort(Comparator.comparingLong(Waiter::order));
        int ahead = 0;
        while (!waiters.get(ahead).holder().equals(holder)) {
            ahead++;
        }
        boolean free = current == null || holderLost(namespace, lease, current, now);
        if (free && ahead == 0) {
            waiters.remove(0);
            setWaiters(lease, waiters);
            take(lease, holder, now);
            return write(lease) ? new Acquired() : new Waiting(current, 0);
        }
        setWaiters(lease, waiters);
        write(lease);
        return new Waiting(free ? null : current, ahead);
    }

    /** Gives the lease up if {@code holder} holds it; anything else is left as it is. */
    public void release(String namespace, String destination, String holder) {
        for (int tries = 0; tries < 5; tries++) {
            Lease lease = leases(namespace).withName(leaseName(destination)).get();
            if (lease == null || !holder.equals(holderOf(lease))) {
                return;
            }
            lease.getSpec().setHolderIdentity(null);
            lease.getSpec().setRenewTime(at(clock.instant()));
            if (write(lease)) {
                return;
            }
        }
    }

    /** Who waits in line on the Lease (a cached copy will do), first in line first. */
    public List<String> waiting(Lease lease) {
        Lease copy =
                new io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder(lease).build();
        return waiters(copy, clock.instant()).stream()
                .sorted(Comparator.comparingLong(Waiter::order))
                .map(Waiter::holder)
                .toList();
    }

    /** Leaves the line without having held the lease (a request cancelled while it waited). */
    public void withdraw(String namespace, String destination, String holder) {
        for (int tries = 0; tries < 5; tries++) {
            Lease lease = leases(namespace).withName(leaseName(destination)).get();
            if (lease == null) {
                return;
            }
            List<Waiter> waiters = waiters(lease, clock.instant());
            if (!waiters.removeIf(w -> w.holder().equals(holder))) {
                return;
            }
            setWaiters(lease, waiters);
            if (write(lease)) {
                return;
            }
        }
    }

    private boolean holderLost(String namespace, Lease lease, String holder, Instant now) {
        ZonedDateTime since =
                lease.getSpec().getRenewTime() != null
                        ? lease.getSpec().getRenewTime()
                        : lease.getSpec().getAcquireTime();
        if (since != null && since.toInstant().plus(CREATE_GRACE).isAfter(now)) {
            return false;
        }
        Job job = client.batch().v1().jobs().inNamespace(namespace).withName(holder).get();
        return job == null || finished(job);
    }

    private static boolean finished(Job job) {
        var status = job.getStatus();
        return status != null
                && ((status.getSucceeded() != null && status.getSucceeded() > 0)
                        || (status.getFailed() != null && status.getFailed() > 0));
    }

    private void take(Lease lease, String holder, Instant now) {
        LeaseSpec spec = lease.getSpec();
        if (spec.getHolderIdentity() != null) {
            spec.setLeaseTransitions(
                    spec.getLeaseTransitions() == null ? 1 : spec.getLeaseTransitions() + 1);
        }
        spec.setHolderIdentity(holder);
        spec.setAcquireTime(at(now));
        spec.setRenewTime(at(now));
    }

    /** PUT with the read resourceVersion: false if someone else wrote first. */
    private boolean write(Lease lease) {
        try {
            leases(lease.getMetadata().getNamespace()).resource(lease).update();
            return true;
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409 || e.getCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    private static Lease newLease(String namespace, String name) {
        Lease lease = new Lease();
        lease.setMetadata(
                new ObjectMetaBuilder()
                        .withName(name)
                        .withNamespace(namespace)
                        .withLabels(Map.of(MillraceApi.MANAGED_BY_LABEL, MillraceApi.MANAGED_BY))
                        .build());
        lease.setSpec(new LeaseSpec());
        return lease;
    }

    private static String holderOf(Lease lease) {
        String holder = lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
        return holder == null || holder.isBlank() ? null : holder;
    }

    private static List<Waiter> waiters(Lease lease, Instant now) {
        if (lease.getSpec() == null) {
            lease.setSpec(new LeaseSpec());
        }
        Map<String, String> annotations = lease.getMetadata().getAnnotations();
        String json = annotations == null ? null : annotations.get(WAITING_ANNOTATION);
        List<Waiter> waiters = new ArrayList<>();
        if (json != null) {
            try {
                waiters.addAll(
                        Serialization.jsonMapper()
                                .readValue(json, new TypeReference<List<Waiter>>() {}));
            } catch (Exception unreadable) {
                // Someone edited it by hand: the live waiters add themselves again.
            }
        }
        waiters.removeIf(w -> Instant.parse(w.seen()).plus(WAITER_TTL).isBefore(now));
        return waiters;
    }

    private static void setWaiters(Lease lease, List<Waiter> waiters) {
        Map<String, String> annotations =
                lease.getMetadata().getAnnotations() == null
                        ? new HashMap<>()
                        : new HashMap<>(lease.getMetadata().getAnnotations());
        if (waiters.isEmpty()) {
            annotations.remove(WAITING_ANNOTATION);
        } else {
            try {
                annotations.put(
                        WAITING_ANNOTATION, Serialization.jsonMapper().writeValueAsString(waiters));
            } catch (Exception e) {
                throw new IllegalStateException("could not write the waiting list", e);
            }
        }
        lease.getMetadata().setAnnotations(annotations);
    }

    private static ZonedDateTime at(Instant instant) {
        return instant.atZone(ZoneOffset.UTC);
    }

    private io.fabric8.kubernetes.client.dsl.NonNamespaceOperation<
                    Lease,
                    io.fabric8.kubernetes.api.model.coordination.v1.LeaseList,
                    io.fabric8.kubernetes.client.dsl.Resource<Lease>>
            leases(String namespace) {
        return client.leases().inNamespace(namespace);
    }
}
