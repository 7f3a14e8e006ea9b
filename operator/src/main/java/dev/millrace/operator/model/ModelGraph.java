package dev.millrace.operator.model;

import dev.millrace.crds.model.Model;
import dev.millrace.crds.model.ModelSpec;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The dependencies between the Models of one namespace: {@code spec.dependsOn} plus every {@code {{
 * ref('name') }}} / {@code {{ ref("name") }}} in the SQL, where a name is another Model's
 * metadata.name. Answers what stops a model from running (an unknown name, a cycle, a dependency in
 * another destination), renders refs to schema-qualified names, and orders models for a cascade.
 */
public final class ModelGraph {
    /** dbt's way of naming a dependency; whitespace inside the braces is free, as in Jinja. */
    static final Pattern REF =
            Pattern.compile("\\{\\{\\s*ref\\(\\s*(['\"])([^'\"]+)\\1\\s*\\)\\s*}}");

    /** Why a model cannot run; reason is a condition reason. */
    public record Problem(String reason, String message) {}

    private final Map<String, Model> models = new TreeMap<>();
    private final Map<String, Set<String>> upstream = new LinkedHashMap<>();

    private final Map<String, String> byRelation = new TreeMap<>();

    private ModelGraph(Collection<Model> all) {
        for (Model m : all) {
            models.put(m.getMetadata().getName(), m);
            byRelation.putIfAbsent(
                    relationName(m.getMetadata().getName()), m.getMetadata().getName());
        }
        for (Model m : models.values()) {
            Set<String> names = new LinkedHashSet<>();
            for (String dep : dependencies(m.getSpec())) {
                names.add(canonical(dep));
            }
            upstream.put(m.getMetadata().getName(), names);
        }
    }

    /**
     * The warehouse name of a model: its metadata.name with '-' as '_'. Kubernetes names cannot
     * hold '_' and SQL names are awkward with '-', so {@code stg-orders} builds {@code stg_orders}
     * and {@code ref('stg_orders')} finds it.
     */
    public static String relationName(String modelName) {
        return modelName.replace('-', '_');
    }

    /** Whether a name found in dependsOn or ref() means this model. */
    public static boolean names(String reference, String modelName) {
        return reference.equals(modelName) || reference.equals(relationName(modelName));
    }

    /** The metadata.name a reference means, or the reference itself when no model matches. */
    private String canonical(String reference) {
        if (models.containsKey(reference)) {
            return reference;
        }
        return byRelation.getOrDefault(reference, reference);
    }

    public static ModelGraph of(Collection<Model> models) {
        return new ModelGraph(models);
    }

    /** dependsOn first, then ref() names in the order they appear, without duplicates. */
    public static Set<String> dependencies(ModelSpec spec) {
        Set<String> names = new LinkedHashSet<>();
        if (spec == null) {
            return names;
        }
        if (spec.dependsOn != null) {
            names.addAll(spec.dependsOn);
        }
        if (spec.sql != null) {
            Matcher m = REF.matcher(spec.sql);
            while (m.find()) {
                names.add(m.group(2));
            }
        }
        return names;
    }

    public Set<String> upstreamOf(String model) {
        return upstream.getOrDefault(model, Set.of());
    }

    public Optional<Model> model(String name) {
        return Optional.ofNullable(models.get(name));
    }

    /**
     * The first thing that keeps {@code name} from running, checking unknown names before cycles.
     */
    public Optional<Problem> problem(String name) {
        Model model = models.get(name);
        for (String dep : upstreamOf(name)) {
            Model other = models.get(dep);
            if (other == null) {
                return Optional.of(
                        new Problem(
                                "UnknownModel",
                                "depends on model "
                                        + dep
                                        + ", which does not exist in this namespace"));
            }
            if (!sameDestination(model, other)) {
                return Optional.of(
                        new Problem(
                                "DependencyInOtherDestination",
                                "depends on model "
                                        + dep
                                        + ", which is built in destination "
                                        + other.getSpec().destinationRef.name
                                        + "; a model can only read models of its own destination"));
            }
        }
        Optional<List<String>> cycle = cycleThrough(name);
        if (cycle.isPresent()) {
            return Optional.of(
                    new Problem(
                            "DependencyCycle",
                            "dependency cycle: " + String.join(" → ", cycle.get())));
        }
        return Optional.empty();
    }

    private static boolean sameDestination(Model a, Model b) {
        return a.getSpec() != null
                && b.getSpec() != null
                && a.getSpec().destinationRef != null
                && b.getSpec().destinationRef != null
                && a.getSpec().destinationRef.name.equals(b.getSpec().destinationRef.name);
    }

    /**
     * A path {@code name → … → name} if {@code name} is on a cycle, else empty. A model that only
     * depends on a cycle is not itself on it; it is stopped by its upstream's problem instead.
     */
    Optional<List<String>> cycleThrough(String name) {
        Deque<List<String>> paths = new ArrayDeque<>();
        paths.add(List.of(name));
        Set<String> visited = new HashSet<>();
        while (!paths.isEmpty()) {
            List<String> path = paths.poll();
            String last = path.get(path.size() - 1);
            for (String next : upstreamOf(last)) {
                // Walking upstream; reversed, the path reads in the order data flows.
                if (next.equals(name)) {
                    List<String> cycle = new ArrayList<>(path);
                    cycle.add(name);
                    java.util.Collections.reverse(cycle);
                    return Optional.of(cycle);
                }
                if (models.containsKey(next) && visited.add(next)) {
                    List<String> longer = new ArrayList<>(path);
                    longer.add(next);
                    paths.add(longer);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Every model that depends on {@code name}, directly or not, in an order where upstreams come
     * first.
     */
    public List<String> downstreamOf(String name) {
        Set<String> found = new LinkedHashSet<>();
        Deque<String> todo = new ArrayDeque<>(List.of(name));
        while (!todo.isEmpty()) {
            String current = todo.poll();
            for (var entry : upstream.entrySet()) {
                if (entry.getValue().contains(current) && found.add(entry.getKey())) {
                    todo.add(entry.getKey());
                }
            }
        }
        found.remove(name);
        return inDependencyOrder(found);
    }

    /** The given models ordered so that every model comes after the ones it depends on. */
    public List<String> inDependencyOrder(Collection<String> names) {
        List<String> ordered = new ArrayList<>();
        Set<String> placed = new HashSet<>();
        Set<String> wanted = new LinkedHashSet<>(new java.util.TreeSet<>(names));
        boolean progress = true;
        while (progress && ordered.size() < wanted.size()) {
            progress = false;
            for (String n : wanted) {
                if (!placed.contains(n)
                        && upstreamOf(n).stream()
                                .allMatch(u -> placed.contains(u) || !wanted.contains(u))) {
                    ordered.add(n);
                    placed.add(n);
                    progress = true;
                }
            }
        }
        // Models on a cycle never become ready; they go last and are refused when they run.
        wanted.stream().filter(n -> !placed.contains(n)).forEach(ordered::add);
        return ordered;
    }

    /** The SQL with every ref() replaced by {@code "schema"."name"} of the model it names. */
    public String render(String name) {
        ModelSpec spec = models.get(name).getSpec();
        Matcher m = REF.matcher(spec.sql);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            Model ref = models.get(canonical(m.group(2)));
            m.appendReplacement(
                    out,
                    Matcher.quoteReplacement(
                            quote(ref.getSpec().schema == null ? "marts" : ref.getSpec().schema)
                                    + "."
                                    + quote(relationName(ref.getMetadata().getName()))));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }
}
