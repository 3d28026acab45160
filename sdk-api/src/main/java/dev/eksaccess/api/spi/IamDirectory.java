package dev.eksaccess.api.spi;

import dev.eksaccess.api.ErrorCode;
import dev.eksaccess.api.IamRole;
import dev.eksaccess.api.InvalidInputException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What IAM knows about roles, for the questions EKS leaves open: is the role an access entry or
 * mapping names still there, is it the same role (EKS binds an access entry to the role's unique
 * id, so a role deleted and created again under the same name leaves the entry dead), and which
 * role an IAM Identity Center permission set made. Optional: a {@link
 * dev.eksaccess.api.ClusterAccess} without one never asks IAM. Implemented over the AWS SDK's
 * {@code IamClient} by {@code IamRoles.directory(iam, account)} in {@code sdk-access-entries}, and
 * in memory by the testkit's {@code FakeIam}.
 *
 * <pre>{@code
 * IamDirectory iam = IamRoles.directory(IamClient.create(), "111122223333");
 * iam.role("111122223333", "DevTeamRole").map(IamDirectory.RoleDetails::roleId);   // AROA...
 * }</pre>
 *
 * <p>Implementations throw only SDK exceptions ({@link dev.eksaccess.api.BackendException} for
 * AccessDenied, throttling and other failures of IAM); callers that must not fail, such as audit,
 * turn them into findings.
 */
public interface IamDirectory {
  /**
   * Whether this directory can answer for roles of {@code accountId}: IAM answers only for the
   * account of its credentials.
   *
   * @param accountId a 12-digit account id
   * @return true if {@link #role} and {@link #roles} can look there
   */
  boolean covers(String accountId);

  /**
   * The role named {@code roleName} in {@code accountId}, as IAM {@code GetRole} reports it: its
   * ARN with its path, its unique id and when it was created.
   *
   * @param accountId the account, one this directory {@link #covers}
   * @param roleName the role's name, without path
   * @return the role, or empty if IAM has no role of that name
   * @throws dev.eksaccess.api.BackendException if IAM fails or refuses (AccessDenied, throttling)
   * @throws InvalidInputException if this directory does not cover {@code accountId}
   */
  Optional<RoleDetails> role(String accountId, String roleName);

  /**
   * Every role of {@code accountId} whose path starts with {@code pathPrefix}, as IAM {@code
   * ListRoles} with {@code PathPrefix} reports them (every page).
   *
   * @param accountId the account, one this directory {@link #covers}
   * @param pathPrefix a path prefix that starts and ends with {@code /}, such as {@code
   *     /aws-reserved/sso.amazonaws.com/}
   * @return the roles, in IAM's order
   * @throws dev.eksaccess.api.BackendException if IAM fails or refuses
   * @throws InvalidInputException if this directory does not cover {@code accountId} or the prefix
   *     is not a path
   */
  List<RoleDetails> roles(String accountId, String pathPrefix);

  /**
   * One IAM role as IAM reports it.
   *
   * <pre>{@code
   * new IamDirectory.RoleDetails(IamRole.of("arn:aws:iam::111122223333:role/teams/Dev"),
   *     "AROAEXAMPLEID", Instant.parse("2026-01-01T00:00:00Z"));
   * }</pre>
   *
   * @param role the role, its ARN with its path
   * @param roleId the role's unique id ({@code AROA...}), which EKS binds an access entry to
   * @param createDate when IAM created the role
   */
  record RoleDetails(IamRole role, String roleId, Instant createDate) {
    /** Checks for nulls and that {@code roleId} is non-blank. */
    public RoleDetails {
      Objects.requireNonNull(role, "role");
      Objects.requireNonNull(roleId, "roleId");
      Objects.requireNonNull(createDate, "createDate");
      if (roleId.isBlank()) {
        throw InvalidInputException.of(
            ErrorCode.INVALID_ARGUMENT,
            "roleId",
            roleId,
            "is blank; IAM gives every role a unique id such as AROAEXAMPLEID.");
      }
    }
  }

  /**
   * Checks an IAM path prefix: starts and ends with {@code /}, IAM's path characters only.
   *
   * @param pathPrefix the prefix
   * @return the prefix
   * @throws InvalidInputException ({@link ErrorCode#INVALID_ARGUMENT}) if it is not a path
   */
  static String requirePathPrefix(String pathPrefix) {
    Objects.requireNonNull(pathPrefix, "pathPrefix");
    // IAM's rule for paths: "/" or "/" + printable ASCII + "/", at most 512 characters
    if (!pathPrefix.matches("/|/[\\x21-\\x7E]{1,510}/")) {
      throw InvalidInputException.of(
          ErrorCode.INVALID_ARGUMENT,
          "pathPrefix",
          pathPrefix,
          "is not an IAM path: it starts and ends with / and holds printable ASCII without spaces,"
              + " such as /aws-reserved/sso.amazonaws.com/.");
    }
    return pathPrefix;
  }
}
