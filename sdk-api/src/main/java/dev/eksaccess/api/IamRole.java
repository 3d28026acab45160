package dev.eksaccess.api;

import java.util.Objects;

/**
 * An IAM role, with its IAM path if it has one.
 *
 * <pre>{@code
 * IamRole dev = IamRole.of("arn:aws:iam::111122223333:role/teams/DevTeamRole");
 * dev.path();          // "/teams/"
 * dev.withoutPath();   // arn:aws:iam::111122223333:role/DevTeamRole, as aws-auth must name it
 * }</pre>
 *
 * @param arn the role ARN
 */
public record IamRole(Arn arn) implements Principal {
  /**
   * Checks that {@code arn} names an IAM role.
   *
   * @throws InvalidInputException ({@link ErrorCode#INVALID_ARN}) if it names anything else, saying
   *     what it is and what to use instead
   */
  public IamRole {
    Objects.requireNonNull(arn, "arn");
    if (!arn.isIamRole()) {
      throw Principals.notA("an IAM role", "principal", arn);
    }
    Principals.requireAccount(arn);
  }

  /**
   * Parses an IAM role ARN.
   *
   * <pre>{@code
   * IamRole.of("arn:aws:iam::111122223333:role/DevTeamRole");
   * }</pre>
   *
   * @param arn the role ARN, with its path if the role has one
   * @return the role
   * @throws InvalidInputException if {@code arn} is not a valid IAM role ARN; an STS assumed-role
   *     ARN is refused with the role it belongs to in the message
   */
  public static IamRole of(String arn) {
    return new IamRole(Arn.parse(arn, "principal"));
  }

  /**
   * The role's IAM path, {@code "/"} when it has none.
   *
   * @return the path
   */
  public String path() {
    return arn.path();
  }

  /**
   * Whether this is a service-linked role (path {@code /aws-service-role/...}), which Access
   * Entries refuse.
   *
   * @return true for service-linked roles
   */
  public boolean isServiceLinked() {
    return path().startsWith("/aws-service-role/");
  }

  /**
   * The same role without its path: how an STS session names it, and so how aws-auth must.
   *
   * @return this role if it has no path, else the path-less role
   */
  public IamRole withoutPath() {
    if (path().equals("/")) {
      return this;
    }
    return new IamRole(
        Arn.parse(
            "arn:" + arn.partition() + ":iam::" + arn.accountId() + ":role/" + arn.resourceName()));
  }

  /** Returns the ARN text. */
  @Override
  public String toString() {
    return arn.value();
  }
}
