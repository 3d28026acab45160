package dev.eksaccess.api;

/**
 * A Kubernetes role that a grant binds: a {@link ClusterRole} or a namespaced {@link Role}.
 *
 * <pre>{@code
 * RoleRef view = ClusterRole.VIEW;
 * RoleRef deployer = Role.named("deployer").inNamespace("prod-apps");
 * }</pre>
 */
public sealed interface RoleRef extends Bindable permits ClusterRole, Role {
  /**
   * The role's name.
   *
   * @return the name
   */
  String name();
}
