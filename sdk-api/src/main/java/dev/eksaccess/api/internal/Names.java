package dev.eksaccess.api.internal;

import dev.eksaccess.api.ErrorCode;
import dev.eksaccess.api.InvalidInputException;
import dev.eksaccess.api.InvalidInputException.Problem;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** Kubernetes name rules, each returning a problem (or null) so callers can report all at once. */
public final class Names {
  private static final Pattern DNS1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern DNS1123_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  private Names() {}

  /**
   * Group names: Kubernetes compares them exactly, so stray whitespace makes a group no one is in.
   */
  public static @Nullable Problem group(String value, String location) {
    return identityName(value, location, "group");
  }

  /** The placeholders EKS renders in usernames and groups. */
  public static final java.util.Set<String> PLACEHOLDERS =
      java.util.Set.of(
          "AccountID", "SessionName", "SessionNameRaw", "AccessKeyID", "EC2PrivateDNSName");

  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([^}]*)}}");

  /** Usernames and username templates; a placeholder EKS does not know is a typo EKS keeps. */
  public static @Nullable Problem username(String value, String location) {
    Problem p = identityName(value, location, "username");
    if (p != null) {
      return p;
    }
    List<String> unknown = unknownPlaceholders(value);
    if (!unknown.isEmpty()) {
      return new Problem(
          location,
          value,
          "has {{"
              + unknown.get(0)
              + "}}, which EKS does not know and would leave as written; use one of "
              + PLACEHOLDERS.stream().sorted().map(x -> "{{" + x + "}}").toList()
              + ".");
    }
    return null;
  }

  private static @Nullable Problem identityName(String value, String location, String what) {
    if (value.isEmpty()) {
      return new Problem(location, value, "is empty; a " + what + " needs at least one character.");
    }
    if (!value.equals(value.strip())) {
      return new Problem(
          location,
          value,
          "has leading or trailing whitespace; Kubernetes compares "
              + what
              + " names exactly, so remove it.");
    }
    for (int i = 0; i < value.length(); i++) {
      if (Character.isISOControl(value.charAt(i))) {
        return new Problem(
            location,
            value,
            "contains a control character or newline at index "
                + i
                + "; it would corrupt the mapping, so remove it.");
      }
    }
    return null;
  }

  /** The {@code {{...}}} placeholders in {@code value} that EKS does not know, in order. */
  public static List<String> unknownPlaceholders(String value) {
    List<String> unknown = new ArrayList<>();
    java.util.regex.Matcher m = PLACEHOLDER.matcher(value);
    while (m.find()) {
      if (!PLACEHOLDERS.contains(m.group(1))) {
        unknown.add(m.group(1));
      }
    }
    return unknown;
  }

  /** Namespaces are DNS-1123 labels. */
  public static @Nullable Problem namespace(String value, String location) {
    if (value.length() > 63 || !DNS1123_LABEL.matcher(value).matches()) {
      return new Problem(
          location,
          value,
          "is not a valid namespace: at most 63 lower-case letters, digits and '-', starting and"
              + " ending with a letter or digit (DNS-1123 label).");
    }
    return null;
  }

  /**
   * Names of Roles, ClusterRoles and bindings that already exist or that users choose. The API
   * server checks these as path segments (not DNS names), which is why {@code system:discovery} is
   * a valid ClusterRole name.
   */
  public static @Nullable Problem rbacName(String value, String location) {
    if (value.isEmpty() || value.equals(".") || value.equals("..")) {
      return new Problem(
          location, value, "is not a valid name: it must not be empty, \".\" or \"..\".");
    }
    if (value.contains("/") || value.contains("%")) {
      return new Problem(
          location, value, "is not a valid name: Kubernetes RBAC names cannot contain '/' or '%'.");
    }
    Problem p = identityName(value, location, "role");
    return p;
  }

  /** Names the SDK generates: DNS-1123 subdomains, so they are valid for any object kind. */
  public static boolean isDns1123Subdomain(String value) {
    return value.length() <= 253 && DNS1123_SUBDOMAIN.matcher(value).matches();
  }

  /** Throws an {@link InvalidInputException} with the given code if {@code problem} is non-null. */
  public static void require(@Nullable Problem problem, ErrorCode code) {
    if (problem != null) {
      throw new InvalidInputException(code, List.of(problem));
    }
  }

  /** Validates a list of group names, reporting every bad one, then returns an immutable copy. */
  public static List<String> groups(List<String> groups, String location) {
    List<Problem> problems = new ArrayList<>();
    for (int i = 0; i < groups.size(); i++) {
      String group = Objects.requireNonNull(groups.get(i), location + "[" + i + "]");
      Problem p = group(group, location + "[" + i + "]");
      if (p != null) {
        problems.add(p);
      }
    }
    if (!problems.isEmpty()) {
      throw new InvalidInputException(ErrorCode.INVALID_GROUP, problems);
    }
    return List.copyOf(groups);
  }
}
