package dev.eksaccess.testkit;

import dev.eksaccess.api.ClusterRole;
import dev.eksaccess.api.IamRole;
import dev.eksaccess.api.IamUser;
import dev.eksaccess.api.Principal;
import dev.eksaccess.api.Role;
import dev.eksaccess.api.RoleRef;
import dev.eksaccess.api.spi.IdentityMapping;
import dev.eksaccess.api.spi.PolicyRule;
import dev.eksaccess.api.spi.RbacBinding;
import dev.eksaccess.api.spi.RbacRole;
import dev.eksaccess.api.spi.RbacSubject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * Reads the YAML users seed a {@link FakeCluster} with: an aws-auth ConfigMap (or its data), and
 * RBAC manifests. Strict: anything it cannot read is an {@link IllegalArgumentException} naming
 * where, never a silently skipped entry. (For reading aws-auth exactly as EKS does, lossless and
 * linted, use {@code AwsAuthDocument} in sdk-aws-auth; for RBAC, {@code RbacSnapshot} in sdk-rbac.)
 */
final class SeedYaml {
  /** What an aws-auth seed holds. */
  record AwsAuth(List<IdentityMapping> mappings, List<String> accounts) {}

  /** What an RBAC seed holds. */
  record Rbac(List<RbacRole> roles, List<RbacBinding> bindings) {}

  private SeedYaml() {}

  static AwsAuth awsAuth(String yaml) {
    Map<String, Object> top = map(loadOne(yaml, "aws-auth"), "aws-auth");
    Object data = top.containsKey("data") ? top.get("data") : top;
    Map<String, Object> sections = map(data, "aws-auth data");
    List<IdentityMapping> mappings = new ArrayList<>();
    for (String section : List.of("mapRoles", "mapUsers")) {
      List<Object> entries = list(section(sections.get(section), section), section);
      for (int i = 0; i < entries.size(); i++) {
        String where = section + "[" + i + "]";
        Map<String, Object> entry = lowerKeys(map(entries.get(i), where));
        String arnKey = section.equals("mapRoles") ? "rolearn" : "userarn";
        Object arn = entry.get(arnKey);
        if (!(arn instanceof String a)) {
          throw new IllegalArgumentException(where + " has no " + arnKey + ".");
        }
        // EKS matches both sections, so a role ARN under mapUsers maps the role (and the reverse)
        Principal p = a.contains(":role/") ? IamRole.of(a) : IamUser.of(a);
        IdentityMapping m = IdentityMapping.of(p);
        if (entry.get("username") instanceof String u) {
          m = m.withUsername(u);
        }
        List<String> groups = new ArrayList<>();
        for (Object g : list(entry.getOrDefault("groups", List.of()), where + ".groups")) {
          groups.add(String.valueOf(g));
        }
        if (section.equals("mapUsers")
            && mappings.stream()
                .anyMatch(r -> r.principal().arn().value().equalsIgnoreCase(p.arn().value()))) {
          continue; // a mapRoles entry for the same ARN beats it, as EKS matches
        }
        mappings.add(m.withGroups(groups));
      }
    }
    List<String> accounts = new ArrayList<>();
    for (Object a : list(section(sections.get("mapAccounts"), "mapAccounts"), "mapAccounts")) {
      accounts.add(String.valueOf(a));
    }
    return new AwsAuth(mappings, accounts);
  }

  static Rbac rbac(String yaml) {
    List<RbacRole> roles = new ArrayList<>();
    List<RbacBinding> bindings = new ArrayList<>();
    List<Object> docs = new ArrayList<>();
    try {
      new Load(LoadSettings.builder().build()).loadAllFromString(yaml).forEach(docs::add);
    } catch (YamlEngineException e) {
      throw new IllegalArgumentException("the RBAC seed is not YAML: " + e.getMessage(), e);
    }
    int n = 0;
    for (Object doc : docs) {
      n++;
      if (doc == null) {
        continue;
      }
      Map<String, Object> o = map(doc, "document " + n);
      List<Object> items =
          "List".equals(o.get("kind"))
              ? list(o.getOrDefault("items", List.of()), "document " + n + ".items")
              : List.of(o);
      for (int i = 0; i < items.size(); i++) {
        object(map(items.get(i), "document " + n + " item " + i), roles, bindings);
      }
    }
    return new Rbac(roles, bindings);
  }

