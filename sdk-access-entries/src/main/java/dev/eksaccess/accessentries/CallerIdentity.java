package dev.eksaccess.accessentries;

import dev.eksaccess.accessentries.support.EksErrors;
import dev.eksaccess.api.Caller;
import java.util.Objects;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;

/**
 * Who the AWS credentials belong to, from STS GetCallerIdentity, and the {@link Caller} EKS will
 * see. An assumed-role session reports its role without the IAM path, while access entries name
 * roles with it: EKS (and eks-access) match them by partition, account and role name.
 *
 * <pre>{@code
 * CallerIdentity me = CallerIdentity.whoAmI(StsClient.create());
 * ClusterAccess.builder().clusterName("prod").identities(ids).actingAs(me.caller()).build();
 * }</pre>
 *
 * @param account the 12-digit account
 * @param arn the caller's ARN, as STS reports it
 * @param userId the unique id of the principal (and the session, for a role)
 */
public record CallerIdentity(String account, String arn, String userId) {
  /** Checks for nulls. */
  public CallerIdentity {
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(arn, "arn");
    Objects.requireNonNull(userId, "userId");
  }

  /**
   * Asks STS who the client's credentials belong to.
   *
   * @param sts the STS client, with the credentials to ask about
   * @return the identity
   * @throws dev.eksaccess.api.BackendException if STS refuses (expired credentials, say) or fails
   */
  public static CallerIdentity whoAmI(StsClient sts) {
    Objects.requireNonNull(sts, "sts");
    GetCallerIdentityResponse r;
    try {
      r = sts.getCallerIdentity();
    } catch (SdkException e) {
      throw EksErrors.failure("STS GetCallerIdentity", e);
    }
    return new CallerIdentity(r.account(), r.arn(), r.userId());
  }

  /**
   * The caller, as aws-auth and access entries see it: an assumed-role session becomes its role.
   *
   * @return the caller
   * @throws dev.eksaccess.api.InvalidInputException if the ARN is not an IAM user, role or
   *     assumed-role session (a federated user, say)
   */
  public Caller caller() {
    return Caller.of(arn);
  }
}
