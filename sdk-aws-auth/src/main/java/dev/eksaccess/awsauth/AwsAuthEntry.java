package dev.eksaccess.awsauth;

import dev.eksaccess.api.IamRole;
import dev.eksaccess.api.IamUser;
import dev.eksaccess.api.InvalidInputException;
import dev.eksaccess.api.Principal;
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

  /**
   * Whose access the entry is, by the kind of its ARN rather than its section: EKS matches the
   * caller's ARN against both sections, so a role ARN under {@code mapUsers} maps that role.
   *
   * <pre>{@code
   * entry.principal();   // Optional[IamRole[arn:aws:iam::111122223333:role/Dev]]
   * }</pre>
   *
   * @return the role or user; empty for an {@code sso:} entry or an ARN that names neither
   */
  public Optional<Principal> principal() {
    try {
      if (arn.contains(":role/")) {
        return Optional.of(IamRole.of(arn));
      }
      if (arn.contains(":user/")) {
        return Optional.of(IamUser.of(arn));
      }
    } catch (InvalidInputException notAnIamArn) {
      // EKS may still match the text; findings() reports it, and eks-access does not model it
    }
    return Optional.empty();
  }
}