  private static void object(
      Map<String, Object> o, List<RbacRole> roles, List<RbacBinding> bindings) {
    String kind = String.valueOf(o.get("kind"));
    Map<String, Object> meta = map(o.getOrDefault("metadata", Map.of()), kind + ".metadata");
    String name = String.valueOf(meta.get("name"));
    String ns = meta.get("namespace") instanceof String s ? s : "";
    String where = kind + " " + (ns.isEmpty() ? "" : ns + "/") + name;
    Map<String, String> labels = new LinkedHashMap<>();
    map(meta.getOrDefault("labels", Map.of()), where + ".labels")
        .forEach((k, v) -> labels.put(k, String.valueOf(v)));
    switch (kind) {
      case "Role", "ClusterRole" -> {
        List<PolicyRule> rules = new ArrayList<>();
        for (Object r : list(o.getOrDefault("rules", List.of()), where + ".rules")) {
          rules.add(rule(map(r, where + ".rules[]")));
        }
        roles.add(new RbacRole(kind.equals("Role") ? ns : "", name, rules, labels, List.of()));
      }
      case "RoleBinding", "ClusterRoleBinding" -> {
        Map<String, Object> ref = map(o.get("roleRef"), where + ".roleRef");
        String refName = String.valueOf(ref.get("name"));
        RoleRef roleRef =
            "Role".equals(ref.get("kind"))
                ? Role.named(refName).inNamespace(ns)
                : ClusterRole.named(refName);
        List<RbacSubject> subjects = new ArrayList<>();
        for (Object x : list(o.getOrDefault("subjects", List.of()), where + ".subjects")) {
          Map<String, Object> s = map(x, where + ".subjects[]");
          String subjectName = String.valueOf(s.get("name"));
          subjects.add(
              switch (String.valueOf(s.get("kind"))) {
                case "User" -> RbacSubject.user(subjectName);
                case "Group" -> RbacSubject.group(subjectName);
                case "ServiceAccount" ->
                    RbacSubject.serviceAccount(
                        s.get("namespace") instanceof String sn ? sn : ns, subjectName);
                default ->
                    throw new IllegalArgumentException(
                        where
                            + " has a subject of kind "
                            + s.get("kind")
                            + "; RBAC knows User,"
                            + " Group and ServiceAccount.");
              });
        }
        RbacBinding b =
            kind.equals("RoleBinding")
                ? RbacBinding.roleBinding(ns, name, roleRef, subjects)
                : RbacBinding.clusterRoleBinding(name, (ClusterRole) roleRef, subjects);
        bindings.add(b.withLabels(labels));
      }
      default ->
          throw new IllegalArgumentException(
              where + ": a seed holds Roles, ClusterRoles, RoleBindings and ClusterRoleBindings.");
    }
  }

  private static PolicyRule rule(Map<String, Object> r) {
    return new PolicyRule(
        strings(r.get("apiGroups")),
        strings(r.get("resources")),
        strings(r.get("resourceNames")),
        strings(r.get("nonResourceURLs")),
        strings(r.get("verbs")));
  }

  private static List<String> strings(@Nullable Object o) {
    List<String> out = new ArrayList<>();
    if (o instanceof List<?> l) {
      l.forEach(x -> out.add(String.valueOf(x)));
    }
    return out;
  }

  /** A section is a YAML string inside the ConfigMap, or already a list in a hand-written seed. */
  private static Object section(@Nullable Object value, String where) {
    if (value == null) {
      return List.of();
    }
    return value instanceof String text ? loadOne(text, where) : value;
  }

  private static Object loadOne(String yaml, String where) {
    try {
      Object o = new Load(LoadSettings.builder().build()).loadFromString(yaml);
      return o == null ? List.of() : o;
    } catch (YamlEngineException e) {
      throw new IllegalArgumentException(where + " is not YAML: " + e.getMessage(), e);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(@Nullable Object o, String where) {
    if (o instanceof Map<?, ?> m) {
      return (Map<String, Object>) m;
    }
    throw new IllegalArgumentException(where + " must be a mapping, not " + o);
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(@Nullable Object o, String where) {
    if (o instanceof List<?> l) {
      return (List<Object>) l;
    }
    throw new IllegalArgumentException(where + " must be a list, not " + o);
  }

  /** Keys inside aws-auth entries are case-insensitive, as EKS reads them. */
  private static Map<String, Object> lowerKeys(Map<String, Object> m) {
    Map<String, Object> out = new LinkedHashMap<>();
    m.forEach((k, v) -> out.put(String.valueOf(k).toLowerCase(Locale.ROOT), v));
    return out;
  }
}
