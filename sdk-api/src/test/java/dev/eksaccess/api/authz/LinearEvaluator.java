package dev.eksaccess.api.authz;

import dev.eksaccess.api.Request;
import dev.eksaccess.api.Role;
import dev.eksaccess.api.spi.PolicyRule;
import dev.eksaccess.api.spi.RbacBinding;
import dev.eksaccess.api.spi.RbacRole;
import dev.eksaccess.api.spi.RbacSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The oracle the index is checked against: a linear scan of every binding with kube-apiserver's
 * semantics (ClusterRoleBindings apply everywhere, RoleBindings only in their namespace and never
 * to cluster-scoped resources or non-resource URLs), each binding's role found by scanning the
 * roles, and rules matched by {@link PolicyRule#allows}.
 */
final class LinearEvaluator {
  private LinearEvaluator() {}

  /** The binding, role and rule that allow a request. */
  public record Match(RbacBinding binding, RbacRole role, PolicyRule rule) {
    @Override
    public String toString() {
      return binding + " → " + role + " → rule " + rule;
    }
  }

  /** Finds the first binding whose role allows the request for this user and groups. */
  public static Optional<Match> allows(
      RbacSnapshot rbac, String user, List<String> groups, Request request) {
    for (RbacBinding binding :
        applicableBindings(rbac, user, groups, request.namespace(), request)) {
      Optional<RbacRole> role = roleOf(rbac, binding);
      if (role.isEmpty()) {
        continue;
      }
      for (PolicyRule rule : role.get().rules()) {
        if (rule.allows(request)) {
          return Optional.of(new Match(binding, role.get(), rule));
        }
      }
    }
    return Optional.empty();
  }

  private static List<RbacBinding> applicableBindings(
      RbacSnapshot rbac, String user, List<String> groups, String namespace, Request request) {
    List<RbacBinding> out = new ArrayList<>();
    boolean namespaced = !namespace.isEmpty() && !request.isNonResource();
    List<String> keys = RbacIndex.userKeys(user, groups);
    for (RbacBinding b : rbac.bindings()) {
      boolean inScope = b.isClusterRoleBinding() || (namespaced && b.namespace().equals(namespace));
      if (inScope && RbacIndex.applies(b, keys)) {
        out.add(b);
      }
    }
    return out;
  }

  /** The role a binding refers to, if it exists. */
  public static Optional<RbacRole> roleOf(RbacSnapshot rbac, RbacBinding binding) {
    String ns = binding.roleRef() instanceof Role ? binding.namespace() : "";
    String name = binding.roleRef().name();
    return rbac.roles().stream()
        .filter(r -> r.namespace().equals(ns) && r.name().equals(name))
        .findFirst();
  }
}
