package dev.eksaccess.awsauth;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One entry of {@code mapRoles} or {@code mapUsers}, with the values EKS takes from it. A field EKS
 * cannot use (a number where text belongs, a string where a list belongs) reads as EKS reads it:
 * empty.
 *
 * <pre>{@code
 * for (AwsAuthEntry e : doc.roleMappings()) {
 *   System.out.println(e.source() + " " + e.arn() + " -> " + e.groups());
 * }
 * }</pre>
 *
 * @param source where the entry is
 * @param arn the {@code rolearn} or {@code userarn}, as written; empty for an {@code sso:} entry
 * @param username the username template, if one is usable
 * @param groups the group templates
 * @param sso the SSO matcher of an {@code sso:} entry
 */
public record AwsAuthEntry(
    MappingSource source,
    String arn,
    Optional<String> username,
    List<String> groups,
    Optional<SsoMatcher> sso) {
  /** Checks for nulls and copies the groups. */
  public AwsAuthEntry {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(arn, "arn");
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(sso, "sso");
    groups = List.copyOf(groups);
  }
}
