package dev.millrace.store.id;

import java.util.Objects;

/** An object that holds an integer id: which one it is in Kubernetes terms, and its id. */
public record ObjectRef(String kind, String namespace, String name, String uid, long id) {

    public ObjectRef {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(uid, "uid");
    }
}
