package dev.eksaccess.api;

import java.util.Objects;
import java.util.Optional;

/**
 * Whoever called AWS, as STS {@code GetCallerIdentity} reports it: an IAM role or user, an STS
 * assumed-role session, a federated user or the account root.
 *
 * <pre>{@code
 * Caller jane = Caller.of("arn:aws:sts::111122223333:assumed-role/DevTeamRole/jane@example.com");
 * jane.role();          // Optional[arn:aws:iam::111122223333:role/DevTeamRole] (no path, as EKS sees it)
 * jane.sessionName();   // Optional[jane@example.com]
 * }</pre>
 *
 * @param arn the caller ARN
 */
public record Caller(Arn arn) {
  /** What kind of caller an ARN names. */
  public enum Kind {
    /** An IAM role ARN, used directly. */
    ROLE,
    /** An IAM user. */
    USER,
    /** An STS session of an assumed role. */
    ASSUMED_ROLE,
    /** An STS federated-user session. */
    FEDERATED_USER,
    /** The account root user. */
    ROOT
  }

  /**
   * Checks that {@code arn} is an ARN a caller can have: its kind, its 12-digit account, and for a
   * session the role it belongs to, so that {@link #role()}, {@link #principal()} and {@link
   * #canonicalArn()} never fail later.
   *
   * @throws InvalidInputException ({@link ErrorCode#INVALID_ARN}) if it is not
   */
  public Caller {
    Objects.requireNonNull(arn, "arn");
    Kind kind = kindOf(arn);
    if (!Arn.ACCOUNT.matcher(arn.accountId()).matches()) {
      throw InvalidInputException.of(
          ErrorCode.INVALID_ARN,
          "caller.account",
          arn.accountId(),
          "is not a 12-digit AWS account id; every caller STS reports belongs to one ("
              + "\"aws\" owns managed policies, not principals).");
    }
    if (kind == Kind.ASSUMED_ROLE) {
      try {
        roleOf(arn);
      } catch (InvalidInputException e) {
        throw InvalidInputException.of(
            ErrorCode.INVALID_ARN,
            "caller",
            arn.value(),
            "names a role that cannot exist ("
                + e.problems().get(0).message()
                + "); STS writes assumed-role/ROLE_NAME/SESSION_NAME.");
      }
    } else if (kind == Kind.USER) {
      new IamUser(arn);
    } else if (kind == Kind.ROLE) {
      new IamRole(arn);
    }
  }

  /**
   * Parses a caller ARN.
   *
   * <pre>{@code
   * Caller.of("arn:aws:sts::111122223333:assumed-role/DevTeamRole/jane");
   * Caller.of("arn:aws:iam::111122223333:user/jane");
   * }</pre>
   *
   * @param arn the ARN that STS reports for the caller
   * @return the caller
   * @throws InvalidInputException if {@code arn} is not a valid caller ARN
   */
  public static Caller of(String arn) {
    return new Caller(Arn.parse(arn, "caller"));
  }

  /**
   * What kind of caller this is.
   *
   * @return the kind
   */
  public Kind kind() {
    return kindOf(arn);
  }

  /**
   * The role: for an assumed-role session, the role it assumed, without any path (STS never reports
   * it); for a role ARN, that role.
   *
   * @return the role, or empty for users, federated users and root
   */
  public Optional<IamRole> role() {
    return switch (kind()) {
      case ROLE -> Optional.of(new IamRole(arn));
      case ASSUMED_ROLE -> Optional.of(roleOf(arn));
      default -> Optional.empty();
    };
  }

  /**
   * The principal a mapping must name for this caller: the role (without path) or the user.
   *
   * @return the principal, or empty for federated users and root
   */
  public Optional<Principal> principal() {
    if (kind() == Kind.USER) {
      return Optional.of(new IamUser(arn));
    }
    return role().map(Principal.class::cast);
  }

  /**
   * The session name of an assumed-role session, exactly as STS reports it.
   *
   * @return the session name, or empty when the caller is not a session
   */
  public Optional<String> sessionName() {
    return kind() == Kind.ASSUMED_ROLE ? Optional.of(arn.resourceName()) : Optional.empty();
  }

  /**
   * The ARN EKS matches mappings against, as aws-iam-authenticator canonicalizes it: an
   * assumed-role session becomes its role without path; every other caller is its own ARN.
   *
   * @return the canonical ARN
   */
  public Arn canonicalArn() {
    return kind() == Kind.ASSUMED_ROLE ? role().orElseThrow().arn() : arn;
  }

  /**
   * The caller's account.
   *
   * @return the 12-digit account id
   */
  public String accountId() {
    return arn.accountId();
  }

  /** Returns the ARN text. */
  @Override
  public String toString() {
    return arn.value();
  }

  /** The role of an assumed-role session, as aws-iam-authenticator derives it. */
  private static IamRole roleOf(Arn assumedRole) {
    return new IamRole(
        Arn.parse(
            "arn:"
                + assumedRole.partition()
                + ":iam::"
                + assumedRole.accountId()
                + ":role/"
                + roleNameOf(assumedRole)));
  }

  static String roleNameOf(Arn assumedRole) {
    String resource = assumedRole.resource();
    return resource.substring(resource.indexOf('/') + 1, resource.lastIndexOf('/'));
  }

  private static Kind kindOf(Arn arn) {
    if (arn.isIamRole()) {
      return Kind.ROLE;
    }
    if (arn.isIamUser()) {
      return Kind.USER;
    }
    if (arn.isAssumedRole()) {
      return Kind.ASSUMED_ROLE;
    }
    if (arn.service().equals("sts") && arn.resourceType().equals("federated-user")) {
      return Kind.FEDERATED_USER;
    }
    if (arn.service().equals("iam") && arn.resource().equals("root")) {
      return Kind.ROOT;
    }
    throw InvalidInputException.of(
        ErrorCode.INVALID_ARN,
        "caller",
        arn.value(),
        "is not a caller ARN: STS reports IAM roles, IAM users, assumed-role and federated-user"
            + " sessions, or root.");
  }
}
