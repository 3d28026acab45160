package dev.eksaccess.api.spi;

import dev.eksaccess.api.AccessPolicy;
import dev.eksaccess.api.Scope;
import java.util.Objects;

/**
 * An access policy associated with an access entry, with its scope.
 *
 * <pre>{@code
 * new PolicyAssociation(AccessPolicy.VIEW, Scope.namespaces("prod-apps"));
 * }</pre>
 *
 * @param policy the access policy
 * @param scope where it applies
 */
public record PolicyAssociation(AccessPolicy policy, Scope scope) {
  /** Checks for nulls. */
  public PolicyAssociation {
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(scope, "scope");
  }

  @Override
  public String toString() {
    return policy.name() + " " + scope;
  }
}
