package dev.eksaccess.accessentries;

import dev.eksaccess.accessentries.support.EksErrors;
import dev.eksaccess.api.BackendException;
import dev.eksaccess.api.EksAccessException;
import dev.eksaccess.api.ErrorCode;
import dev.eksaccess.api.IamRole;
import dev.eksaccess.api.InvalidInputException;
import dev.eksaccess.api.spi.IamDirectory;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.ListRolesResponse;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.Role;

/**
 * The {@link IamDirectory} over the AWS SDK's {@code IamClient}: {@code GetRole} by name, {@code
 * ListRoles} by path prefix (every page). IAM answers only for the account of its credentials, so
 * the directory is told which account that is, and says it does not cover the others.
 *
 * <pre>{@code
 * IamClient iamClient = IamClient.builder().region(Region.AWS_GLOBAL).build();
 * String account = CallerIdentity.whoAmI(StsClient.create()).account();
 * ClusterAccess prod = ClusterAccess.builder().clusterName("prod")
 *     .identities(AccessEntries.backend(eks, "prod"))
 *     .iam(IamRoles.directory(iamClient, account))
 *     .build();
 * prod.audit().findings();   // with DEAD_ENTRY_ROLE_RECREATED, MAPPING_TO_MISSING_ROLE
 * }</pre>
 *
 * <p>It needs {@code iam:GetRole} and {@code iam:ListRoles}; without them audit reports {@code
 * IAM_LOOKUP_FAILED} instead of failing. The client keeps its own retries for throttling.
 */
public final class IamRoles {
  private IamRoles() {}

  /**
   * A directory over {@code iam}, answering for {@code accountId}.
   *
   * @param iam the IAM client, with credentials of {@code accountId}
   * @param accountId the 12-digit account the credentials belong to (STS GetCallerIdentity: {@link
   *     CallerIdentity#account()})
   * @return the directory
   * @throws InvalidInputException ({@link ErrorCode#INVALID_ARGUMENT}) if {@code accountId} is not
   *     12 digits
   */
  public static IamDirectory directory(IamClient iam, String accountId) {
    Objects.requireNonNull(iam, "iam");
    Objects.requireNonNull(accountId, "accountId");
    if (!accountId.matches("\\d{12}")) {
      throw InvalidInputException.of(
          ErrorCode.INVALID_ARGUMENT,
          "accountId",
          accountId,
          "is not a 12-digit AWS account id; pass the account of the IAM client's credentials"
              + " (CallerIdentity.whoAmI(sts).account()).");
    }
    return new Directory(iam, accountId);
  }

  private static final class Directory implements IamDirectory {
    private final IamClient iam;
    private final String accountId;

    Directory(IamClient iam, String accountId) {
      this.iam = iam;
      this.accountId = accountId;
    }

    @Override
    public boolean covers(String account) {
      return accountId.equals(account);
    }

    @Override
    public Optional<RoleDetails> role(String account, String roleName) {
      requireCovered(account);
      Objects.requireNonNull(roleName, "roleName");
      try {
        return Optional.of(details(iam.getRole(r -> r.roleName(roleName)).role()));
      } catch (NoSuchEntityException gone) {
        return Optional.empty();
      } catch (SdkException e) {
        throw failure("GetRole " + roleName, e);
      }
    }

    @Override
    public List<RoleDetails> roles(String account, String pathPrefix) {
      requireCovered(account);
      IamDirectory.requirePathPrefix(pathPrefix);
      List<RoleDetails> out = new ArrayList<>();
      try {
        String marker = null;
        do {
          String m = marker;
          ListRolesResponse page =
              iam.listRoles(r -> r.pathPrefix(pathPrefix).marker(m).maxItems(1000));
          for (Role r : page.roles()) {
            out.add(details(r));
          }
          marker = Boolean.TRUE.equals(page.isTruncated()) ? page.marker() : null;
        } while (marker != null);
      } catch (SdkException e) {
        throw failure("ListRoles " + pathPrefix, e);
      }
      return out;
    }

    @Override
    public String toString() {
      return "IAM of account " + accountId;
    }

    private void requireCovered(String account) {
      if (!covers(account)) {
        throw InvalidInputException.of(
            ErrorCode.INVALID_ARGUMENT,
            "accountId",
            account,
            "is not the account this IAM directory answers for ("
                + accountId
                + "); IAM sees only its credentials' account.");
      }
    }

    private static RoleDetails details(Role r) {
      return new RoleDetails(IamRole.of(r.arn()), r.roleId(), r.createDate());
    }

    private static EksAccessException failure(String what, SdkException e) {
      if (!(e instanceof AwsServiceException)) {
        return new BackendException(
            "IAM "
                + what
                + " failed without an answer from IAM ("
                + e.getMessage()
                + "); retrying may succeed.",
            0,
            null,
            true,
            e);
      }
      EksAccessException translated = EksErrors.failure("IAM " + what, e);
      if (EksErrors.code(e).equals("AccessDenied") && translated instanceof BackendException b) {
        return new BackendException(
            b.getMessage()
                + " Grant iam:GetRole and iam:ListRoles to the credentials eks-access uses for IAM.",
            b.statusCode(),
            b.requestId().orElse(null),
            false,
            e);
      }
      return translated;
    }
  }
}
