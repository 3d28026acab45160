package dev.eksaccess.rbac;

import dev.eksaccess.api.BackendException;
import dev.eksaccess.api.ConflictException;
import dev.eksaccess.api.EksAccessException;
import dev.eksaccess.api.ErrorCode;
import dev.eksaccess.api.InvalidInputException;
import dev.eksaccess.api.Role;
import dev.eksaccess.api.internal.BindingNames;
import dev.eksaccess.api.spi.PolicyRule;
import dev.eksaccess.api.spi.RbacBackend;
import dev.eksaccess.api.spi.RbacBinding;
import dev.eksaccess.api.spi.RbacChange;
import dev.eksaccess.api.spi.RbacChanges;
import dev.eksaccess.api.spi.RbacRole;
import dev.eksaccess.api.spi.RbacSubject;
import dev.eksaccess.api.spi.Version;
import dev.eksaccess.api.spi.WriteResult;
import dev.eksaccess.kubernetes.internal.KubeErrors;
import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.apis.RbacAuthorizationV1Api;
import io.kubernetes.client.openapi.models.V1ClusterRole;
import io.kubernetes.client.openapi.models.V1ClusterRoleBinding;
import io.kubernetes.client.openapi.models.V1Role;
import io.kubernetes.client.openapi.models.V1RoleBinding;
import io.kubernetes.client.util.PatchUtils;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Kubernetes RBAC as an {@link RbacBackend}, over the official Kubernetes Java client.
 *
 * <ul>
 *   <li>A read lists Roles, ClusterRoles, RoleBindings and ClusterRoleBindings, every page; its
 *       version changes only when an RBAC object does.
 *   <li>A write applies each object with server-side apply (field manager {@code eks-access},
 *       {@code application/apply-patch+yaml}, through {@link PatchUtils}, since the generated patch
 *       calls send the wrong content type), labelled {@code app.kubernetes.io/managed-by:
 *       eks-access}.
 *   <li>A binding's {@code roleRef} cannot change, as in the API server: the planner sends a delete
 *       and a create, in one batch.
 *   <li>Objects without the eks-access label are never changed or deleted, unless this backend is
 *       {@link #adopting()}.
 * </ul>
 *
 * <pre>{@code
 * ClusterAccess prod = ClusterAccess.builder()
 *     .clusterName("prod").identities(ids).rbac(Rbac.backend(client)).build();
 * }</pre>
 */
public final class KubernetesRbacBackend implements RbacBackend {
  private static final String GROUP = "rbac.authorization.k8s.io";
  private static final String API_VERSION = GROUP + "/v1";
  private static final String MANAGER = BindingNames.MANAGER;

  private final ApiClient client;
  private final RbacAuthorizationV1Api api;
  private final boolean adopt;

  KubernetesRbacBackend(ApiClient client, boolean adopt) {
    this.client = client;
    this.api = new RbacAuthorizationV1Api(client);
    this.adopt = adopt;
  }

  @Override
  public String name() {
    return adopt ? "kubernetes-rbac (adopting)" : "kubernetes-rbac";
  }

  /**
   * A backend on the same client that takes over same-named objects that eks-access did not create:
   * it labels them as its own and applies its fields over theirs. Use it once, knowingly.
   *
   * <pre>{@code
   * ClusterAccess.builder().clusterName("prod").identities(ids)
   *     .rbac(Rbac.backend(client).adopting()).build().plan(devs).apply();
   * }</pre>
   *
   * @return the adopting backend
   */
  public KubernetesRbacBackend adopting() {
    return new KubernetesRbacBackend(client, true);
  }

  @Override
  public dev.eksaccess.api.spi.RbacSnapshot read() {
    RbacSnapshot.Live live = RbacSnapshot.readLive(client);
    return live.snapshot().toSpi(live.version());
  }

  /**
   * Applies the changes in order, if RBAC is still at {@code expected}.
   *
   * @throws ConflictException if an RBAC object changed since {@code expected}; nothing written
   * @throws InvalidInputException if a change would touch an object eks-access does not own and
   *     this backend is not adopting; nothing written
   * @throws BackendException if the API server refuses or fails; the changes before it were applied
   */
  @Override
  public WriteResult write(RbacChanges changes, Version expected) {
    Objects.requireNonNull(changes, "changes");
    Objects.requireNonNull(expected, "expected");
    if (changes.isEmpty()) {
      return new WriteResult(expected, 0);
    }
    RbacSnapshot.Live live = RbacSnapshot.readLive(client);
    if (!live.version().equals(expected)) {
      throw new ConflictException(
          "Kubernetes RBAC changed since it was read; nothing was written. Read it again and"
              + " re-apply the changes.",
          null);
    }
    Set<String> deleted = new HashSet<>();
    for (RbacChange c : changes.changes()) {
      requireOwned(c, live.snapshot());
      if (c instanceof RbacChange.DeleteBinding d) {
        deleted.add(d.namespace() + "/" + d.name());
      } else if (c instanceof RbacChange.PutBinding put) {
        RbacBinding want = put.binding();
        Optional<RbacBinding> have = binding(live.snapshot(), want);
        if (have.isPresent()
            && !deleted.contains(want.namespace() + "/" + want.name())
            && !have.get().roleRef().equals(want.roleRef())) {
          throw InvalidInputException.of(
              ErrorCode.INVALID_NAME,
              want + ".roleRef",
              want.roleRef().toString(),
              "cannot change once the binding exists (the API server answers 422); delete the"
                  + " binding first in the same batch, as the planner does; nothing was written.");
        }
      }
    }
    int writes = 0;
    for (RbacChange c : changes.changes()) {
      if (c instanceof RbacChange.PutBinding put) {
        apply(put.binding());
      } else if (c instanceof RbacChange.DeleteBinding d) {
        if (!delete(d.namespace(), d.name(), true)) {
          continue;
        }
      } else if (c instanceof RbacChange.PutRole put) {
        apply(put.role());
      } else if (c instanceof RbacChange.DeleteRole d) {
        if (!delete(d.namespace(), d.name(), false)) {
          continue;
        }
      }
      writes++;
    }
    return new WriteResult(RbacSnapshot.readLive(client).version(), writes);
  }

  private void requireOwned(RbacChange c, RbacSnapshot now) {
    if (adopt) {
      return;
    }
    Optional<Map<String, String>> labels = Optional.empty();
    String what = "";
    if (c instanceof RbacChange.PutBinding put) {
      labels = binding(now, put.binding()).map(RbacBinding::labels);
      what = put.binding().toString();
    } else if (c instanceof RbacChange.DeleteBinding d) {
      labels =
          now.bindings().stream()
              .filter(b -> b.namespace().equals(d.namespace()) && b.name().equals(d.name()))
              .findFirst()
              .map(RbacBinding::labels);
      what =
          (d.namespace().isEmpty() ? "ClusterRoleBinding " : "RoleBinding " + d.namespace() + "/")
              + d.name();
    } else if (c instanceof RbacChange.PutRole put) {
      labels = role(now, put.role().namespace(), put.role().name()).map(RbacRole::labels);
      what = put.role().toString();
    } else if (c instanceof RbacChange.DeleteRole d) {
      labels = role(now, d.namespace(), d.name()).map(RbacRole::labels);
      what = (d.namespace().isEmpty() ? "ClusterRole " : "Role " + d.namespace() + "/") + d.name();
    }
    if (labels.isPresent()
        && !BindingNames.MANAGER.equals(labels.get().get(BindingNames.MANAGED_BY))) {
      throw InvalidInputException.of(
          ErrorCode.INVALID_GRANT,
          what,
          null,
          "exists and was not created by eks-access (no label "
              + BindingNames.MANAGED_BY
              + "="
              + BindingNames.MANAGER
              + "); nothing was written. Leave it alone, or take it over with"
              + " Rbac.backend(client).adopting().");
    }
  }

  private static Optional<RbacBinding> binding(RbacSnapshot now, RbacBinding want) {
    return now.bindings().stream()
        .filter(b -> b.namespace().equals(want.namespace()) && b.name().equals(want.name()))
        .findFirst();
  }

  private static Optional<RbacRole> role(RbacSnapshot now, String namespace, String name) {
    return now.roles().stream()
        .filter(r -> r.namespace().equals(namespace) && r.name().equals(name))
        .findFirst();
  }

  private void apply(RbacBinding b) {
    boolean cluster = b.isClusterRoleBinding();
    Map<String, Object> body =
        object(cluster ? "ClusterRoleBinding" : "RoleBinding", b.namespace(), b.name(), b.labels());
    Map<String, String> roleRef = new LinkedHashMap<>();
    roleRef.put("apiGroup", GROUP);
    roleRef.put("kind", b.roleRef() instanceof Role ? "Role" : "ClusterRole");
    roleRef.put("name", b.roleRef().name());
    body.put("roleRef", roleRef);
    List<Map<String, String>> subjects = new ArrayList<>();
    for (RbacSubject s : b.subjects()) {
      Map<String, String> m = new LinkedHashMap<>();
      switch (s.kind()) {
        case USER -> m.put("kind", "User");
        case GROUP -> m.put("kind", "Group");
        case SERVICE_ACCOUNT -> m.put("kind", "ServiceAccount");
      }
      if (s.kind() == RbacSubject.Kind.SERVICE_ACCOUNT) {
        m.put("namespace", s.namespace());
      } else {
        m.put("apiGroup", GROUP);
      }
      m.put("name", s.name());
      subjects.add(m);
    }
    body.put("subjects", subjects);
    V1Patch patch = new V1Patch(JSON.serialize(body)); // JSON is YAML
    if (cluster) {
      patch(
          V1ClusterRoleBinding.class,
          () ->
              api.patchClusterRoleBinding(b.name(), patch)
                  .fieldManager(MANAGER)
                  .force(true)
                  .buildCall(null),
          b.toString());
    } else {
      patch(
          V1RoleBinding.class,
          () ->
              api.patchNamespacedRoleBinding(b.name(), b.namespace(), patch)
                  .fieldManager(MANAGER)
                  .force(true)
                  .buildCall(null),
          b.toString());
    }
  }

  private void apply(RbacRole r) {
    boolean cluster = r.isClusterRole();
    Map<String, Object> body =
        object(cluster ? "ClusterRole" : "Role", r.namespace(), r.name(), r.labels());
    if (!r.aggregateFrom().isEmpty()) {
      // no "rules" field: the aggregation controller owns it, and an empty list would claim it
      List<Map<String, Object>> selectors = new ArrayList<>();
      for (Map<String, String> labels : r.aggregateFrom()) {
        selectors.add(Map.of("matchLabels", labels));
      }
      body.put("aggregationRule", Map.of("clusterRoleSelectors", selectors));
    } else {
      body.put("rules", rules(r));
    }
    V1Patch patch = new V1Patch(JSON.serialize(body));
    if (cluster) {
      patch(
          V1ClusterRole.class,
          () ->
              api.patchClusterRole(r.name(), patch)
                  .fieldManager(MANAGER)
                  .force(true)
                  .buildCall(null),
          r.toString());
    } else {
      patch(
          V1Role.class,
          () ->
              api.patchNamespacedRole(r.name(), r.namespace(), patch)
                  .fieldManager(MANAGER)
                  .force(true)
                  .buildCall(null),
          r.toString());
    }
  }

  /** Server-side apply through PatchUtils, which sends the apply content type. */
  private <T> void patch(Class<T> type, PatchUtils.PatchCallFunc call, String what) {
    try {
      PatchUtils.patch(type, call, V1Patch.PATCH_FORMAT_APPLY_YAML, client);
    } catch (ApiException e) {
      throw failure("apply " + what, e);
    }
  }

  private static List<Map<String, List<String>>> rules(RbacRole r) {
    List<Map<String, List<String>>> rules = new ArrayList<>();
    for (PolicyRule rule : r.rules()) {
      Map<String, List<String>> m = new LinkedHashMap<>();
      if (rule.nonResourceUrls().isEmpty()) {
        m.put("apiGroups", rule.apiGroups());
        m.put("resources", rule.resources());
        if (!rule.resourceNames().isEmpty()) {
          m.put("resourceNames", rule.resourceNames());
        }
      } else {
        m.put("nonResourceURLs", rule.nonResourceUrls());
      }
      m.put("verbs", rule.verbs());
      rules.add(m);
    }
    return rules;
  }

  /** The apply body's head; built as a map so that no empty default collection is sent. */
  private static Map<String, Object> object(
      String kind, String namespace, String name, Map<String, String> labels) {
    Map<String, String> allLabels = new LinkedHashMap<>(labels);
    allLabels.put(BindingNames.MANAGED_BY, BindingNames.MANAGER);
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("name", name);
    if (!namespace.isEmpty()) {
      meta.put("namespace", namespace);
    }
    meta.put("labels", allLabels);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("apiVersion", API_VERSION);
    body.put("kind", kind);
    body.put("metadata", meta);
    return body;
  }

  /**
   * Deletes an object; a 404 is what was wanted (the client repeats a request whose connection
   * dropped, and the first may have landed), so it is no failure, and no write.
   */
  private boolean delete(String namespace, String name, boolean binding) {
    try {
      if (binding) {
        if (namespace.isEmpty()) {
          api.deleteClusterRoleBinding(name).execute();
        } else {
          api.deleteNamespacedRoleBinding(name, namespace).execute();
        }
      } else if (namespace.isEmpty()) {
        api.deleteClusterRole(name).execute();
      } else {
        api.deleteNamespacedRole(name, namespace).execute();
      }
      return true;
    } catch (ApiException e) {
      if (e.getCode() == 404) {
        return false;
      }
      throw failure("delete " + (namespace.isEmpty() ? "" : namespace + "/") + name, e);
    }
  }

  private static EksAccessException failure(String what, ApiException e) {
    return KubeErrors.failure(
        what,
        e,
        "The caller lacks RBAC permission for this, or would need bind/escalate: a binding can only"
            + " grant rules its creator holds, unless it may bind that role.",
        "It does not exist (any more).");
  }

  @Override
  public String toString() {
    return "KubernetesRbacBackend[" + client.getBasePath() + (adopt ? ", adopting]" : "]");
  }
}
