package dev.eksaccess.rbac.internal;

import dev.eksaccess.api.spi.PolicyRule;
import dev.eksaccess.api.spi.RbacRef;
import dev.eksaccess.api.spi.RbacRole;
import dev.eksaccess.api.spi.RbacSnapshot;
import dev.eksaccess.api.spi.Version;
import dev.eksaccess.kubernetes.support.KubeErrors;
import dev.eksaccess.kubernetes.support.YamlLimits;
import io.kubernetes.client.common.KubernetesListObject;
import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.apis.RbacAuthorizationV1Api;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import java.nio.charset.StandardCharsets;
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
 * Reads RBAC objects into the one {@link RbacSnapshot}: from manifests, or from a live cluster
 * (every page of each list). Aggregated ClusterRoles that arrive without their rules, as in
 * hand-written manifests, get them computed from their {@code aggregationRule} as the aggregation
 * controller would.
 */
public final class RbacReads {
  private static final int PAGE = 500;

  private RbacReads() {}

  /** Manifests, by source label (a file name, or "yaml"), as one snapshot. */
  public static RbacSnapshot fromYaml(Map<String, String> texts) {
    ManifestReader.Result read =
        texts.size() == 1 && texts.containsKey("yaml")
            ? ManifestReader.read("yaml", texts.get("yaml")).requireRbac("yaml")
            : ManifestReader.readAll(texts).requireRbac(String.join(", ", texts.keySet()));
    return of(read, Version.of("manifests"), Map.of(), true);
  }

  /** Every RBAC object of the cluster, with its version. */
  public static RbacSnapshot read(ApiClient client) {
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
    return of(
        ManifestReader.readObjects(client.getBasePath(), objects),
        Version.of(digest(versions)),
        byObject,
        true);
  }

  public static String digest(List<String> lines) {
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
  public interface Page {
    KubernetesListObject fetch(@Nullable String continueToken) throws ApiException;
  }

  /** Every page of one list: each object as a map (with its kind), and its version line. */
  @SuppressWarnings("unchecked")
  public static void readAll(
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
  public static java.util.Optional<RbacRef> ref(String kind, @Nullable V1ObjectMeta meta) {
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

  public static Object json(Object model) {
    // one reader for manifests and live objects: the model's JSON is YAML
    return Objects.requireNonNull(YamlLimits.loadOne("cluster", JSON.serialize(model)));
  }

  /** The snapshot of what the reader read, aggregated ClusterRoles filled in. */
  public static RbacSnapshot of(
      ManifestReader.Result read,
      Version version,
      Map<RbacRef, Version> versions,
      boolean complete) {
    return new RbacSnapshot(
        version, aggregate(read.roles(), read.aggregation()), read.bindings(), versions, complete);
  }

  /**
   * Fills aggregated ClusterRoles that have no rules with the rules of the ClusterRoles their
   * selectors match (in name order, without repeats), repeated until nothing changes, since an
   * aggregated role (edit) can itself be aggregated into another (admin).
   */
  public static List<RbacRole> aggregate(
      List<RbacRole> roles, Map<String, Aggregation> aggregation) {
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
