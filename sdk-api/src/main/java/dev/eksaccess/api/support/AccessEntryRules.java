package dev.eksaccess.api.support;

import dev.eksaccess.api.ErrorCode;
import dev.eksaccess.api.IamRole;
import dev.eksaccess.api.IamUser;
import dev.eksaccess.api.InvalidInputException;
import dev.eksaccess.api.InvalidInputException.Problem;
import dev.eksaccess.api.Principal;
import dev.eksaccess.api.spi.IdentityMapping;
import java.util.ArrayList;
import java.util.List;

/**
 * What EKS refuses in an access entry, checked before anything is written: service-linked roles,
 * {@code system:} groups, reserved username prefixes, and a {@code {{SessionName}}} with no colon
 * before it. The planner and the testkit's fake both use these rules, so they cannot drift.
 */
@BackendSupport
public final class AccessEntryRules {
  /** Username prefixes EKS reserves. */
  public static final List<String> RESERVED_USERNAME_PREFIXES = ReservedNames.PREFIXES;

  private AccessEntryRules() {}

  /** Every problem EKS would report for this mapping; empty when it would accept it. */
  public static List<Problem> problems(IdentityMapping m, String where) {
    List<Problem> problems = new ArrayList<>();
    if (m.principal() instanceof IamRole role && role.isServiceLinked()) {
      problems.add(
          new Problem(
              where + " principalArn",
              role.toString(),
              "is a service-linked role; EKS does not allow access entries for service-linked"
                  + " roles."));
    }
    for (int i = 0; i < m.groups().size(); i++) {
      String g = m.groups().get(i);
      if (g.startsWith("system:")) {
        problems.add(
            new Problem(
                where + " groups[" + i + "]",
                g,
                "starts with system:, which EKS refuses in access entries. Use a group of your own,"
                    + " or for cluster admins bind AccessPolicy.CLUSTER_ADMIN clusterWide()."));
      }
    }
    if (m.username().isPresent()) {
      String u = m.username().get();
      for (String prefix : RESERVED_USERNAME_PREFIXES) {
        if (u.startsWith(prefix)) {
          problems.add(
              new Problem(
                  where + " username", u, "must not begin with " + prefix + " (EKS reserves it)."));
        }
      }
      int session = u.indexOf("{{SessionName");
      if (session >= 0 && u.lastIndexOf(':', session) < 0) {
        problems.add(
            new Problem(
                where + " username",
                u,
                "needs a colon before {{SessionName}}, as EKS requires (write \"dev:{{SessionName}}\")."));
      }
    }
    return problems;
  }

  /** The exception for these problems, coded by the first: username, principal, or group. */
  public static InvalidInputException exception(List<Problem> problems) {
    String first = problems.get(0).location();
    ErrorCode code =
        first.endsWith("username")
            ? ErrorCode.INVALID_USERNAME
            : first.endsWith("principalArn") ? ErrorCode.INVALID_ARN : ErrorCode.INVALID_GROUP;
    return new InvalidInputException(code, problems);
  }

  /**
   * The username EKS gives an access entry that names none, and the one eks-access writes to
   * aws-auth for a mapping without one (aws-auth would otherwise use the empty username): the
   * session ARN for a role, the user ARN for a user.
   */
  public static String defaultUsername(Principal p) {
    if (p instanceof IamUser) {
      return p.arn().value();
    }
    return "arn:"
        + p.arn().partition()
        + ":sts::"
        + p.accountId()
        + ":assumed-role/"
        + p.name()
        + "/{{SessionName}}";
  }
}
