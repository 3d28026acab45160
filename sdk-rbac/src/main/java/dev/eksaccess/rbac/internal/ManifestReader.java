package dev.eksaccess.rbac.internal;

import dev.eksaccess.api.ClusterRole;
import dev.eksaccess.api.ErrorCode;
import dev.eksaccess.api.InvalidInputException;
import dev.eksaccess.api.Role;
import dev.eksaccess.api.RoleRef;
import dev.eksaccess.api.spi.PolicyRule;
import dev.eksaccess.api.spi.RbacBinding;
import dev.eksaccess.api.spi.RbacRole;
import dev.eksaccess.api.spi.RbacSubject;
import dev.eksaccess.kubernetes.support.Manifests;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Reads Roles, ClusterRoles, RoleBindings and ClusterRoleBindings from YAML (or JSON) manifests:
 * several documents, and {@code List} kinds as {@code kubectl get -o yaml} prints them. Other kinds
 * are skipped. A malformed object fails with where it is and what is wrong.
 */
public final class ManifestReader {
  /** What was read: roles (ClusterRoles' aggregation rules apart) and bindings. */
  public record Result(
      List<RbacRole> roles,
      List<RbacBinding> bindings,
      Map<String, Aggregation> aggregation,
      List<String> skipped) {
    /**
     * Refuses manifests that held objects but no RBAC object: the wrong file, most often the
     * aws-auth ConfigMap (the identity layer), which would otherwise read as an empty snapshot that
     * allows nothing.
     */
    public Result requireRbac(String source) {
      if (roles.isEmpty() && bindings.isEmpty() && !skipped.isEmpty()) {
        boolean awsAuth =
            skipped.stream().anyMatch(s -> s.equals("ConfigMap kube-system/aws-auth"));
        throw InvalidInputException.of(
            ErrorCode.MALFORMED_MANIFEST,
            source,
            String.join(", ", skipped.subList(0, Math.min(3, skipped.size()))),
            awsAuth
                ? "is the aws-auth ConfigMap, which maps IAM principals to Kubernetes users and"
                    + " groups, not RBAC; read it with AwsAuth.offline(..), and RBAC from the"
                    + " cluster's Roles and bindings (kubectl get roles,clusterroles,rolebindings,"
                    + "clusterrolebindings -A -o yaml)."
                : "holds no Role, ClusterRole, RoleBinding or ClusterRoleBinding, so it would read"
                    + " as RBAC that allows nothing; give the RBAC manifests (kubectl get"
                    + " roles,clusterroles,rolebindings,clusterrolebindings -A -o yaml).");
      }
      return this;
    }
  }

