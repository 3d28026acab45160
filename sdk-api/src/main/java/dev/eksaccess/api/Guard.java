package dev.eksaccess.api;

/**
 * A lockout guard: a change the planner refuses unless the caller overrides this guard by name.
 *
 * <pre>{@code
 * prod.planRevoke(nodeRole).force(Guard.NODE_ROLES).apply();
 * }</pre>
 */
public enum Guard {
  /** Removing the last cluster-admin-equivalent mapping would lock every administrator out. */
  LAST_ADMIN(ErrorCode.LOCKOUT_LAST_ADMIN),
  /**
   * Removing a node role mapping ({@code system:bootstrappers}, {@code system:nodes}) stops nodes
   * from joining.
   */
  NODE_ROLES(ErrorCode.LOCKOUT_NODE_ROLE),
  /**
   * {@code system:masters} bypasses RBAC and cannot be revoked by RBAC.
   *
   * @deprecated no longer forceable: a grant naming {@code system:masters} is refused with {@link
   *     InvalidInputException} (code {@link ErrorCode#SYSTEM_MASTERS_GRANT}), and {@link
   *     ClusterAccess#breakGlass(IamRole)} is the only way to grant it. Kept so that code forcing
   *     it still compiles; forcing it has no effect.
   */
  @Deprecated(since = "0.1.0")
  SYSTEM_MASTERS(ErrorCode.SYSTEM_MASTERS_GRANT),
  /**
   * Removing the mapping of the identity that applies the change (set with {@link
   * ClusterAccess.Builder#actingAs(Caller)}) locks the applier out of the cluster mid-change.
   */
  OWN_MAPPING(ErrorCode.LOCKOUT_OWN_MAPPING),
  /**
   * Moving a cluster to authentication mode {@code API} ends aws-auth for good; without an access
   * entry holding {@code AmazonEKSClusterAdminPolicy} at cluster scope, nobody administers it.
   */
  AUTH_MODE_ADMIN(ErrorCode.LOCKOUT_AUTH_MODE),
  /**
   * A binding to a Role or ClusterRole that does not exist grants nothing until someone creates
   * that role, possibly with more rules than the binding's author meant: a typo ({@code viewer} for
   * {@code view}) turns into a trap. Force it when the role is created by other means later.
   */
  MISSING_ROLE(ErrorCode.MISSING_ROLE),
  /**
   * An access entry EKS or an AWS service created for itself ({@link ManagedEntry}: node roles,
   * Auto Mode roles, capability roles, service-linked roles, the named cluster creator): removing
   * or changing it breaks what the service does, and the service may put it back. Force it when the
   * service it belonged to is gone.
   */
  AWS_MANAGED_ENTRY(ErrorCode.AWS_MANAGED_ENTRY);

  private final ErrorCode code;

  Guard(ErrorCode code) {
    this.code = code;
  }

  /**
   * The error code an {@link UnsafeChangeException} carries when this guard refuses.
   *
   * @return the code
   */
  public ErrorCode code() {
    return code;
  }
}
