package dev.eksaccess.api.support;

import dev.eksaccess.api.ErrorCode;
import dev.eksaccess.api.InvalidInputException;
import dev.eksaccess.api.InvalidInputException.Problem;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** Kubernetes name rules, each returning a problem (or null) so callers can report all at once. */
@BackendSupport
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
    Problem hidden = hiddenCharacter(value, location, what);
    if (hidden != null) {
      return hidden;
    }
    if (!value.equals(value.strip())) {
      return new Problem(
          location,
          value,
          "has leading or trailing whitespace; Kubernetes compares "
              + what
              + " names exactly, so remove it.");
    }
    return null;
  }

  /**
   * The first character that a name must not hold, as a problem naming it: a control or format
   * character, a line or paragraph separator, a private-use or unassigned code point, or half of a
   * surrogate pair. YAML 1.1 readers (EKS's aws-iam-authenticator among them) break lines at
   * U+0085, U+2028 and U+2029, and the others are invisible or not text, so the name would not be
   * what a reviewer sees. The same rule holds on both backends.
   *
   * @param value the name
   * @param location where it came from
   * @param what what it is (username, group, role), for the message
   * @return the problem, or null when every character may stand in a name
   */
  public static @Nullable Problem hiddenCharacter(String value, String location, String what) {
    int index = forbiddenIndex(value);
    if (index < 0) {
      return null;
    }
    int cp = value.codePointAt(index);
    return new Problem(
        location,
        value,
        "contains "
            + codePoint(cp)
            + " ("
            + describe(cp)
            + ") at index "
            + index
            + "; "
            + (breaksYamlLines(cp)
                ? "YAML readers such as EKS's break the line there, so the "
                    + what
                    + " would"
                    + " be read as something else"
                : "it cannot be seen, so the " + what + " would not be what a reviewer reads")
            + ". Remove it.");
  }

  /**
   * The index of the first character a name must not hold (see {@link #hiddenCharacter}), or -1.
   *
   * @param value the text
   * @return the char index, or -1 when there is none
   */
  public static int forbiddenIndex(String value) {
    for (int i = 0; i < value.length(); ) {
      char c = value.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < value.length()
          && Character.isLowSurrogate(value.charAt(i + 1))) {
        int cp = value.codePointAt(i);
        if (isForbidden(cp)) {
          return i;
        }
        i += 2;
        continue;
      }
      if (isForbidden(c)) { // an unpaired surrogate is one, as category Cs
        return i;
      }
      i++;
    }
    return -1;
  }

  /** Whether a code point may not stand in a name (categories Cc, Cf, Cs, Co, Cn, Zl, Zp). */
  public static boolean isForbidden(int codePoint) {
    return switch (Character.getType(codePoint)) {
      case Character.CONTROL,
          Character.FORMAT,
          Character.SURROGATE,
          Character.PRIVATE_USE,
          Character.UNASSIGNED,
          Character.LINE_SEPARATOR,
          Character.PARAGRAPH_SEPARATOR ->
          true;
      default -> false;
    };
  }

  /** Whether YAML 1.1 (and so EKS's reader) takes this character for a line break. */
  public static boolean breaksYamlLines(int codePoint) {
    return codePoint == '\n'
        || codePoint == '\r'
        || codePoint == 0x85
        || codePoint == 0x2028
        || codePoint == 0x2029;
  }

  /** {@code U+2028}: how messages name a code point. */
  public static String codePoint(int codePoint) {
    return String.format(java.util.Locale.ROOT, "U+%04X", codePoint);
  }

  private static String describe(int cp) {
    if (cp == '\n' || cp == '\r') {
      return "a line break";
    }
    if (cp == 0x85) {
      return "NEXT LINE, a line break in YAML 1.1";
    }
    if (cp == '\t') {
      return "a tab";
    }
    return switch (Character.getType(cp)) {
      case Character.CONTROL -> "a control character";
      case Character.FORMAT -> "an invisible format character";
      case Character.SURROGATE -> "half of a surrogate pair, which is not text on its own";
      case Character.PRIVATE_USE -> "a private-use character";
      case Character.LINE_SEPARATOR -> "LINE SEPARATOR, a line break in YAML 1.1";
      case Character.PARAGRAPH_SEPARATOR -> "PARAGRAPH SEPARATOR, a line break in YAML 1.1";
      default -> "an unassigned code point";
    };
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
