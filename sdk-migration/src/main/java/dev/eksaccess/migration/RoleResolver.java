package dev.eksaccess.migration;

import dev.eksaccess.accessentries.support.EksErrors;
import dev.eksaccess.api.IamRole;
import dev.eksaccess.api.IamUser;
import dev.eksaccess.api.Principal;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;

/**
 * Finds a principal's real ARN, IAM path included: aws-auth names roles without their path, but an
 * access entry must name the role with it.
 *
 * <pre>{@code
 * RoleResolver.iam(IamClient.builder().region(Region.AWS_GLOBAL).build());
 * }</pre>
 */
@FunctionalInterface
public interface RoleResolver {
  /**
   * The principal as IAM knows it now.
   *
   * @param asWritten the principal as aws-auth names it
   * @return the principal with its path; empty if IAM has no such role or user any more
   */
  Optional<Principal> resolve(Principal asWritten);

  /**
   * Asks IAM (GetRole, GetUser) by name, in the client's account: a principal of another account is
   * kept as written, since this account's IAM cannot see it.
   *
   * @param iam the IAM client, with credentials of the cluster's account
   * @param account the account IAM answers for
   * @return the resolver
   */
  static RoleResolver iam(IamClient iam, String account) {
    Objects.requireNonNull(iam, "iam");
    Objects.requireNonNull(account, "account");
    return p -> {
      if (!p.accountId().equals(account)) {
        return Optional.of(p);
      }
      try {
        if (p instanceof IamRole) {
          return Optional.of(IamRole.of(iam.getRole(r -> r.roleName(p.name())).role().arn()));
        }
        if (p instanceof IamUser) {
          return Optional.of(IamUser.of(iam.getUser(r -> r.userName(p.name())).user().arn()));
        }
        return Optional.of(p);
      } catch (NoSuchEntityException gone) {
        return Optional.empty();
      } catch (SdkException e) {
        throw EksErrors.failure("IAM lookup of " + p, e);
      }
    };
  }

  /**
   * Takes every principal as written, without asking IAM: for planning offline. A role with a path
   * that aws-auth had to drop will then be named without it, which EKS refuses or mismatches.
   *
   * @return the resolver
   */
  static RoleResolver asWritten() {
    return Optional::of;
  }
}
