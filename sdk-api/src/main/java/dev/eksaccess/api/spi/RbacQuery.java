package dev.eksaccess.api.spi;

import java.util.List;

/**
 * What a scoped RBAC read must return, so that planning one grant reads what it touches and not the
 * whole cluster: the named objects (each present or known absent), and optionally every
 * ClusterRoleBinding (for the last-admin guard) and every binding eks-access manages (for the
 * clean-up of a revoke). A backend may return more; {@link RbacSnapshot#complete()} says whether it
 * returned everything.
 *
 * <pre>{@code
 * RbacSnapshot some = rbac.read(RbacQuery.of(List.of(RbacRef.roleBinding("apps", name)))
 *     .withClusterRoleBindings());
 * }</pre>
 *
 * @param objects the objects to read by name
 * @param clusterRoleBindings whether to list every ClusterRoleBinding
 * @param managedBindings whether to list every binding labelled {@code
 *     app.kubernetes.io/managed-by=eks-access}
 */
public record RbacQuery(
    List<RbacRef> objects, boolean clusterRoleBindings, boolean managedBindings) {
  /** Copies the list. */
  public RbacQuery {
    objects = List.copyOf(objects);
  }

  /**
   * These objects, by name.
   *
   * @param objects the objects
   * @return the query
   */
  public static RbacQuery of(List<RbacRef> objects) {
    return new RbacQuery(objects, false, false);
  }

  /**
   * The same query, listing every ClusterRoleBinding too.
   *
   * @return the query
   */
  public RbacQuery withClusterRoleBindings() {
    return new RbacQuery(objects, true, managedBindings);
  }

  /**
   * The same query, listing every binding eks-access manages too.
   *
   * @return the query
   */
  public RbacQuery withManagedBindings() {
    return new RbacQuery(objects, clusterRoleBindings, true);
  }
}
