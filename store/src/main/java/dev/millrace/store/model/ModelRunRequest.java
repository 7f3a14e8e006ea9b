package dev.millrace.store.model;

import java.util.Objects;

/**
 * A request to run one Model.
 *
 * @param requestKey unique per model for one request, e.g. {@code manual:<request id>}; asking
 *     again with the same key returns the run allocated the first time
 * @param cascade whether the request also runs the model's downstream models
 */
public record ModelRunRequest(
        String namespace, String model, String modelUid, String requestKey, boolean cascade) {

    public ModelRunRequest {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(modelUid, "modelUid");
        Objects.requireNonNull(requestKey, "requestKey");
    }
}
