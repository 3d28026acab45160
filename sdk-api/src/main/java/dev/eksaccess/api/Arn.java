package dev.eksaccess.api;

import dev.eksaccess.api.InvalidInputException.Problem;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An Amazon Resource Name, parsed and checked: partition, service, region, account and resource,
 * and for IAM roles and users their path and name.
 *
 * <pre>{@code
 * Arn arn = Arn.parse("arn:aws:iam::111122223333:role/teams/DevTeamRole");
 * arn.partition();     // "aws"
 * arn.accountId();     // "111122223333"
 * arn.resourceType();  // "role"
 * arn.path();          // "/teams/"
 * arn.resourceName();  // "DevTeamRole"
 * }</pre>
 *
 * <p>Equality is exact on the text: IAM treats role and user names case-insensitively, but an ARN
 * as a value is what was written.
 */
public final class Arn {
  /**
   * Partitions EKS and aws-iam-authenticator accept. Beyond the five commercial and ISO partitions,
   * the authenticator also knows aws-iso-e, aws-iso-f and aws-eusc.
   */
  public static final Set<String> PARTITIONS =
      Set.of(
          "aws",
          "aws-cn",
          "aws-us-gov",
          "aws-iso",
          "aws-iso-b",
          "aws-iso-e",
          "aws-iso-f",
          "aws-eusc");

  private static final Pattern SERVICE = Pattern.compile("[a-z0-9][a-z0-9-]*");
  static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
  private static final Pattern REGION = Pattern.compile("[a-z0-9-]*");
  private static final Pattern IAM_NAME = Pattern.compile("[\\w+=,.@-]{1,64}");
  private static final Pattern SESSION_NAME = Pattern.compile("[\\w+=,.@-]{2,64}");
  private static final Pattern PATH_SEGMENT = Pattern.compile("[\\x21-\\x2e\\x30-\\x7e]+");
  private static final String EXAMPLE = "arn:aws:iam::111122223333:role/Name";

  private final String value;
  private final String partition;
  private final String service;
  private final String region;
  private final String accountId;
  private final String resource;

  private Arn(
      String value,
      String partition,
      String service,
      String region,
      String accountId,
      String resource) {
    this.value = value;
    this.partition = partition;
    this.service = service;
    this.region = region;
    this.accountId = accountId;
    this.resource = resource;
  }

  /**
   * Parses and checks an ARN, reporting every problem at once.
   *
   * <pre>{@code
   * Arn.parse("arn:aws:iam::111122223333:user/jane");
   * }</pre>
   *
   * @param text the ARN
   * @return the parsed ARN
   * @throws InvalidInputException ({@link ErrorCode#INVALID_ARN}) if the text is not a valid ARN,
   *     naming each wrong part and how to fix it
   * @throws NullPointerException if {@code text} is null
   */
  public static Arn parse(String text) {
    return parse(text, "arn");
  }

