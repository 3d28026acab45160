package dev.eksaccess.api;

import dev.eksaccess.api.support.Names;
import java.util.Objects;

/**
 * A reference to a Kubernetes ClusterRole, bound cluster-wide or in namespaces.
 *
 * <pre>{@code
 * ClusterAccess.grant(role).asGroup("acme:devs").bind(ClusterRole.VIEW).inNamespace("prod-apps");
 * ClusterAccess.grant(role).asGroup("acme:sre").bind(ClusterRole.named("sre-debug")).clusterWide();
 * }</pre>
 *
 * @param name the ClusterRole's name
 */
public record ClusterRole(String name) implements RoleRef {
  /** The default {@code view} ClusterRole: read most objects, no Secrets. */
  public static final ClusterRole VIEW = new ClusterRole("view");

  /** The default {@code edit} ClusterRole: read and write most objects, no RBAC. */
  public static final ClusterRole EDIT = new ClusterRole("edit");

  /** The default {@code admin} ClusterRole: edit plus Roles and RoleBindings in a namespace. */
  public static final ClusterRole ADMIN = new ClusterRole("admin");

  /** The default {@code cluster-admin} ClusterRole: everything. */
  public static final ClusterRole CLUSTER_ADMIN = new ClusterRole("cluster-admin");

  /**
   * Checks the name as the API server does.
   *
   * @throws InvalidInputException ({@link ErrorCode#INVALID_NAME}) if Kubernetes would reject it
   */
  public ClusterRole {
    Objects.requireNonNull(name, "name");
    Names.require(Names.rbacName(name, "clusterRole"), ErrorCode.INVALID_NAME);
  }

  /**
   * A ClusterRole by name.
   *
   * <pre>{@code
   * ClusterRole.named("system:discovery");
   * }</pre>
   *
   * @param name the name
   * @return the reference
   * @throws InvalidInputException if Kubernetes would reject the name
   */
  public static ClusterRole named(String name) {
    return new ClusterRole(name);
  }

  @Override
  public String toString() {
    return "ClusterRole " + name;
  }
}
