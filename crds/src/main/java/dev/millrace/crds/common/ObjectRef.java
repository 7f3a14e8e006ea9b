package dev.millrace.crds.common;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import java.util.Objects;

/** A reference to another Millrace object in the same namespace. */
public class ObjectRef {
    @Required
    @Pattern(Patterns.DNS_1123_SUBDOMAIN)
    @JsonPropertyDescription("Name of the referenced object in the same namespace.")
    public String name;

    public ObjectRef() {}

    @JsonCreator
    public ObjectRef(@JsonProperty("name") String name) {
        this.name = name;
    }

    public static ObjectRef to(String name) {
        return new ObjectRef(name);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ObjectRef other && Objects.equals(name, other.name);
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(name);
    }

    @Override
    public String toString() {
        return name;
    }
}
