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
    Bindable named = target instanceof RoleDefinition d ? d.role() : target;
    if (named instanceof Role role
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
    return target instanceof Role || target instanceof RoleDefinition
        ? target.toString()
        : target + " " + scope;
  }

  /**
   * The Role or ClusterRole this binding names, if it binds one (directly or by defining it).
   *
   * @return the role reference; empty for an access policy
   */
  public java.util.Optional<RoleRef> roleRef() {
    if (target instanceof RoleRef r) {
      return java.util.Optional.of(r);
    }
    if (target instanceof ClusterRoleDefinition d) {
      return java.util.Optional.of(d.role());
    }
    if (target instanceof RoleDefinition d) {
      return java.util.Optional.of(d.role());
    }
    return java.util.Optional.empty();
  }
}
