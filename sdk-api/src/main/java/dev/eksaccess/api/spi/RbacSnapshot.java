package dev.eksaccess.api.spi;

import java.util.List;
import java.util.Objects;

/**
 * A consistent view of a cluster's RBAC objects, with the version it was read at.
 *
 * <pre>{@code
 * RbacSnapshot now = rbac.read();
 * now.bindings().stream().filter(RbacBinding::isClusterRoleBinding).forEach(System.out::println);
 * }</pre>
 *
 * @param version the version, to write against
 * @param roles the Roles and ClusterRoles
 * @param bindings the RoleBindings and ClusterRoleBindings
 */
public record RbacSnapshot(Version version, List<RbacRole> roles, List<RbacBinding> bindings) {
  /** Copies the lists. */
  public RbacSnapshot {
    Objects.requireNonNull(version, "version");
    roles = List.copyOf(roles);
    bindings = List.copyOf(bindings);
  }
}
