package dev.eksaccess.api;

import dev.eksaccess.api.support.Names;
import java.util.Objects;

/**
 * A reference to a namespaced Kubernetes Role. A Role lives in one namespace, so binding it needs
 * no scope.
 *
 * <pre>{@code
 * Grant g = ClusterAccess.grant(role).asGroup("acme:deployers")
 *     .bind(Role.named("deployer").inNamespace("prod-apps"));
 * }</pre>
 *
 * @param namespace the Role's namespace
 * @param name the Role's name
 */
public record Role(String namespace, String name) implements RoleRef {
  /**
   * Checks both names as the API server does.
   *
   * @throws InvalidInputException if either name would be rejected
   */
  public Role {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
    Names.require(Names.rbacName(name, "role"), ErrorCode.INVALID_NAME);
    Names.require(Names.namespace(namespace, "role.namespace"), ErrorCode.INVALID_NAMESPACE);
  }

  /**
   * Starts a Role reference; finish it with {@link Named#inNamespace(String)}.
   *
   * @param name the Role's name
   * @return the next step
   * @throws InvalidInputException if Kubernetes would reject the name
   */
  public static Named named(String name) {
    Objects.requireNonNull(name, "name");
    Names.require(Names.rbacName(name, "role"), ErrorCode.INVALID_NAME);
    return namespace -> new Role(namespace, name);
  }

  /** A Role name waiting for its namespace. A chain type, not for variables. */
  @FunctionalInterface
  public interface Named {
    /**
     * Names the Role's namespace.
     *
     * @param namespace the namespace the Role lives in
     * @return the Role reference
     * @throws InvalidInputException if the namespace is not a DNS-1123 label
     */
    Role inNamespace(String namespace);
  }

  @Override
  public String toString() {
    return "Role " + namespace + "/" + name;
  }
}
