package dev.eksaccess.api.support;

import dev.eksaccess.api.AccessPolicy;
import dev.eksaccess.api.AccessPolicyCatalogue;
import dev.eksaccess.api.Request;
import dev.eksaccess.api.spi.PolicyAssociation;
import dev.eksaccess.api.spi.PolicyRule;
import java.util.List;
import java.util.Optional;

/**
 * The Kubernetes permissions of the EKS managed access policies, as {@link AccessPolicyCatalogue}
 * records what the EKS user guide publishes. EKS's authorizer checks them after RBAC. A policy
 * whose contents are not published is unknown here: a caller must say it cannot decide, not deny.
 */
@BackendSupport
public final class AccessPolicyRules {
  private AccessPolicyRules() {}

  /**
   * Whether an association's scope reaches a request: a namespaced request needs its namespace in
   * scope, a cluster-scoped request or non-resource URL a cluster-wide association.
   */
  public static boolean inScope(PolicyAssociation association, Request request) {
    return (request.namespace().isEmpty() || request.isNonResource())
        ? association.scope().isClusterWide()
        : association.scope().covers(request.namespace());
  }

  /**
   * The policy's rules, if EKS publishes them: {@link AccessPolicyCatalogue#rulesOf}. Empty means
   * unknown, never "allows nothing".
   */
  public static Optional<List<PolicyRule>> of(AccessPolicy policy) {
    return AccessPolicyCatalogue.rulesOf(policy);
  }
}
