package dev.millrace.api.auth;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.api.model.authentication.UserInfo;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewSpecBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Kubernetes decides: a TokenReview says who the bearer is, a SubjectAccessReview whether RBAC lets
 * them do what the request does. Answers are cached briefly (keyed by a hash of the token, never
 * the token) so a burst of requests does not become a burst of reviews.
 */
final class KubernetesReviews {
    private static final Duration CACHE_TTL = Duration.ofSeconds(10);
    private static final int CACHE_LIMIT = 10_000;

    private final KubernetesClient client;
    private final Clock clock;
    private final Map<String, Cached<Optional<UserInfo>>> users = new ConcurrentHashMap<>();
    private final Map<String, Cached<Boolean>> decisions = new ConcurrentHashMap<>();

    private record Cached<T>(T value, Instant until) {}

    KubernetesReviews(KubernetesClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    /** The user the token belongs to, or empty if Kubernetes does not accept it. */
    Optional<UserInfo> authenticate(String token) {
        String key = hash(token);
        Cached<Optional<UserInfo>> cached = users.get(key);
        if (cached != null && cached.until().isAfter(clock.instant())) {
            return cached.value();
        }
        TokenReview review =
                client.authentication()
                        .v1()
                        .tokenReviews()
                        .create(
                                new TokenReviewBuilder()
                                        .withNewSpec()
                                        .withToken(token)
                                        .endSpec()
                                        .build());
        Optional<UserInfo> user =
                review != null
                                && review.getStatus() != null
                                && Boolean.TRUE.equals(review.getStatus().getAuthenticated())
                                && review.getStatus().getUser() != null
                        ? Optional.of(review.getStatus().getUser())
                        : Optional.empty();
        remember(users, key, user);
        return user;
    }

    /** Whether RBAC allows {@code user} the access. */
    boolean allowed(UserInfo user, AccessRequest access) {
        String key = user.getUsername() + "|" + user.getUid() + "|" + access;
        Cached<Boolean> cached = decisions.get(key);
        if (cached != null && cached.until().isAfter(clock.instant())) {
            return cached.value();
        }
        SubjectAccessReviewSpecBuilder spec =
                new SubjectAccessReviewSpecBuilder()
                        .withUser(user.getUsername())
                        .withUid(user.getUid())
                        .withGroups(user.getGroups())
                        .withExtra(
                                user.getExtra() == null
                                        ? null
                                        : new java.util.HashMap<>(user.getExtra()));
        if (access.isResource()) {
            spec.withNewResourceAttributes()
                    .withVerb(access.verb())
                    .withGroup(access.group())
                    .withResource(access.resource())
                    .withNamespace(access.namespace())
                    .endResourceAttributes();
        } else {
            spec.withNewNonResourceAttributes()
                    .withVerb(access.verb())
                    .withPath(access.path())
                    .endNonResourceAttributes();
        }
        SubjectAccessReview review =
                client.authorization()
                        .v1()
                        .subjectAccessReview()
                        .create(new SubjectAccessReviewBuilder().withSpec(spec.build()).build());
        boolean allowed =
                review != null
                        && review.getStatus() != null
                        && Boolean.TRUE.equals(review.getStatus().getAllowed());
        remember(decisions, key, allowed);
        return allowed;
    }

    /** The namespace whose uid is {@code workspaceId} (an Airbyte workspace), if any. */
    Optional<String> namespaceOfWorkspace(String workspaceId) {
        return client.namespaces().list().getItems().stream()
                .filter(n -> workspaceId.equals(n.getMetadata().getUid()))
                .map(Namespace::getMetadata)
                .map(m -> m.getName())
                .findFirst();
    }

    private <T> void remember(Map<String, Cached<T>> cache, String key, T value) {
        if (cache.size() >= CACHE_LIMIT) {
            cache.clear();
        }
        cache.put(key, new Cached<>(value, clock.instant().plus(CACHE_TTL)));
    }

    private static String hash(String token) {
        try {
            return HexFormat.of()
                    .formatHex(
                            MessageDigest.getInstance("SHA-256")
                                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
