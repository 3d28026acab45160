package dev.eksaccess.api;

import dev.eksaccess.api.spi.IamDirectory;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An IAM Identity Center (SSO) permission set, known by its name. IAM Identity Center provisions
 * one role per permission set in each account it is assigned to, named {@code
 * AWSReservedSSO_<name>_<unique-suffix>} under the path {@code
 * /aws-reserved/sso.amazonaws.com/<region>/} (no region segment when the identity source is in
 * us-east-1); when the last assignment goes the role is deleted, and a new assignment creates a
 * role with another suffix (IAM Identity Center user guide, "Referencing permission sets in
 * resource policies, Amazon EKS cluster config maps, and AWS KMS key policies"). The suffix is not
 * known in advance and changes, so a grant names the permission set and IAM resolves it.
 *
 * <pre>{@code
 * IamRole admins = SsoPermissionSet.named("Admin").roleIn("111122223333", iam);
 * // arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Admin_0123456789abcdef
 * prod.plan(ClusterAccess.grant(admins).asGroup("acme:admins").bind(ClusterRole.ADMIN).clusterWide());
 * }</pre>
 *
 * <p>Each backend then names the role by its own rule (the planner applies it): Access Entries take
 * the role's ARN with its path, aws-auth without it (EKS user guide, "Create access entries": "If
 * the ARN is for an IAM role, it can include a path. ARNs in aws-auth ConfigMap entries, can't
 * include a path"; aws-iam-authenticator compares the session's canonical ARN, {@code role/NAME},
 * as text, and EKS refuses the path-less form of an SSO role as an invalid principal,
 * terraform-aws-modules/terraform-aws-eks#2969). A permission set assigned again leaves the old
 * role's mappings dead: {@link ClusterAccess#audit()} with an IAM directory reports them.
 *
 * @param name the permission set's name
 */
public record SsoPermissionSet(String name) {
  /** The IAM path under which IAM Identity Center creates its roles. */
  public static final String PATH = "/aws-reserved/sso.amazonaws.com/";

  /** The role-name prefix of every IAM Identity Center role. */
  public static final String ROLE_PREFIX = "AWSReservedSSO_";

  // IAM Identity Center's rule for permission set names (CreatePermissionSet: [\w+=,.@-]+, 1-32)
  private static final Pattern NAME = Pattern.compile("[\\w+=,.@-]{1,32}");
  // the hash is the last underscore-separated part; a name may itself hold underscores
  private static final Pattern ROLE_NAME =
      Pattern.compile("AWSReservedSSO_([\\w+=,.@-]{1,32})_([0-9A-Za-z]+)");

  /**
   * Checks the name as IAM Identity Center does.
   *
   * @throws InvalidInputException ({@link ErrorCode#INVALID_ARGUMENT}) if it is not a permission
   *     set name
   */
  public SsoPermissionSet {
    Objects.requireNonNull(name, "name");
    if (!NAME.matcher(name).matches()) {
      throw InvalidInputException.of(
          ErrorCode.INVALID_ARGUMENT,
          "permissionSet",
          name,
          "is not an IAM Identity Center permission set name: 1 to 32 letters, digits and"
              + " _+=,.@- (the name as the IAM Identity Center console shows it, not the"
              + " AWSReservedSSO_ role name).");
    }
  }

  /**
   * The permission set called {@code name}.
   *
   * @param name the name, as the IAM Identity Center console shows it, such as {@code Admin}
   * @return the permission set
   * @throws InvalidInputException if {@code name} is not a permission set name
   */
  public static SsoPermissionSet named(String name) {
    return new SsoPermissionSet(name);
  }

  /**
   * The permission set whose role this is, if it is an IAM Identity Center role.
   *
   * <pre>{@code
   * SsoPermissionSet.of(IamRole.of("arn:aws:iam::111122223333:role/AWSReservedSSO_Admin_0123456789abcdef"));
   * // Optional[Admin]
   * }</pre>
   *
   * @param role a role, with or without its path
   * @return the permission set, or empty for any other role
   */
  public static Optional<SsoPermissionSet> of(IamRole role) {
    Objects.requireNonNull(role, "role");
    String path = role.path();
    if (!path.equals("/") && !path.startsWith(PATH)) {
      return Optional.empty(); // only IAM Identity Center creates AWSReservedSSO_ roles, there
    }
    Matcher m = ROLE_NAME.matcher(role.name());
    return m.matches() ? Optional.of(new SsoPermissionSet(m.group(1))) : Optional.empty();
  }

  /**
   * The permission set a caller signed in with, if it is an IAM Identity Center session: its
   * session name is then the user's name in IAM Identity Center.
   *
   * <pre>{@code
   * Caller alice = Caller.of(
   *     "arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_Admin_0123456789abcdef/alice@example.com");
   * SsoPermissionSet.of(alice);   // Optional[Admin]
   * alice.sessionName();          // Optional[alice@example.com]
   * }</pre>
   *
   * @param caller the caller
   * @return the permission set, or empty if the caller is not an IAM Identity Center role
   */
  public static Optional<SsoPermissionSet> of(Caller caller) {
    Objects.requireNonNull(caller, "caller");
    return caller.role().flatMap(SsoPermissionSet::of);
  }

  /**
   * Whether {@code roleName} is this permission set's role: {@code AWSReservedSSO_<name>_<hash>},
   * this name exactly ({@code Admin} is not {@code Admin_ReadOnly}).
   *
   * @param roleName an IAM role name, without path
   * @return true if it is this permission set's role
   */
  public boolean matchesRoleName(String roleName) {
    Matcher m = ROLE_NAME.matcher(Objects.requireNonNull(roleName, "roleName"));
    return m.matches() && m.group(1).equals(name);
  }

  /**
   * The role IAM Identity Center provisioned for this permission set in {@code accountId}, with its
   * path: one IAM {@code ListRoles} with {@code PathPrefix /aws-reserved/sso.amazonaws.com/}.
   *
   * <pre>{@code
   * IamRole admins = SsoPermissionSet.named("Admin").roleIn("111122223333", iam);
   * }</pre>
   *
   * @param accountId the 12-digit account the permission set is assigned to
   * @param iam the IAM directory of that account
   * @return the role, its ARN with its path
   * @throws InvalidInputException {@link ErrorCode#PERMISSION_SET_NOT_FOUND} if the account has no
   *     role for it (not assigned there, or misspelled: the message lists the permission sets the
   *     account has), {@link ErrorCode#PERMISSION_SET_AMBIGUOUS} if it has several, {@link
   *     ErrorCode#INVALID_ARGUMENT} if the account id is malformed or {@code iam} does not cover it
   * @throws BackendException if IAM fails or refuses
   */
  public IamRole roleIn(String accountId, IamDirectory iam) {
    Objects.requireNonNull(accountId, "accountId");
    Objects.requireNonNull(iam, "iam");
    if (!Arn.ACCOUNT.matcher(accountId).matches()) {
      throw InvalidInputException.of(
          ErrorCode.INVALID_ARGUMENT,
          "accountId",
          accountId,
          "is not a 12-digit AWS account id; name the account the permission set is assigned to.");
    }
    if (!iam.covers(accountId)) {
      throw InvalidInputException.of(
          ErrorCode.INVALID_ARGUMENT,
          "accountId",
          accountId,
          "is not an account this IAM directory answers for ("
              + iam
              + "); IAM lists only the roles of its credentials' account, so pass a directory"
              + " with credentials of "
              + accountId
              + ".");
    }
    List<IamDirectory.RoleDetails> all = iam.roles(accountId, PATH);
    List<IamRole> found = new ArrayList<>();
    List<String> others = new ArrayList<>();
    for (IamDirectory.RoleDetails r : all) {
      IamRole role = r.role();
      if (!role.accountId().equals(accountId) || !role.path().startsWith(PATH)) {
        continue; // ListRoles answers for its own account and prefix; anything else is not ours
      }
      if (matchesRoleName(role.name())) {
        found.add(role);
      } else {
        of(role).ifPresent(p -> others.add(p.name()));
      }
    }
    if (found.isEmpty()) {
      throw InvalidInputException.of(
          ErrorCode.PERMISSION_SET_NOT_FOUND,
          "permissionSet",
          name,
          "has no role in account "
              + accountId
              + " (no "
              + ROLE_PREFIX
              + name
              + "_* role under "
              + PATH
              + "): assign the permission set to the account in IAM Identity Center first"
              + (others.isEmpty()
                  ? "; the account has no IAM Identity Center roles at all"
                  : ", or use one it has: " + String.join(", ", others.stream().sorted().toList()))
              + ".");
    }
    if (found.size() > 1) {
      throw InvalidInputException.of(
          ErrorCode.PERMISSION_SET_AMBIGUOUS,
          "permissionSet",
          name,
          "has "
              + found.size()
              + " roles in account "
              + accountId
              + " ("
              + String.join(", ", found.stream().map(IamRole::toString).toList())
              + "); IAM Identity Center keeps one per permission set, so one is left over from a"
              + " permission set deleted and created again. Grant the role you mean by its ARN"
              + " (IamRole.of), and delete the other.");
    }
    return found.get(0);
  }

  @Override
  public String toString() {
    return name;
  }
}
