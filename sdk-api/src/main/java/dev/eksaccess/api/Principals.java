package dev.eksaccess.api;

/** Messages shared by the principal types: say what the ARN is, and what to use instead. */
final class Principals {
  private Principals() {}

  /** IAM roles and users live in a 12-digit account; "aws" owns policies, not principals. */
  static void requireAccount(Arn arn) {
    if (!Arn.ACCOUNT.matcher(arn.accountId()).matches()) {
      throw InvalidInputException.of(
          ErrorCode.INVALID_ARN,
          "principal.account",
          arn.accountId(),
          "is not a 12-digit AWS account id; an IAM role or user belongs to one.");
    }
  }

  static InvalidInputException notA(String expected, String location, Arn arn) {
    return InvalidInputException.of(
        ErrorCode.INVALID_ARN, location, arn.value(), "is not " + expected + ": " + whatItIs(arn));
  }

  static String whatItIs(Arn arn) {
    String iam = "arn:" + arn.partition() + ":iam::" + arn.accountId() + ":";
    if (arn.isAssumedRole()) {
      return "it is an STS assumed-role session. The role it belongs to is "
          + iam
          + "role/"
          + Caller.roleNameOf(arn)
          + " (with the role's IAM path, if it has one); use Caller.of(..) for a session.";
    }
    if (arn.isIamRole()) {
      return "it is an IAM role; use IamRole.of(..).";
    }
    if (arn.isIamUser()) {
      return "it is an IAM user; use IamUser.of(..).";
    }
    if (arn.service().equals("iam") && arn.resource().equals("root")) {
      return "it is the account root user, which EKS can only map as a caller; map an IAM role"
          + " or user instead.";
    }
    if (arn.service().equals("sts") && arn.resourceType().equals("federated-user")) {
      return "it is an STS federated-user session, which no mapping can name; map the IAM user"
          + " or role behind it instead.";
    }
    return "it is a "
        + arn.service()
        + " "
        + arn.resourceType()
        + " ARN; EKS maps IAM roles (arn:aws:iam::ACCOUNT:role/NAME) and users"
        + " (arn:aws:iam::ACCOUNT:user/NAME).";
  }
}
