package dev.eksaccess.api;

/**
 * An IAM principal that EKS can map to a Kubernetes identity: an {@link IamRole} or an {@link
 * IamUser}.
 *
 * <pre>{@code
 * Principal p = IamRole.of("arn:aws:iam::111122223333:role/DevTeamRole");
 * p.arn().accountId();   // "111122223333"
 * }</pre>
 */
public sealed interface Principal permits IamRole, IamUser {
  /**
   * The principal's ARN, with its IAM path when it has one.
   *
   * @return the ARN
   */
  Arn arn();

  /**
   * The principal's name: the last segment of its ARN.
   *
   * @return the role or user name
   */
  default String name() {
    return arn().resourceName();
  }

  /**
   * The account the principal belongs to.
   *
   * @return the 12-digit account id
   */
  default String accountId() {
    return arn().accountId();
  }
}