  static Arn parse(String text, String location) {
    Objects.requireNonNull(text, location);
    List<Problem> problems = new ArrayList<>();
    if (text.isEmpty()) {
      throw invalid(location, text, "is empty; give an ARN such as " + EXAMPLE + ".");
    }
    if (!text.equals(text.strip())) {
      throw invalid(
          location,
          text,
          "has leading or trailing whitespace"
              + (text.contains("\n") ? " (a newline)" : "")
              + "; an ARN never contains whitespace, so remove it.");
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c) || Character.isISOControl(c)) {
        throw invalid(
            location,
            text,
            "contains whitespace or a control character at index "
                + i
                + "; an ARN never does, so remove it.");
      }
    }
    String[] parts = text.split(":", 6);
    if (parts.length < 6 || !parts[0].equals("arn")) {
      throw invalid(
          location,
          text,
          "is not an ARN: expected the six colon-separated parts"
              + " arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE, such as "
              + EXAMPLE
              + ".");
    }
    String partition = parts[1];
    String service = parts[2];
    String region = parts[3];
    String account = parts[4];
    String resource = parts[5];
    if (!PARTITIONS.contains(partition)) {
      problems.add(
          new Problem(
              location + ".partition",
              partition,
              "is not an AWS partition; use one of "
                  + String.join(", ", sorted(PARTITIONS))
                  + " (aws for commercial regions)."));
    }
    if (!SERVICE.matcher(service).matches()) {
      problems.add(
          new Problem(
              location + ".service",
              service,
              "is not a service name; IAM principals use iam, sessions use sts."));
    }
    if (!REGION.matcher(region).matches()) {
      problems.add(new Problem(location + ".region", region, "is not a region such as us-east-1."));
    }
    boolean global = service.equals("iam") || service.equals("sts");
    if (global && !region.isEmpty()) {
      problems.add(
          new Problem(
              location + ".region",
              region,
              service + " ARNs have no region (arn:aws:" + service + "::ACCOUNT:...); remove it."));
    }
    if (!account.isEmpty() && !account.equals("aws") && !ACCOUNT.matcher(account).matches()) {
      String digits = account.chars().allMatch(Character::isDigit) ? account.length() + " " : "";
      problems.add(
          new Problem(
              location + ".account",
              account,
              "has "
                  + (digits.isEmpty() ? "characters other than digits" : digits + "digits")
                  + "; an AWS account id has exactly 12 digits (keep leading zeros)."));
    } else if (global && account.isEmpty()) {
      problems.add(
          new Problem(
              location + ".account",
              account,
              "is missing; " + service + " ARNs name the 12-digit account, as in " + EXAMPLE));
    }
    if (resource.isEmpty()) {
      problems.add(
          new Problem(
              location + ".resource",
              resource,
              "is missing; an IAM ARN ends with role/NAME, user/NAME or root."));
    } else if (service.equals("iam") || service.equals("sts")) {
      checkIamResource(location, service, resource, problems);
    }
    if (!problems.isEmpty()) {
      throw new InvalidInputException(ErrorCode.INVALID_ARN, problems);
    }
    return new Arn(text, partition, service, region, account, resource);
  }

  private static void checkIamResource(
      String location, String service, String resource, List<Problem> problems) {
    String[] segments = resource.split("/", -1);
    String type = segments[0];
    String where = location + ".resource";
    if (service.equals("iam") && (type.equals("role") || type.equals("user"))) {
      if (segments.length < 2) {
        problems.add(new Problem(where, resource, "has no name; write " + type + "/NAME."));
        return;
      }
      for (int i = 1; i < segments.length - 1; i++) {
        if (segments[i].equals(".") || segments[i].equals("..")) {
          problems.add(
              new Problem(
                  where,
                  resource,
                  "has the path segment "
                      + InvalidInputException.quote(segments[i])
                      + " at position "
                      + i
                      + ". IAM paths are literal text, not directories, so no real path needs"
                      + " . or ..; and aws-auth maps a role without its path, so "
                      + type
                      + "/../NAME would become "
                      + type
                      + "/NAME. Write the path exactly as IAM shows it."));
          return;
        }
        if (!PATH_SEGMENT.matcher(segments[i]).matches()) {
          problems.add(
              new Problem(
                  where,
                  resource,
                  "has an empty or invalid IAM path segment at position "
                      + i
                      + "; a path is /segment/.../ of printable characters."));
          return;
        }
      }
      String name = segments[segments.length - 1];
      if (!IAM_NAME.matcher(name).matches()) {
        problems.add(
            new Problem(
                where,
                resource,
                "has the "
                    + type
                    + " name "
                    + InvalidInputException.quote(name)
                    + ", which IAM does not allow: 1 to 64 of letters, digits and + = , . @ _ -."));
      }
    } else if (service.equals("sts") && type.equals("assumed-role")) {
      // Real sessions are assumed-role/ROLE/SESSION; the authenticator accepts more segments
      // and treats all but the first and last as the role name.
      boolean emptyOrDots = false;
      for (int i = 1; i < segments.length; i++) {
        emptyOrDots |= segments[i].isEmpty() || segments[i].equals(".") || segments[i].equals("..");
      }
      if (segments.length < 3 || emptyOrDots) {
        problems.add(
            new Problem(
                where,
                resource,
                "is not assumed-role/ROLE_NAME/SESSION_NAME, as STS writes session ARNs (no"
                    + " segment empty, . or ..)."));
      } else if (!IAM_NAME.matcher(segments[segments.length - 2]).matches()) {
        problems.add(
            new Problem(
                where,
                resource,
                "has the role name "
                    + InvalidInputException.quote(segments[segments.length - 2])
                    + ", which IAM does not allow: 1 to 64 of letters, digits and + = , . @ _ -."));
      } else if (!SESSION_NAME.matcher(segments[segments.length - 1]).matches()) {
        problems.add(
            new Problem(
                where,
                resource,
                "has the session name "
                    + InvalidInputException.quote(segments[segments.length - 1])
                    + ", which STS does not allow: 2 to 64 of letters, digits and + = , . @ _ -."));
      }
    } else if (service.equals("sts") && type.equals("federated-user")) {
      if (segments.length != 2 || segments[1].isEmpty()) {
        problems.add(new Problem(where, resource, "is not federated-user/NAME."));
      }
    }
  }

  private static InvalidInputException invalid(String location, String text, String message) {
    return InvalidInputException.of(ErrorCode.INVALID_ARN, location, text, message);
  }

  private static List<String> sorted(Set<String> values) {
    return values.stream().sorted().toList();
  }

  /**
   * The ARN as text.
   *
   * @return the ARN exactly as parsed
   */
  public String value() {
    return value;
  }

  /**
   * The partition, such as {@code aws} or {@code aws-cn}.
   *
   * @return the partition
   */
  public String partition() {
    return partition;
  }

  /**
   * The service, such as {@code iam} or {@code sts}.
   *
   * @return the service
   */
  public String service() {
    return service;
  }

  /**
   * The region; empty for global services such as IAM and STS.
   *
   * @return the region, possibly empty
   */
  public String region() {
    return region;
  }

  /**
   * The account: 12 digits, {@code aws} for AWS-owned resources, or empty.
   *
   * @return the account id
   */
  public String accountId() {
    return accountId;
  }

  /**
   * Everything after the account, such as {@code role/teams/DevTeamRole}.
   *
   * @return the resource part
   */
  public String resource() {
    return resource;
  }

  /**
   * The resource type: the resource up to its first {@code /}, such as {@code role}, {@code user},
   * {@code assumed-role} or {@code root}.
   *
   * @return the resource type
   */
  public String resourceType() {
    int slash = resource.indexOf('/');
    return slash < 0 ? resource : resource.substring(0, slash);
  }

  /**
   * The last segment of the resource: a role or user name, or the session name of an assumed-role
   * ARN.
   *
   * @return the resource name
   */
  public String resourceName() {
    int slash = resource.lastIndexOf('/');
    return slash < 0 ? resource : resource.substring(slash + 1);
  }

  /**
   * The IAM path of a role or user ARN: {@code "/"} when there is none, else {@code
   * "/segment/.../"}; for other ARNs, {@code "/"}.
   *
   * @return the path, always starting and ending with {@code /}
   */
  public String path() {
    if (!isIamRole() && !isIamUser()) {
      return "/";
    }
    int first = resource.indexOf('/');
    int last = resource.lastIndexOf('/');
    return first == last ? "/" : resource.substring(first, last + 1);
  }

  /**
   * Whether this is an IAM role ARN ({@code arn:PART:iam::ACCOUNT:role/...}).
   *
   * @return true for IAM roles
   */
  public boolean isIamRole() {
    return service.equals("iam") && resourceType().equals("role");
  }

  /**
   * Whether this is an IAM user ARN ({@code arn:PART:iam::ACCOUNT:user/...}).
   *
   * @return true for IAM users
   */
  public boolean isIamUser() {
    return service.equals("iam") && resourceType().equals("user");
  }

  /**
   * Whether this is an STS assumed-role session ARN.
   *
   * @return true for {@code arn:PART:sts::ACCOUNT:assumed-role/ROLE/SESSION}
   */
  public boolean isAssumedRole() {
    return service.equals("sts") && resourceType().equals("assumed-role");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Arn other && value.equals(other.value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  /** Returns the ARN text. */
  @Override
  public String toString() {
    return value;
  }
}
