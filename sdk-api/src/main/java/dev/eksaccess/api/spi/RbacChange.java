package dev.eksaccess.api.spi;

import java.util.Objects;

/**
 * One change to layer 2, with its precondition on that one object: {@link Version#ABSENT} (create;
 * refused if someone made it first), a version read before (refused if the object moved on since),
 * or {@link Version#ANY} (unconditional). A refused precondition is a lost race ({@link
 * dev.eksaccess.api.ConflictException}) for that object alone; writers of other objects never
 * conflict with it.
 *
 * <pre>{@code
 * RbacChange add = new RbacChange.PutBinding(binding, Version.ABSENT);
 * RbacChange drop = new RbacChange.DeleteBinding("prod-apps", "devs-view", snapshot.versionOf(ref));
 * }</pre>
 */
public sealed interface RbacChange {
  /**
   * The object this change writes.
   *
   * @return its reference
   */
  RbacRef ref();

  /**
   * The state the object must be in for the change to apply.
   *
   * @return the precondition
   */
  Version expected();

  /**
   * Creates or replaces a binding. A binding's roleRef cannot change: delete it first.
   *
   * @param binding the binding as it should be
   * @param expected the precondition on the binding
   */
  record PutBinding(RbacBinding binding, Version expected) implements RbacChange {
    /** Checks for null. */
    public PutBinding {
      Objects.requireNonNull(binding, "binding");
      Objects.requireNonNull(expected, "expected");
    }

    /**
     * An unconditional put.
     *
     * @param binding the binding as it should be
     */
    public PutBinding(RbacBinding binding) {
      this(binding, Version.ANY);
    }

    @Override
    public RbacRef ref() {
      return RbacRef.of(binding);
    }
  }

  /**
   * Deletes a binding.
   *
   * @param namespace its namespace, {@code ""} for a ClusterRoleBinding
   * @param name its name
   * @param expected the precondition on the binding
   */
  record DeleteBinding(String namespace, String name, Version expected) implements RbacChange {
    /** Checks for nulls. */
    public DeleteBinding {
      Objects.requireNonNull(namespace, "namespace");
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(expected, "expected");
    }

    /**
     * An unconditional delete.
     *
     * @param namespace its namespace, {@code ""} for a ClusterRoleBinding
     * @param name its name
     */
    public DeleteBinding(String namespace, String name) {
      this(namespace, name, Version.ANY);
    }

    @Override
    public RbacRef ref() {
      return RbacRef.binding(namespace, name);
    }
  }

  /**
   * Creates or replaces a Role or ClusterRole.
   *
   * @param role the role as it should be
   * @param expected the precondition on the role
   */
  record PutRole(RbacRole role, Version expected) implements RbacChange {
    /** Checks for null. */
    public PutRole {
      Objects.requireNonNull(role, "role");
      Objects.requireNonNull(expected, "expected");
    }

    /**
     * An unconditional put.
     *
     * @param role the role as it should be
     */
    public PutRole(RbacRole role) {
      this(role, Version.ANY);
    }

    @Override
    public RbacRef ref() {
      return RbacRef.of(role);
    }
  }

  /**
   * Deletes a Role or ClusterRole.
   *
   * @param namespace its namespace, {@code ""} for a ClusterRole
   * @param name its name
   * @param expected the precondition on the role
   */
  record DeleteRole(String namespace, String name, Version expected) implements RbacChange {
    /** Checks for nulls. */
    public DeleteRole {
      Objects.requireNonNull(namespace, "namespace");
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(expected, "expected");
    }

    /**
     * An unconditional delete.
     *
     * @param namespace its namespace, {@code ""} for a ClusterRole
     * @param name its name
     */
    public DeleteRole(String namespace, String name) {
      this(namespace, name, Version.ANY);
    }

    @Override
    public RbacRef ref() {
      return RbacRef.role(namespace, name);
    }
  }
}
