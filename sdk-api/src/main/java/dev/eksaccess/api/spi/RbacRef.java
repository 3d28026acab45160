package dev.eksaccess.api.spi;

import dev.eksaccess.api.ErrorCode;
import dev.eksaccess.api.InvalidInputException;
import java.util.Objects;

/**
 * Names one RBAC object: its kind, namespace ({@code ""} for the cluster-scoped kinds) and name.
 * Versions and preconditions are kept per object, so writers of different objects never conflict.
 *
 * <pre>{@code
 * RbacRef ref = RbacRef.roleBinding("prod-apps", "eks-access-view-acme-devs-1a2b3c4d");
 * Version v = rbac.read(RbacQuery.of(List.of(ref))).versionOf(ref);   // Version.ABSENT if none
 * }</pre>
 *
 * @param kind the kind
 * @param namespace the namespace, {@code ""} for a ClusterRole or ClusterRoleBinding
 * @param name the name
 */
public record RbacRef(Kind kind, String namespace, String name) {
  /** The four RBAC kinds. */
  public enum Kind {
    /** A namespaced Role. */
    ROLE,
    /** A ClusterRole. */
    CLUSTER_ROLE,
    /** A namespaced RoleBinding. */
    ROLE_BINDING,
    /** A ClusterRoleBinding. */
    CLUSTER_ROLE_BINDING;

    /**
     * Whether objects of this kind live in a namespace.
     *
     * @return true for Role and RoleBinding
     */
    public boolean namespaced() {
      return this == ROLE || this == ROLE_BINDING;
    }

    /**
     * Whether this kind is a binding.
     *
     * @return true for RoleBinding and ClusterRoleBinding
     */
    public boolean binding() {
      return this == ROLE_BINDING || this == CLUSTER_ROLE_BINDING;
    }
  }

  /**
   * Checks that the namespace fits the kind.
   *
   * @throws InvalidInputException if a namespaced kind has no namespace, or a cluster-scoped kind
   *     has one
   */
  public RbacRef {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
    if (kind.namespaced() == namespace.isEmpty()) {
      throw InvalidInputException.of(
          ErrorCode.INVALID_NAMESPACE,
          "namespace of " + kind + " " + name,
          namespace,
          kind.namespaced()
              ? "is empty; it needs a namespace."
              : "must be \"\": it is cluster-scoped.");
    }
  }

  /**
   * A binding's reference: a RoleBinding in {@code namespace}, or a ClusterRoleBinding when it is
   * {@code ""}.
   *
   * @param namespace the namespace, or {@code ""}
   * @param name the name
   * @return the reference
   */
  public static RbacRef binding(String namespace, String name) {
    return new RbacRef(
        namespace.isEmpty() ? Kind.CLUSTER_ROLE_BINDING : Kind.ROLE_BINDING, namespace, name);
  }

  /**
   * A role's reference: a Role in {@code namespace}, or a ClusterRole when it is {@code ""}.
   *
   * @param namespace the namespace, or {@code ""}
   * @param name the name
   * @return the reference
   */
  public static RbacRef role(String namespace, String name) {
    return new RbacRef(namespace.isEmpty() ? Kind.CLUSTER_ROLE : Kind.ROLE, namespace, name);
  }

  /**
   * A RoleBinding's reference.
   *
   * @param namespace the namespace
   * @param name the name
   * @return the reference
   */
  public static RbacRef roleBinding(String namespace, String name) {
    return new RbacRef(Kind.ROLE_BINDING, namespace, name);
  }

  /**
   * The reference of a binding.
   *
   * @param binding the binding
   * @return its reference
   */
  public static RbacRef of(RbacBinding binding) {
    return binding(binding.namespace(), binding.name());
  }

  /**
   * The reference of a role.
   *
   * @param role the role
   * @return its reference
   */
  public static RbacRef of(RbacRole role) {
    return role(role.namespace(), role.name());
  }

  @Override
  public String toString() {
    String k =
        switch (kind) {
          case ROLE -> "Role ";
          case CLUSTER_ROLE -> "ClusterRole ";
          case ROLE_BINDING -> "RoleBinding ";
          case CLUSTER_ROLE_BINDING -> "ClusterRoleBinding ";
        };
    return k + (namespace.isEmpty() ? "" : namespace + "/") + name;
  }
}
