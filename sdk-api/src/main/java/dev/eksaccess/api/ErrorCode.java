package dev.eksaccess.api;

/**
 * What went wrong, as a value callers can branch on and tests can assert.
 *
 * <pre>{@code
 * try {
 *   IamRole.of(arn);
 * } catch (InvalidInputException e) {
 *   if (e.code() == ErrorCode.INVALID_ARN) { ... }
 * }
 * }</pre>
 */
public enum ErrorCode {
  /** An ARN that does not parse, or is not the kind of ARN the call needs. */
  INVALID_ARN,
  /**
   * An argument out of its range or at odds with another: a negative duration, a retry count below
   * 1, a fleet without clusters, a kubeconfig context that does not exist. The message names it and
   * what would do.
   */
  INVALID_ARGUMENT,
  /** A Kubernetes group name that Kubernetes or the backend would not accept as written. */
  INVALID_GROUP,
  /** A Kubernetes username (or username template) that would not work as written. */
  INVALID_USERNAME,
  /** A namespace that is not a DNS-1123 label. */
  INVALID_NAMESPACE,
  /** A Role, ClusterRole or binding name that Kubernetes would reject. */
  INVALID_NAME,
  /** A request to explain that is not a well-formed Kubernetes request. */
  INVALID_REQUEST,
  /** Grants that contradict each other, such as two usernames for one principal. */
  INVALID_GRANT,
  /** A value built without one of its required attributes. */
  INCOMPLETE_VALUE,
  /** The backend cannot express the grant, such as an access policy on aws-auth. */
  UNSUPPORTED_BY_BACKEND,
  /** The change would remove the last cluster-admin-equivalent mapping. */
  LOCKOUT_LAST_ADMIN,
  /** The change would remove a node role mapping, so nodes could no longer join. */
  LOCKOUT_NODE_ROLE,
  /** The change would remove the mapping of the identity that applies it. */
  LOCKOUT_OWN_MAPPING,
  /**
   * Moving the cluster to authentication mode {@code API} with no cluster-admin access entry:
   * aws-auth stops counting, and nobody could administer the cluster.
   */
  LOCKOUT_AUTH_MODE,
  /** An authentication mode move EKS refuses: a skip, a step back, or to the same mode. */
  INVALID_MODE_CHANGE,
  /** A {@code system:masters} grant outside an explicit break-glass call. */
  SYSTEM_MASTERS_GRANT,
  /** The cluster changed since it was read; nothing was written. */
  CONFLICT,
  /** The remote side (AWS or the Kubernetes API server) failed. */
  BACKEND_FAILURE,
  /** The existing aws-auth ConfigMap cannot be read as written. */
  MALFORMED_AWS_AUTH,
  /** A Kubernetes manifest (RBAC YAML) is not YAML, or an object in it is malformed. */
  MALFORMED_MANIFEST,
  /** A binding refers to a Role or ClusterRole that does not exist. */
  MISSING_ROLE,
  /**
   * The change would remove or change an access entry that EKS or an AWS service manages (see
   * {@code ManagedEntry}); force {@code Guard.AWS_MANAGED_ENTRY} if that service is gone.
   */
  AWS_MANAGED_ENTRY,
  /**
   * An apply stopped part way and could not undo what it had written; the exception lists what is
   * left on the cluster.
   */
  INCOMPLETE_APPLY,
  /** The operation's {@link Deadline} passed before it finished; nothing more was started. */
  DEADLINE_EXCEEDED,
  /**
   * An IAM Identity Center permission set with no {@code AWSReservedSSO_} role in the account: not
   * assigned there, or misspelled.
   */
  PERMISSION_SET_NOT_FOUND,
  /** An IAM Identity Center permission set with several roles in one account. */
  PERMISSION_SET_AMBIGUOUS,
  /**
   * An operation that needs IAM ({@link dev.eksaccess.api.spi.IamDirectory}) and was given none.
   */
  IAM_NOT_CONFIGURED
}
