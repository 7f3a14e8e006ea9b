package dev.millrace.api.platform;

import dev.millrace.api.kube.ResourceCache;
import dev.millrace.crds.source.Source;

/** Finds the Source a platform path names, answering 404 in the family's format. */
public final class Sources {
    private static final int MAX_NAME_LENGTH = 253;
    private final ResourceCache resources;
    private final String namespace;

    public Sources(ResourceCache resources, String namespace) {
        this.resources = resources;
        this.namespace = namespace;
    }

    /**
     * @throws PlatformApiException 404 when there is no such Source (names too long or with
     *     characters no Kubernetes name has are not looked up at all)
     */
    public Source find(String name) {
        Source source =
                isObjectName(name)
                        ? resources.getOrFetch(Source.class, namespace, name).orElse(null)
                        : null;
        if (source == null) {
            throw PlatformApiException.notFound("Source '" + name + "' not found");
        }
        return source;
    }

    /**
     * Whether {@code name} can name a Kubernetes object at all; anything else is not looked up,
     * since the client refuses it before asking (a 404, not a 500).
     */
    static boolean isObjectName(String name) {
        return name != null
                && !name.isBlank()
                && name.length() <= MAX_NAME_LENGTH
                && name.matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?");
    }
}