  private final List<RbacRole> roles = new ArrayList<>();
  private final List<RbacBinding> bindings = new ArrayList<>();
  private final Map<String, Aggregation> aggregation = new LinkedHashMap<>();
  private final List<String> skipped = new ArrayList<>();
  // An alias makes one parsed object appear in several places; kubectl would apply it once. Read
  // each once, so that aliases of aliases cannot multiply the work.
  private final Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());

  private ManifestReader() {}

  /** Reads one text; {@code source} names it in errors (a file name, or "yaml"). */
  public static Result read(String source, String yaml) {
    return readAll(Map.of(source, yaml));
  }

  /** Reads several texts, by source name, into one result. */
  public static Result readAll(Map<String, String> sources) {
    ManifestReader r = new ManifestReader();
    for (Map.Entry<String, String> e : sources.entrySet()) {
      r.readText(e.getKey(), e.getValue());
    }
    return r.result();
  }

  /** Reads already-parsed objects, such as a live cluster's, converted to maps. */
  public static Result readObjects(String source, List<Object> objects) {
    ManifestReader r = new ManifestReader();
    int i = 0;
    for (Object o : objects) {
      i++;
      r.object(o, source + " object " + i);
    }
    return r.result();
  }

  /** The prefix of the annotations eks-access writes and reads back. */
  private static final String EKS_ACCESS_ANNOTATIONS = "eks-access.dev/";

  private Result result() {
    return new Result(
        List.copyOf(roles), List.copyOf(bindings), Map.copyOf(aggregation), List.copyOf(skipped));
  }

  private void readText(String source, String yaml) {
    List<Object> all = Manifests.loadAll(source, yaml);
    int i = 0;
    for (Object doc : all) {
      i++;
      if (doc != null) {
        object(doc, source + " document " + i);
      }
    }
  }

  private void object(Object doc, String where) {
    ManifestReader out = this;
    Map<String, Object> o = map(doc, where);
    if (!seen.add(o)) {
      return;
    }
    String kind = string(o.get("kind"), where + ".kind");
    if (kind.endsWith("List") && o.get("items") instanceof List<?> items) {
      int i = 0;
      for (Object item : items) {
        object(item, where + ".items[" + i++ + "]");
      }
      return;
    }
    Map<String, Object> meta = map(o.getOrDefault("metadata", Map.of()), where + ".metadata");
    String name = string(meta.get("name"), where + ".metadata.name");
    String namespace = string(meta.getOrDefault("namespace", ""), where + ".metadata.namespace");
    String at =
        where + " (" + kind + " " + (namespace.isEmpty() ? "" : namespace + "/") + name + ")";
    Map<String, String> labels = stringMap(meta.get("labels"), at + ".metadata.labels");
    // only eks-access's own annotations are modelled; the others stay on the object untouched
    Map<String, String> annotations = new java.util.TreeMap<>();
    stringMap(meta.get("annotations"), at + ".metadata.annotations")
        .forEach(
            (k, v) -> {
              if (k.startsWith(EKS_ACCESS_ANNOTATIONS)) {
                annotations.put(k, v);
              }
            });
    switch (kind) {
      case "ClusterRole", "Role" -> {
        boolean cluster = kind.equals("ClusterRole");
        if (!cluster && namespace.isEmpty()) {
          throw problem(at + ".metadata.namespace", null, "is missing; a Role is namespaced.");
        }
        List<PolicyRule> rules = new ArrayList<>();
        int i = 0;
        for (Object rule : list(o.get("rules"), at + ".rules")) {
          rules.add(rule(rule, at + ".rules[" + i++ + "]"));
        }
        List<Map<String, String>> aggregateFrom = List.of();
        if (cluster && o.get("aggregationRule") != null) {
          Aggregation a = aggregation(o.get("aggregationRule"), at + ".aggregationRule");
          out.aggregation.put(name, a);
          aggregateFrom =
              a.selectors().stream()
                  .filter(sel -> sel.expressions().isEmpty())
                  .map(Aggregation.Selector::matchLabels)
                  .toList();
        }
        out.roles.add(new RbacRole(cluster ? "" : namespace, name, rules, labels, aggregateFrom));
      }
      case "ClusterRoleBinding", "RoleBinding" -> {
        boolean cluster = kind.equals("ClusterRoleBinding");
        if (!cluster && namespace.isEmpty()) {
          throw problem(
              at + ".metadata.namespace", null, "is missing; a RoleBinding is namespaced.");
        }
        String ns = cluster ? "" : namespace;
        Map<String, Object> ref = map(o.get("roleRef"), at + ".roleRef");
        String refKind = string(ref.get("kind"), at + ".roleRef.kind");
        String refName = string(ref.get("name"), at + ".roleRef.name");
        RoleRef roleRef =
            switch (refKind) {
              case "ClusterRole" -> ClusterRole.named(refName);
              case "Role" -> {
                if (cluster) {
                  throw problem(
                      at + ".roleRef.kind",
                      refKind,
                      "a ClusterRoleBinding can only refer to a ClusterRole.");
                }
                yield Role.named(refName).inNamespace(ns);
              }
              default ->
                  throw problem(at + ".roleRef.kind", refKind, "must be Role or ClusterRole.");
            };
        List<RbacSubject> subjects = new ArrayList<>();
        int i = 0;
        for (Object s : list(o.get("subjects"), at + ".subjects")) {
          subjects.add(subject(s, at + ".subjects[" + i++ + "]", ns));
        }
        out.bindings.add(new RbacBinding(ns, name, roleRef, subjects, labels, annotations));
      }
      default -> // other objects in a dump (ServiceAccounts, ConfigMaps...) are not RBAC
          skipped.add(kind + " " + (namespace.isEmpty() ? "" : namespace + "/") + name);
    }
  }

  private static PolicyRule rule(Object value, String at) {
    Map<String, Object> r = map(value, at);
    try {
      return new PolicyRule(
          strings(r.get("apiGroups"), at + ".apiGroups"),
          strings(r.get("resources"), at + ".resources"),
          strings(r.get("resourceNames"), at + ".resourceNames"),
          strings(r.get("nonResourceURLs"), at + ".nonResourceURLs"),
          strings(r.get("verbs"), at + ".verbs"));
    } catch (InvalidInputException e) {
      throw problem(at, null, String.valueOf(e.getMessage()));
    }
  }

  private static RbacSubject subject(Object value, String at, String bindingNamespace) {
    Map<String, Object> s = map(value, at);
    String kind = string(s.get("kind"), at + ".kind");
    String name = string(s.get("name"), at + ".name");
    String namespace = string(s.getOrDefault("namespace", ""), at + ".namespace");
    return switch (kind) {
      case "User" -> RbacSubject.user(name);
      case "Group" -> RbacSubject.group(name);
      case "ServiceAccount" -> {
        // as the authorizer does: a RoleBinding's ServiceAccount defaults to its namespace
        String ns = namespace.isEmpty() ? bindingNamespace : namespace;
        if (ns.isEmpty()) {
          throw problem(
              at + ".namespace", null, "is required for a ServiceAccount in a ClusterRoleBinding.");
        }
        yield RbacSubject.serviceAccount(ns, name);
      }
      default -> throw problem(at + ".kind", kind, "must be User, Group or ServiceAccount.");
    };
  }

  private static Aggregation aggregation(Object value, String at) {
    Map<String, Object> a = map(value, at);
    List<Aggregation.Selector> selectors = new ArrayList<>();
    int i = 0;
    for (Object sel : list(a.get("clusterRoleSelectors"), at + ".clusterRoleSelectors")) {
      String here = at + ".clusterRoleSelectors[" + i++ + "]";
      Map<String, Object> s = map(sel, here);
      List<Aggregation.Expression> expressions = new ArrayList<>();
      int j = 0;
      for (Object e : list(s.get("matchExpressions"), here + ".matchExpressions")) {
        String there = here + ".matchExpressions[" + j++ + "]";
        Map<String, Object> m = map(e, there);
        expressions.add(
            new Aggregation.Expression(
                string(m.get("key"), there + ".key"),
                string(m.get("operator"), there + ".operator"),
                strings(m.get("values"), there + ".values")));
      }
      selectors.add(
          new Aggregation.Selector(
              stringMap(s.get("matchLabels"), here + ".matchLabels"), expressions));
    }
    return new Aggregation(selectors);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(@Nullable Object value, String at) {
    if (value instanceof Map<?, ?> m) {
      return (Map<String, Object>) m;
    }
    throw problem(at, describe(value), "must be a mapping.");
  }

  private static List<?> list(@Nullable Object value, String at) {
    if (value == null) {
      return List.of();
    }
    if (value instanceof List<?> l) {
      return l;
    }
    throw problem(at, describe(value), "must be a list.");
  }

  private static List<String> strings(@Nullable Object value, String at) {
    List<String> out = new ArrayList<>();
    int i = 0;
    for (Object o : list(value, at)) {
      out.add(string(o, at + "[" + i++ + "]"));
    }
    return out;
  }

  private static Map<String, String> stringMap(@Nullable Object value, String at) {
    if (value == null) {
      return Map.of();
    }
    Map<String, String> out = new LinkedHashMap<>();
    Map<?, ?> m = map(value, at); // keys may be numbers: "1: x" is a label Kubernetes reads as "1"
    for (Map.Entry<?, ?> e : m.entrySet()) {
      String key = String.valueOf(e.getKey());
      out.put(key, string(e.getValue(), at + "." + key));
    }
    return out;
  }

  private static String string(@Nullable Object value, String at) {
    if (value instanceof String s) {
      return s;
    }
    if (value == null) {
      throw problem(at, null, "is missing.");
    }
    if (value instanceof Number || value instanceof Boolean) {
      return String.valueOf(value); // as Kubernetes' YAML-to-JSON would have quoted it
    }
    throw problem(at, describe(value), "must be text.");
  }

  private static @Nullable String describe(@Nullable Object value) {
    return value == null
        ? null
        : value instanceof Map ? "a mapping" : value instanceof List ? "a list" : value.toString();
  }

  private static InvalidInputException problem(String at, @Nullable String value, String message) {
    return InvalidInputException.of(ErrorCode.MALFORMED_MANIFEST, at, value, message);
  }
}
