package dev.eksaccess.rbac;

import dev.eksaccess.api.BackendException;
import dev.eksaccess.api.ConflictException;
import dev.eksaccess.api.EksAccessException;
import dev.eksaccess.api.ErrorCode;
import dev.eksaccess.api.InvalidInputException;
import dev.eksaccess.api.Role;
import dev.eksaccess.api.spi.PolicyRule;
import dev.eksaccess.api.spi.RbacBackend;
import dev.eksaccess.api.spi.RbacBinding;
import dev.eksaccess.api.spi.RbacChange;
import dev.eksaccess.api.spi.RbacChanges;
import dev.eksaccess.api.spi.RbacQuery;
import dev.eksaccess.api.spi.RbacRef;
import dev.eksaccess.api.spi.RbacRole;
import dev.eksaccess.api.spi.RbacSnapshot;
import dev.eksaccess.api.spi.RbacSubject;
import dev.eksaccess.api.spi.Version;
import dev.eksaccess.api.spi.WriteResult;
import dev.eksaccess.api.support.BindingNames;
import dev.eksaccess.api.support.GrantedFor;
import dev.eksaccess.kubernetes.support.KubeErrors;
import dev.eksaccess.rbac.internal.ManifestReader;
import dev.eksaccess.rbac.internal.RbacReads;
import io.kubernetes.client.common.KubernetesListObject;
import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.apis.RbacAuthorizationV1Api;
import io.kubernetes.client.openapi.models.V1AggregationRule;
import io.kubernetes.client.openapi.models.V1ClusterRole;
import io.kubernetes.client.openapi.models.V1ClusterRoleBinding;
import io.kubernetes.client.openapi.models.V1DeleteOptions;
import io.kubernetes.client.openapi.models.V1LabelSelector;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1NamespaceList;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Preconditions;
import io.kubernetes.client.openapi.models.V1Role;
import io.kubernetes.client.openapi.models.V1RoleBinding;
import io.kubernetes.client.util.PatchUtils;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

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
  private static final int PAGE = 500;

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
  public RbacSnapshot read() {
    return RbacReads.read(client);
  }

  /**
   * Reads the named objects with one GET each (a 404 reads as {@link Version#ABSENT}), and, if
   * asked, every ClusterRoleBinding and every binding labelled as eks-access's (label-selected
   * lists): the cost of planning one grant does not grow with the cluster's other bindings.
   */
  @Override
  public RbacSnapshot read(RbacQuery query) {
    Map<RbacRef, Object> objects = new LinkedHashMap<>();
    Map<RbacRef, Version> versions = new LinkedHashMap<>();
    List<String> lines = new ArrayList<>();
    try {
      for (RbacRef ref : query.objects()) {
        Optional<KubernetesObject> o = get(ref);
        if (o.isEmpty()) {
          versions.put(ref, Version.ABSENT);
          lines.add(ref + "@");
          continue;
        }
        add(kindName(ref.kind()), o.get(), objects, versions, lines);
      }
      String managed = BindingNames.MANAGED_BY + "=" + BindingNames.MANAGER;
      if (query.clusterRoleBindings()) {
        listInto(
            "ClusterRoleBinding",
            c -> api.listClusterRoleBinding().limit(PAGE)._continue(c).execute(),
            objects,
            versions,
            lines);
      } else if (query.managedBindings()) {
        listInto(
            "ClusterRoleBinding",
            c ->
                api.listClusterRoleBinding()
                    .labelSelector(managed)
                    .limit(PAGE)
                    ._continue(c)
                    .execute(),
            objects,
            versions,
            lines);
      }
      if (query.managedBindings()) {
        listInto(
            "RoleBinding",
            c ->
                api.listRoleBindingForAllNamespaces()
                    .labelSelector(managed)
                    .limit(PAGE)
                    ._continue(c)
                    .execute(),
            objects,
            versions,
            lines);
      }
    } catch (ApiException e) {
      throw KubeErrors.failure(
          "read RBAC objects",
          e,
          "The caller may not get or list roles, clusterroles, rolebindings and"
              + " clusterrolebindings; grant that (the view ClusterRole does not).",
          "The RBAC API (rbac.authorization.k8s.io/v1) is not served here.");
    }
    lines.sort(null);
    return RbacReads.of(
        ManifestReader.readObjects(client.getBasePath(), new ArrayList<>(objects.values())),
        Version.of(RbacReads.digest(lines)),
        versions,
        false);
  }

  /**
   * Lists the cluster's namespaces, every page ({@code limit}/{@code continue}); empty if the
   * caller may not list them (403), which audit then does not check.
   */
  @Override
  public Optional<Set<String>> namespaces() {
    CoreV1Api core = new CoreV1Api(client);
    Set<String> out = new TreeSet<>();
    try {
      @Nullable String next = null;
      do {
        V1NamespaceList page = core.listNamespace().limit(PAGE)._continue(next).execute();
        for (V1Namespace ns : page.getItems()) {
          if (ns.getMetadata() != null && ns.getMetadata().getName() != null) {
            out.add(ns.getMetadata().getName());
          }
        }
        next = page.getMetadata() == null ? null : page.getMetadata().getContinue();
      } while (next != null && !next.isEmpty());
    } catch (ApiException e) {
      if (e.getCode() == 403) {
        return Optional.empty(); // cannot tell: audit then skips the scope check
      }
      throw KubeErrors.failure(
          "list namespaces",
          e,
          "The caller may not list namespaces; grant that to check access-policy scopes.",
          "The core API (v1) is not served here.");
    }
    return Optional.of(out);
  }

  private Optional<KubernetesObject> get(RbacRef ref) throws ApiException {
    try {
      KubernetesObject o =
          switch (ref.kind()) {
            case ROLE -> api.readNamespacedRole(ref.name(), ref.namespace()).execute();
            case CLUSTER_ROLE -> api.readClusterRole(ref.name()).execute();
            case ROLE_BINDING ->
                api.readNamespacedRoleBinding(ref.name(), ref.namespace()).execute();
            case CLUSTER_ROLE_BINDING -> api.readClusterRoleBinding(ref.name()).execute();
          };
      return Optional.of(o);
    } catch (ApiException e) {
      if (e.getCode() == 404) {
        return Optional.empty();
      }
      throw e;
    }
  }

  private void listInto(
      String kind,
      RbacReads.Page page,
      Map<RbacRef, Object> objects,
      Map<RbacRef, Version> versions,
      List<String> lines)
      throws ApiException {
    @Nullable String next = null;
    do {
      KubernetesListObject list = page.fetch(next);
      for (KubernetesObject item : list.getItems()) {
        Optional<RbacRef> ref = RbacReads.ref(kind, item.getMetadata());
        if (ref.isPresent() && !objects.containsKey(ref.get())) {
          add(kind, item, objects, versions, lines);
        }
      }
      next = list.getMetadata() == null ? null : list.getMetadata().getContinue();
    } while (next != null && !next.isEmpty());
  }

  @SuppressWarnings("unchecked")
  private static void add(
      String kind,
      KubernetesObject o,
      Map<RbacRef, Object> objects,
      Map<RbacRef, Version> versions,
      List<String> lines) {
    V1ObjectMeta meta = Objects.requireNonNull(o.getMetadata(), "metadata");
    RbacRef ref = RbacReads.ref(kind, meta).orElseThrow();
    Object map = RbacReads.json(o);
    if (map instanceof Map<?, ?> m) {
      ((Map<String, Object>) m).put("kind", kind);
    }
    objects.put(ref, map);
    String rv = Objects.requireNonNullElse(meta.getResourceVersion(), "");
    versions.put(ref, Version.of(rv));
    lines.add(ref + "@" + rv);
  }

  private static String kindName(RbacRef.Kind kind) {
    return switch (kind) {
      case ROLE -> "Role";
      case CLUSTER_ROLE -> "ClusterRole";
      case ROLE_BINDING -> "RoleBinding";
      case CLUSTER_ROLE_BINDING -> "ClusterRoleBinding";
    };
  }

  /**
   * Applies the changes in order, each against its own object's precondition: a create is a POST
   * (409 if someone made the object first), an update a JSON merge patch that carries the object's
   * {@code resourceVersion} (409 if it moved on; fields eks-access does not write are left as they
   * are), a delete carries the same precondition. An unconditional put ({@link Version#ANY}) is a
   * server-side apply, and refused on an object eks-access does not own unless this backend is
   * {@link #adopting()}.
   *
   * @throws ConflictException if a change's object is not in the state it expects; the changes
   *     before it were applied
   * @throws InvalidInputException if the API server refuses an object (a changed roleRef, 422)
   * @throws BackendException if the API server refuses or fails; the changes before it were applied
   */
  @Override
  public WriteResult write(RbacChanges changes) {
    Objects.requireNonNull(changes, "changes");
    Version last = Version.ANY;
    int writes = 0;
    for (RbacChange c : changes.changes()) {
      Optional<Version> after = write(c);
      if (after.isPresent()) {
        writes++;
        last = after.get();
      }
    }
    return new WriteResult(last, writes);
  }

  /** One change; the object's version after it, or empty when nothing needed writing. */
  private Optional<Version> write(RbacChange c) {
    RbacRef ref = c.ref();
    Version expected = c.expected();
    boolean delete = c instanceof RbacChange.DeleteBinding || c instanceof RbacChange.DeleteRole;
    try {
      if (delete) {
        return delete(ref, expected) ? Optional.of(Version.ABSENT) : Optional.empty();
      }
      if (expected.isAny()) {
        requireOwned(c);
        return Optional.of(
            c instanceof RbacChange.PutBinding put ? apply(put.binding()) : apply(role(c)));
      }
      Map<String, Object> body =
          c instanceof RbacChange.PutBinding put ? body(put.binding()) : body(role(c));
      return Optional.of(expected.isAbsent() ? create(ref, body) : merge(ref, body, expected));
    } catch (ApiException e) {
      if (e.getCode() == 409) {
        throw new ConflictException(
            ref
                + ("AlreadyExists".equals(KubeErrors.reason(e))
                    ? " was created by another writer first"
                    : " was changed by another writer since it was read")
                + " (409); this change was not written. Read it again and re-apply the change.",
            e);
      }
      if (e.getCode() == 422 && c instanceof RbacChange.PutBinding put) {
        throw InvalidInputException.of(
            ErrorCode.INVALID_NAME,
            put.binding() + ".roleRef",
            put.binding().roleRef().toString(),
            "was refused by the API server (422: "
                + KubeErrors.statusMessage(e)
                + "); a binding's roleRef cannot change once it exists: delete the binding first,"
                + " as the planner does. This change was not written.");
      }
      if (e.getCode() == 404 && !expected.isAbsent()) {
        throw new ConflictException(
            ref
                + " was deleted by another writer since it was read (404); this change was not"
                + " written. Read it again and re-apply the change.",
            e);
      }
      throw failure((delete ? "delete " : "write ") + ref, e);
    }
  }

  private static RbacRole role(RbacChange c) {
    return ((RbacChange.PutRole) c).role();
  }

  private Version create(RbacRef ref, Map<String, Object> body) throws ApiException {
    String json = JSON.serialize(body);
    KubernetesObject made =
        switch (ref.kind()) {
          case ROLE -> {
            V1Role role = JSON.deserialize(json, V1Role.class);
            bare(role.getMetadata());
            yield api.createNamespacedRole(ref.namespace(), role).fieldManager(MANAGER).execute();
          }
          case CLUSTER_ROLE -> {
            V1ClusterRole role = JSON.deserialize(json, V1ClusterRole.class);
            bare(role.getMetadata());
            V1AggregationRule aggregation = role.getAggregationRule();
            if (aggregation != null) {
              // no "rules": the aggregation controller owns them, and [] would claim the field
              role.setRules(null);
              Objects.requireNonNullElse(
                      aggregation.getClusterRoleSelectors(), List.<V1LabelSelector>of())
                  .forEach(
                      sel -> {
                        if (sel.getMatchExpressions() != null
                            && sel.getMatchExpressions().isEmpty()) {
                          sel.setMatchExpressions(null);
                        }
                      });
            }
            yield api.createClusterRole(role).fieldManager(MANAGER).execute();
          }
          case ROLE_BINDING -> {
            V1RoleBinding b = JSON.deserialize(json, V1RoleBinding.class);
            bare(b.getMetadata());
            yield api.createNamespacedRoleBinding(ref.namespace(), b)
                .fieldManager(MANAGER)
                .execute();
          }
          case CLUSTER_ROLE_BINDING -> {
            V1ClusterRoleBinding b = JSON.deserialize(json, V1ClusterRoleBinding.class);
            bare(b.getMetadata());
            yield api.createClusterRoleBinding(b).fieldManager(MANAGER).execute();
          }
        };
    return versionOf(made);
  }

  /**
   * Drops the empty collections the client's models start with, so that a create sends only what
   * eks-access means to write (and claims no field it leaves to others).
   */
  private static void bare(@Nullable V1ObjectMeta meta) {
    if (meta == null) {
      return;
    }
    if (meta.getFinalizers() != null && meta.getFinalizers().isEmpty()) {
      meta.setFinalizers(null);
    }
    if (meta.getOwnerReferences() != null && meta.getOwnerReferences().isEmpty()) {
      meta.setOwnerReferences(null);
    }
    if (meta.getAnnotations() != null && meta.getAnnotations().isEmpty()) {
      meta.setAnnotations(null);
    }
    if (meta.getManagedFields() != null && meta.getManagedFields().isEmpty()) {
      meta.setManagedFields(null);
    }
  }

  /**
   * A JSON merge patch carrying the expected {@code resourceVersion}: the server refuses it (409)
   * if the object moved on, and leaves every field the patch does not name as it is. An annotation
   * eks-access no longer wants is sent as null, which removes it.
   */
  @SuppressWarnings("unchecked")
  private Version merge(RbacRef ref, Map<String, Object> body, Version expected)
      throws ApiException {
    Map<String, Object> meta =
        (Map<String, Object>) Objects.requireNonNull(body.get("metadata"), "metadata");
    meta.put("resourceVersion", expected.value());
    Map<String, @Nullable Object> annotations = new LinkedHashMap<>();
    Object wanted = meta.get("annotations");
    if (wanted instanceof Map<?, ?> w) {
      w.forEach((k, v) -> annotations.put((String) k, v));
    }
    if (!annotations.containsKey(GrantedFor.KEY)) {
      annotations.put(GrantedFor.KEY, null);
    }
    meta.put("annotations", annotations);
    body.remove("apiVersion");
    body.remove("kind");
    V1Patch patch = new V1Patch(JSON.serialize(body));
    KubernetesObject patched =
        switch (ref.kind()) {
          case ROLE ->
              PatchUtils.patch(
                  V1Role.class,
                  () ->
                      api.patchNamespacedRole(ref.name(), ref.namespace(), patch)
                          .fieldManager(MANAGER)
                          .buildCall(null),
                  V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH,
                  client);
          case CLUSTER_ROLE ->
              PatchUtils.patch(
                  V1ClusterRole.class,
                  () ->
                      api.patchClusterRole(ref.name(), patch).fieldManager(MANAGER).buildCall(null),
                  V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH,
                  client);
          case ROLE_BINDING ->
              PatchUtils.patch(
                  V1RoleBinding.class,
                  () ->
                      api.patchNamespacedRoleBinding(ref.name(), ref.namespace(), patch)
                          .fieldManager(MANAGER)
                          .buildCall(null),
                  V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH,
                  client);
          case CLUSTER_ROLE_BINDING ->
              PatchUtils.patch(
                  V1ClusterRoleBinding.class,
                  () ->
                      api.patchClusterRoleBinding(ref.name(), patch)
                          .fieldManager(MANAGER)
                          .buildCall(null),
                  V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH,
                  client);
        };
    return versionOf(patched);
  }

  private static Version versionOf(@Nullable KubernetesObject o) {
    return o == null || o.getMetadata() == null
        ? Version.ANY
        : Version.of(Objects.requireNonNullElse(o.getMetadata().getResourceVersion(), ""));
  }

  /** An unconditional change may not touch what eks-access does not own, unless adopting. */
  private void requireOwned(RbacChange c) throws ApiException {
    if (adopt) {
      return;
    }
    Optional<KubernetesObject> have = get(c.ref());
    Map<String, String> labels =
        have.map(o -> o.getMetadata())
            .map(m -> Objects.requireNonNullElse(m.getLabels(), Map.<String, String>of()))
            .orElse(Map.of(BindingNames.MANAGED_BY, BindingNames.MANAGER));
    if (!BindingNames.MANAGER.equals(labels.get(BindingNames.MANAGED_BY))) {
      throw InvalidInputException.of(
          ErrorCode.INVALID_GRANT,
          c.ref().toString(),
          null,
          "exists and was not created by eks-access (no label "
              + BindingNames.MANAGED_BY
              + "="
              + BindingNames.MANAGER
              + "); nothing was written. Leave it alone, or take it over with"
              + " Rbac.backend(client).adopting().");
    }
    if (c instanceof RbacChange.PutBinding put
        && have.isPresent()
        && have.get() instanceof io.kubernetes.client.openapi.models.V1RoleBinding rb
        && !rb.getRoleRef().getName().equals(put.binding().roleRef().name())) {
      throw InvalidInputException.of(
          ErrorCode.INVALID_NAME,
          put.binding() + ".roleRef",
          put.binding().roleRef().toString(),
          "cannot change once the binding exists (the API server answers 422); delete the"
              + " binding first in the same batch, as the planner does; nothing was written.");
    }
  }

  /** The object's body, as eks-access writes it: roleRef, subjects, labels, its annotations. */
  private static Map<String, Object> body(RbacBinding b) {
    Map<String, Object> body =
        object(
            b.isClusterRoleBinding() ? "ClusterRoleBinding" : "RoleBinding",
            b.namespace(),
            b.name(),
            b.labels(),
            b.annotations());
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
    return body;
  }

  private static Map<String, Object> body(RbacRole r) {
    Map<String, Object> body =
        object(
            r.isClusterRole() ? "ClusterRole" : "Role",
            r.namespace(),
            r.name(),
            r.labels(),
            Map.of());
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
    return body;
  }

  /** Server-side apply of a binding, for an unconditional put. */
  private Version apply(RbacBinding b) throws ApiException {
    V1Patch patch = new V1Patch(JSON.serialize(body(b))); // JSON is YAML
    KubernetesObject o =
        b.isClusterRoleBinding()
            ? PatchUtils.patch(
                V1ClusterRoleBinding.class,
                () ->
                    api.patchClusterRoleBinding(b.name(), patch)
                        .fieldManager(MANAGER)
                        .force(true)
                        .buildCall(null),
                V1Patch.PATCH_FORMAT_APPLY_YAML,
                client)
            : PatchUtils.patch(
                V1RoleBinding.class,
                () ->
                    api.patchNamespacedRoleBinding(b.name(), b.namespace(), patch)
                        .fieldManager(MANAGER)
                        .force(true)
                        .buildCall(null),
                V1Patch.PATCH_FORMAT_APPLY_YAML,
                client);
    return versionOf(o);
  }

  /** Server-side apply of a role, for an unconditional put. */
  private Version apply(RbacRole r) throws ApiException {
    V1Patch patch = new V1Patch(JSON.serialize(body(r)));
    KubernetesObject o =
        r.isClusterRole()
            ? PatchUtils.patch(
                V1ClusterRole.class,
                () ->
                    api.patchClusterRole(r.name(), patch)
                        .fieldManager(MANAGER)
                        .force(true)
                        .buildCall(null),
                V1Patch.PATCH_FORMAT_APPLY_YAML,
                client)
            : PatchUtils.patch(
                V1Role.class,
                () ->
                    api.patchNamespacedRole(r.name(), r.namespace(), patch)
                        .fieldManager(MANAGER)
                        .force(true)
                        .buildCall(null),
                V1Patch.PATCH_FORMAT_APPLY_YAML,
                client);
    return versionOf(o);
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

  /** The body's head; built as a map so that no empty default collection is sent. */
  private static Map<String, Object> object(
      String kind,
      String namespace,
      String name,
      Map<String, String> labels,
      Map<String, String> annotations) {
    Map<String, String> allLabels = new LinkedHashMap<>(labels);
    allLabels.put(BindingNames.MANAGED_BY, BindingNames.MANAGER);
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("name", name);
    if (!namespace.isEmpty()) {
      meta.put("namespace", namespace);
    }
    meta.put("labels", allLabels);
    if (!annotations.isEmpty()) {
      meta.put("annotations", new LinkedHashMap<>(annotations));
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("apiVersion", API_VERSION);
    body.put("kind", kind);
    body.put("metadata", meta);
    return body;
  }

  /**
   * Deletes an object, with its version as a precondition unless {@link Version#ANY}; a 404 is what
   * was wanted (the client repeats a request whose connection dropped, and the first may have
   * landed), so it is no failure, and no write.
   */
  private boolean delete(RbacRef ref, Version expected) throws ApiException {
    V1DeleteOptions options = new V1DeleteOptions();
    if (!expected.isAny() && !expected.isAbsent()) {
      options.preconditions(new V1Preconditions().resourceVersion(expected.value()));
    }
    try {
      switch (ref.kind()) {
        case ROLE -> api.deleteNamespacedRole(ref.name(), ref.namespace()).body(options).execute();
        case CLUSTER_ROLE -> api.deleteClusterRole(ref.name()).body(options).execute();
        case ROLE_BINDING ->
            api.deleteNamespacedRoleBinding(ref.name(), ref.namespace()).body(options).execute();
        case CLUSTER_ROLE_BINDING ->
            api.deleteClusterRoleBinding(ref.name()).body(options).execute();
      }
      return true;
    } catch (ApiException e) {
      if (e.getCode() == 404) {
        return false;
      }
      throw e;
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
