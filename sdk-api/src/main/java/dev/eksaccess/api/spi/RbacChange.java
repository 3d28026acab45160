package dev.eksaccess.api.spi;

import java.util.Objects;

/**
 * One change to layer 2.
 *
 * <pre>{@code
 * RbacChange add = new RbacChange.PutBinding(binding);
 * RbacChange drop = new RbacChange.DeleteBinding("prod-apps", "devs-view");
 * }</pre>
 */
public sealed interface RbacChange {
  /**
   * Creates or replaces a binding. A binding's roleRef cannot change: delete it first.
   *
   * @param binding the binding as it should be
   */
  record PutBinding(RbacBinding binding) implements RbacChange {
    /** Checks for null. */
    public PutBinding {
      Objects.requireNonNull(binding, "binding");
    }
  }

  /**
   * Deletes a binding.
   *
   * @param namespace its namespace, {@code ""} for a ClusterRoleBinding
   * @param name its name
   */
  record DeleteBinding(String namespace, String name) implements RbacChange {
    /** Checks for nulls. */
    public DeleteBinding {
      Objects.requireNonNull(namespace, "namespace");
      Objects.requireNonNull(name, "name");
    }
  }

  /**
   * Creates or replaces a Role or ClusterRole.
   *
   * @param role the role as it should be
   */
  record PutRole(RbacRole role) implements RbacChange {
    /** Checks for null. */
    public PutRole {
      Objects.requireNonNull(role, "role");
    }
  }

  /**
   * Deletes a Role or ClusterRole.
   *
   * @param namespace its namespace, {@code ""} for a ClusterRole
   * @param name its name
   */
  record DeleteRole(String namespace, String name) implements RbacChange {
    /** Checks for nulls. */
    public DeleteRole {
      Objects.requireNonNull(namespace, "namespace");
      Objects.requireNonNull(name, "name");
    }
  }
}
