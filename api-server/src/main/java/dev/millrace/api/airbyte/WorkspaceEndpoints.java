package dev.millrace.api.airbyte;

import dev.millrace.api.kube.ResourceCache;
import io.fabric8.kubernetes.api.model.Namespace;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** /workspaces: every namespace is a workspace, named after it. */
final class WorkspaceEndpoints {
    static final String PATH = AirbytePublicApi.BASE + "/workspaces";
    private final Workspaces workspaces;

    WorkspaceEndpoints(ResourceCache resources) {
        this.workspaces = new Workspaces(resources);
    }

    void list(Context ctx) {
        List<String> wanted = workspaces.namespacesOf(ctx.queryParam("workspaceIds"));
        Paging paging = Paging.of(ctx);
        List<Namespace> all =
                workspaces.all().stream()
                        .filter(n -> wanted == null || wanted.contains(n.getMetadata().getName()))
                        .toList();
        ctx.json(
                paging.body(
                        paging.slice(all).stream().map(WorkspaceEndpoints::view).toList(),
                        all.size(),
                        ctx));
    }

    void get(Context ctx) {
        String id = Requests.uuid(ctx.pathParam("workspaceId"), "workspace");
        Namespace namespace =
                workspaces.all().stream()
                        .filter(n -> Workspaces.idOf(n).equalsIgnoreCase(id))
                        .findFirst()
                        .orElseThrow(() -> PublicApiException.notFound("workspace", id));
        ctx.json(view(namespace));
    }

    private static Map<String, Object> view(Namespace namespace) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("workspaceId", Workspaces.idOf(namespace));
        view.put("name", namespace.getMetadata().getName());
        return view;
    }
}
