package dev.eksaccess.rbac;

import dev.eksaccess.api.BackendException;
import dev.eksaccess.api.spi.PolicyRule;
import dev.eksaccess.api.spi.RbacBinding;
import dev.eksaccess.api.spi.RbacRef;
import dev.eksaccess.api.spi.RbacRole;
import dev.eksaccess.api.spi.Version;
import dev.eksaccess.kubernetes.support.KubeErrors;
import dev.eksaccess.kubernetes.support.YamlLimits;
import dev.eksaccess.rbac.internal.Aggregation;
import dev.eksaccess.rbac.internal.ManifestReader;
import io.kubernetes.client.common.KubernetesListObject;
import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.apis.RbacAuthorizationV1Api;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Every Role, ClusterRole, RoleBinding and ClusterRoleBinding of a cluster, for offline decisions
 * with {@link RbacAuthorizer}. Aggregated ClusterRoles (such as {@code view}, {@code edit}, {@code
 * admin}) that arrive without their rules, as in hand-written manifests, get them computed from
 * their {@code aggregationRule} as the aggregation controller would.
 *
 * <p>Not to be confused with {@link dev.eksaccess.api.spi.RbacSnapshot}, what an RBAC backend
 * reads; {@link #toSpi(Version)} and {@link #of(dev.eksaccess.api.spi.RbacSnapshot)} convert.
 *
 * <pre>{@code
 * RbacSnapshot dump = RbacSnapshot.fromYaml(Path.of("clusterroles.yaml"), Path.of("bindings.yaml"));
 * RbacSnapshot live = RbacSnapshot.read(apiClient);
 * }</pre>
 *
 * @param roles the Roles and ClusterRoles, aggregated rules included
 * @param bindings the RoleBindings and ClusterRoleBindings
 */
public record RbacSnapshot(List<RbacRole> roles, List<RbacBinding> bindings) {
  private static final int PAGE = 500;

  /** Copies the lists. */
  public RbacSnapshot {
    roles = List.copyOf(roles);
    bindings = List.copyOf(bindings);
  }

  /**
   * Reads manifests: several documents, and {@code List} kinds as {@code kubectl get
   * clusterroles,clusterrolebindings,roles,rolebindings -A -o yaml} prints them. Other kinds are
   * skipped.
   *
   * <pre>{@code
   * RbacSnapshot s = RbacSnapshot.fromYaml(Files.readString(Path.of("rbac.yaml")));
   * }</pre>
   *
   * @param yaml the manifests
   * @return the snapshot
   * @throws dev.eksaccess.api.InvalidInputException if the text is not YAML, an object is malformed
   *     (the message says which document and field), or it holds objects but no RBAC object, such
   *     as the aws-auth ConfigMap
   */
  public static RbacSnapshot fromYaml(String yaml) {
    return of(
        ManifestReader.read("yaml", Objects.requireNonNull(yaml, "yaml")).requireRbac("yaml"));
  }

  /**
   * Reads manifest files into one snapshot.
   *
   * @param files the files
   * @return the snapshot
   * @throws IOException if a file cannot be read
   * @throws dev.eksaccess.api.InvalidInputException if a file is not YAML or holds a malformed
   *     object; the message names the file
   */
  public static RbacSnapshot fromYaml(Path... files) throws IOException {
    Map<String, String> texts = new LinkedHashMap<>();
    for (Path f : files) {
      texts.put(f.toString(), Files.readString(f, StandardCharsets.UTF_8));
    }
    return of(ManifestReader.readAll(texts).requireRbac(String.join(", ", texts.keySet())));
  }

  /**
   * Reads a live cluster's RBAC objects, every page of each list ({@code limit} 500).
   *
   * @param client the Kubernetes client
   * @return the snapshot
   * @throws BackendException if the API server refuses or fails
   */
  public static RbacSnapshot read(ApiClient client) {
    return readLive(client).snapshot();
  }

  /**
   * A live read: the snapshot, a version that changes when any RBAC object changes, and each
   * object's own {@code resourceVersion}.
   */
  record Live(RbacSnapshot snapshot, Version version, Map<RbacRef, Version> versions) {
    dev.eksaccess.api.spi.RbacSnapshot toSpi(boolean complete) {
      return new dev.eksaccess.api.spi.RbacSnapshot(
          version, snapshot.roles(), snapshot.bindings(), versions, complete);
    }
  }

  static Live readLive(ApiClient client) {
    RbacAuthorizationV1Api api = new RbacAuthorizationV1Api(client);
    List<Object> objects = new ArrayList<>();
    // the version: every object's kind, name and resourceVersion, hashed; a list's own
    // resourceVersion moves with any change in the cluster, so it would make every plan stale
    List<String> versions = new ArrayList<>();
    Map<RbacRef, Version> byObject = new LinkedHashMap<>();
    try {
      readAll(
          "ClusterRole",
          c -> api.listClusterRole().limit(PAGE)._continue(c).execute(),
          objects,
          versions,
          byObject);
      readAll(
          "ClusterRoleBinding",
          c -> api.listClusterRoleBinding().limit(PAGE)._continue(c).execute(),
          objects,
          versions,
          byObject);
      readAll(
          "Role",
          c -> api.listRoleForAllNamespaces().limit(PAGE)._continue(c).execute(),
          objects,
          versions,
          byObject);
      readAll(
          "RoleBinding",
          c -> api.listRoleBindingForAllNamespaces().limit(PAGE)._continue(c).execute(),
          objects,
          versions,
          byObject);
    } catch (ApiException e) {
      throw KubeErrors.failure(
          "list RBAC objects",
          e,
          "The caller may not list roles, clusterroles, rolebindings and clusterrolebindings;"
              + " grant that (the view ClusterRole does not).",
          "The RBAC API (rbac.authorization.k8s.io/v1) is not served here.");
    }
    versions.sort(null);
    return new Live(
        of(ManifestReader.readObjects(client.getBasePath(), objects)),
        Version.of(digest(versions)),
        byObject);
  }

  static String digest(List<String> lines) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (String line : lines) {
        sha.update((line + "\n").getBytes(StandardCharsets.UTF_8));
      }
      return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  /** One page of a list, from a {@code continue} token (null for the first). */
  interface Page {
    KubernetesListObject fetch(@Nullable String continueToken) throws ApiException;
  }

  /** Every page of one list: each object as a map (with its kind), and its version line. */
  @SuppressWarnings("unchecked")
  static void readAll(
      String kind,
      Page page,
      List<Object> objects,
      List<String> versions,
      Map<RbacRef, Version> byObject)
      throws ApiException {
    @Nullable String next = null;
    do {
      KubernetesListObject list = page.fetch(next);
      for (KubernetesObject item : list.getItems()) {
        Object map = json(item);
        if (map instanceof Map<?, ?> m) {
          ((Map<String, Object>) m).put("kind", kind);
        }
        objects.add(map);
        versions.add(kind + "/" + version(item.getMetadata()));
        ref(kind, item.getMetadata())
            .ifPresent(
                r ->
                    byObject.put(
                        r,
                        Version.of(
                            Objects.requireNonNullElse(
                                Objects.requireNonNull(item.getMetadata()).getResourceVersion(),
                                ""))));
      }
      next = list.getMetadata() == null ? null : list.getMetadata().getContinue();
    } while (next != null && !next.isEmpty());
  }

  /** The reference of a listed object, by its kind and metadata. */
  static java.util.Optional<RbacRef> ref(String kind, @Nullable V1ObjectMeta meta) {
    if (meta == null || meta.getName() == null) {
      return java.util.Optional.empty();
    }
    String ns = Objects.requireNonNullElse(meta.getNamespace(), "");
    RbacRef.Kind k =
        switch (kind) {
          case "Role" -> RbacRef.Kind.ROLE;
          case "ClusterRole" -> RbacRef.Kind.CLUSTER_ROLE;
          case "RoleBinding" -> RbacRef.Kind.ROLE_BINDING;
          default -> RbacRef.Kind.CLUSTER_ROLE_BINDING;
        };
    if (k.namespaced() == ns.isEmpty()) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(new RbacRef(k, ns, meta.getName()));
  }

  private static String version(@Nullable V1ObjectMeta meta) {
    return meta == null
        ? ""
        : meta.getNamespace() + "/" + meta.getName() + "@" + meta.getResourceVersion();
  }

  /**
   * The snapshot of an RBAC backend's read.
   *
   * @param snapshot what the backend read
   * @return the snapshot
   */
  public static RbacSnapshot of(dev.eksaccess.api.spi.RbacSnapshot snapshot) {
    return new RbacSnapshot(snapshot.roles(), snapshot.bindings());
  }

  /**
   * As the SPI's snapshot, for {@link dev.eksaccess.api.ClusterAccess} and the planner.
   *
   * @param version the version to give it
   * @return the SPI snapshot
   */
  public dev.eksaccess.api.spi.RbacSnapshot toSpi(Version version) {
    return new dev.eksaccess.api.spi.RbacSnapshot(version, roles, bindings);
  }

  static Object json(Object model) {
    // one reader for manifests and live objects: the model's JSON is YAML
    return Objects.requireNonNull(YamlLimits.loadOne("cluster", JSON.serialize(model)));
  }

  static RbacSnapshot of(ManifestReader.Result read) {
    return new RbacSnapshot(aggregate(read.roles(), read.aggregation()), read.bindings());
  }

  /**
   * Fills aggregated ClusterRoles that have no rules with the rules of the ClusterRoles their
   * selectors match (in name order, without repeats), repeated until nothing changes, since an
   * aggregated role (edit) can itself be aggregated into another (admin).
   */
  static List<RbacRole> aggregate(List<RbacRole> roles, Map<String, Aggregation> aggregation) {
    Map<String, RbacRole> clusterRoles = new LinkedHashMap<>();
    roles.stream()
        .filter(RbacRole::isClusterRole)
        .sorted(Comparator.comparing(RbacRole::name))
        .forEach(r -> clusterRoles.putIfAbsent(r.name(), r));
    Set<String> toCompute = new LinkedHashSet<>();
    for (Map.Entry<String, Aggregation> e : aggregation.entrySet()) {
      RbacRole r = clusterRoles.get(e.getKey());
      // An invalid selector stops the controller for that role: it keeps the rules it has.
      if (r != null && r.rules().isEmpty() && e.getValue().isValid()) {
        toCompute.add(e.getKey());
      }
    }
    for (int round = 0; round <= toCompute.size(); round++) {
      boolean changed = false;
      for (String name : toCompute) {
        Aggregation a = Objects.requireNonNull(aggregation.get(name));
        Set<PolicyRule> rules = new LinkedHashSet<>();
        for (RbacRole c : clusterRoles.values()) {
          if (!c.name().equals(name) && a.matches(c.labels())) {
            rules.addAll(c.rules());
          }
        }
        RbacRole old = Objects.requireNonNull(clusterRoles.get(name));
        if (!old.rules().equals(List.copyOf(rules))) {
          clusterRoles.put(
              name, new RbacRole("", name, List.copyOf(rules), old.labels(), old.aggregateFrom()));
          changed = true;
        }
      }
      if (!changed) {
        break;
      }
    }
    List<RbacRole> out = new ArrayList<>();
    for (RbacRole r : roles) {
      out.add(r.isClusterRole() && toCompute.contains(r.name()) ? clusterRoles.get(r.name()) : r);
    }
    return out;
  }
}
