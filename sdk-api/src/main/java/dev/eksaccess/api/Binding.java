package dev.eksaccess.api;

import java.util.Objects;

/**
 * One thing a grant binds, and where: a role or access policy with its scope.
 *
 * <pre>{@code
 * grant.bindings().get(0).target();   // ClusterRole view
 * grant.bindings().get(0).scope();    // in namespaces prod-apps
 * }</pre>
 *
 * @param target the role or access policy
 * @param scope where it applies; a {@link Role}'s scope is its own namespace
 */
public record Binding(Bindable target, Scope scope) {
  /**
   * Checks that a Role is scoped to its own namespace.
   *
   * @throws InvalidInputException ({@link ErrorCode#INVALID_GRANT}) if it is not
   */
  public Binding {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(scope, "scope");
    if (target instanceof Role role
        && !scope.namespaces().equals(java.util.List.of(role.namespace()))) {
      throw InvalidInputException.of(
          ErrorCode.INVALID_GRANT,
          "binding.scope",
          scope.toString(),
          "a Role lives in one namespace (" + role.namespace() + "); bind it there only.");
    }
  }

  @Override
  public String toString() {
    return target instanceof Role ? target.toString() : target + " " + scope;
  }
}
