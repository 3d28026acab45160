package dev.eksaccess.accessentries;

import dev.eksaccess.api.ErrorCode;
import dev.eksaccess.api.IamRole;
import dev.eksaccess.api.InvalidInputException;
import java.util.Objects;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

/**
 * Credentials for another account, for a fleet's clusters there: the AWS SDK's own STS AssumeRole
 * provider, which refreshes the session before it expires, with the role and session name checked
 * first. The session name shows in CloudTrail and, through aws-auth's {@code {{SessionName}}}, in
 * the cluster's audit log, so name the tool or person.
 *
 * <pre>{@code
 * StsAssumeRoleCredentialsProvider prodUs = AssumeRole.credentials(sts,
 *     IamRole.of("arn:aws:iam::444455556666:role/EksAccessAdmin"), "eks-access-rollout");
 * EksClient eks = EksClient.builder().region(Region.US_EAST_1).credentialsProvider(prodUs).build();
 * fleet.cluster("prod-us", () -> ClusterAccess.builder().clusterName("prod-us")
 *     .identities(AccessEntries.backend(eks, "prod-us")).build());
 * }</pre>
 */
public final class AssumeRole {
  /** STS's rule for a role session name. */
  private static final Pattern SESSION_NAME = Pattern.compile("[\\w+=,.@-]{2,64}");

  private AssumeRole() {}

  /**
   * A credentials provider that assumes {@code role} through {@code sts} (whose own credentials
   * must be allowed to), and refreshes the session before it expires. Close it with the clients
   * that use it.
   *
   * @param sts the STS client, with the credentials that may assume the role
   * @param role the role to assume, usually in another account
   * @param sessionName 2 to 64 letters, digits or {@code _ + = , . @ -}
   * @return the provider; nothing is called until credentials are first needed
   * @throws InvalidInputException if the session name breaks STS's rule
   */
  public static StsAssumeRoleCredentialsProvider credentials(
      StsClient sts, IamRole role, String sessionName) {
    Objects.requireNonNull(sts, "sts");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(sessionName, "sessionName");
    if (!SESSION_NAME.matcher(sessionName).matches()) {
      throw InvalidInputException.of(
          ErrorCode.INVALID_REQUEST,
          "AssumeRole sessionName",
          sessionName,
          "must be 2 to 64 letters, digits or _ + = , . @ - (STS refuses anything else); use a"
              + " name such as \"eks-access-rollout\".");
    }
    String arn = role.arn().value();
    return StsAssumeRoleCredentialsProvider.builder()
        .stsClient(sts)
        .refreshRequest(r -> r.roleArn(arn).roleSessionName(sessionName))
        .build();
  }
}
