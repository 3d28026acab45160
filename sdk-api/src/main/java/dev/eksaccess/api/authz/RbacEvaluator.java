package dev.eksaccess.api.authz;

import dev.eksaccess.api.ClusterRole;
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
 * RBAC rule matching, and the linear-scan evaluator that {@link RbacIndex} is measured against,
 * with kube-apiserver's semantics: ClusterRoleBindings apply everywhere, RoleBindings only in their
 * namespace and never to cluster-scoped resources or non-resource URLs; verbs, groups and resources
 * match exactly or by {@code *}; {@code *}{@code /sub} matches a subresource of any resource;
 * non-resource URLs match exactly or by a trailing {@code *} prefix.
 */
final class RbacEvaluator {
  private RbacEvaluator() {}

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

  /**
   * Why nothing allowed the request: the closest bindings, each as a sentence. Builds no index when
   * the previous call had the same snapshot (see {@link RbacIndex#of}).
   */
  public static List<String> nearMisses(
      RbacSnapshot rbac, String user, List<String> groups, Request request) {
    return RbacIndex.of(rbac).nearMisses(user, groups, request);
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

  /**
   * Whether any subject of the binding is this user, one of these groups, or their ServiceAccount.
   */
  public static boolean subjectsApply(RbacBinding binding, String user, List<String> groups) {
    return RbacIndex.applies(binding, user, groups);
  }

  /** The role a binding refers to, if it exists. */
  public static Optional<RbacRole> roleOf(RbacSnapshot rbac, RbacBinding binding) {
    String ns = binding.roleRef() instanceof Role ? binding.namespace() : "";
    String name = binding.roleRef().name();
    return rbac.roles().stream()
        .filter(r -> r.namespace().equals(ns) && r.name().equals(name))
        .findFirst();
  }

  /** The ClusterRole with this name, if the snapshot has it. */
  public static Optional<RbacRole> clusterRole(RbacSnapshot rbac, ClusterRole role) {
    return rbac.roles().stream()
        .filter(r -> r.isClusterRole() && r.name().equals(role.name()))
        .findFirst();
  }
}
