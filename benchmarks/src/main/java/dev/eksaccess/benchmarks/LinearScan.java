package dev.eksaccess.benchmarks;

import dev.eksaccess.api.Request;
import dev.eksaccess.api.Role;
import dev.eksaccess.api.spi.PolicyRule;
import dev.eksaccess.api.spi.RbacBinding;
import dev.eksaccess.api.spi.RbacRole;
import dev.eksaccess.api.spi.RbacSnapshot;
import dev.eksaccess.api.spi.RbacSubject;
import java.util.List;
import java.util.Optional;

/**
 * The naive evaluator the authorizer's index is measured against: every binding is looked at, and
 * each applicable binding's role is found by scanning the roles. Users and groups only, as the
 * generated clusters have no ServiceAccount subjects; rule matching is {@link PolicyRule#allows}.
 */
final class LinearScan {
  private LinearScan() {}

  /** The first rule that allows the request, through the first binding that applies. */
  static Optional<PolicyRule> allows(
      RbacSnapshot rbac, String user, List<String> groups, Request request) {
    boolean namespaced = !request.namespace().isEmpty() && !request.isNonResource();
    for (RbacBinding b : rbac.bindings()) {
      boolean inScope =
          b.isClusterRoleBinding() || (namespaced && b.namespace().equals(request.namespace()));
      if (!inScope || !applies(b, user, groups)) {
        continue;
      }
      String ns = b.roleRef() instanceof Role ? b.namespace() : "";
      for (RbacRole role : rbac.roles()) {
        if (role.namespace().equals(ns) && role.name().equals(b.roleRef().name())) {
          for (PolicyRule rule : role.rules()) {
            if (rule.allows(request)) {
              return Optional.of(rule);
            }
          }
          break;
        }
      }
    }
    return Optional.empty();
  }

  private static boolean applies(RbacBinding b, String user, List<String> groups) {
    for (RbacSubject s : b.subjects()) {
      if ((s.kind() == RbacSubject.Kind.USER && s.name().equals(user))
          || (s.kind() == RbacSubject.Kind.GROUP && groups.contains(s.name()))) {
        return true;
      }
    }
    return false;
  }
}
