package dev.eksaccess.api;

import java.util.Objects;

/**
 * An IAM user.
 *
 * <pre>{@code
 * IamUser jane = IamUser.of("arn:aws:iam::111122223333:user/jane");
 * }</pre>
 *
 * @param arn the user ARN
 */
public record IamUser(Arn arn) implements Principal {
  /**
   * Checks that {@code arn} names an IAM user.
   *
   * @throws InvalidInputException ({@link ErrorCode#INVALID_ARN}) if it names anything else
   */
  public IamUser {
    Objects.requireNonNull(arn, "arn");
    if (!arn.isIamUser()) {
      throw Principals.notA("an IAM user", "principal", arn);
    }
    Principals.requireAccount(arn);
  }

  /**
   * Parses an IAM user ARN.
   *
   * <pre>{@code
   * IamUser.of("arn:aws:iam::111122223333:user/jane");
   * }</pre>
   *
   * @param arn the user ARN
   * @return the user
   * @throws InvalidInputException if {@code arn} is not a valid IAM user ARN
   */
  public static IamUser of(String arn) {
    return new IamUser(Arn.parse(arn, "principal"));
  }

  /** Returns the ARN text. */
  @Override
  public String toString() {
    return arn.value();
  }
}
