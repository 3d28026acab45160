package dev.eksaccess.api.spi;

import dev.eksaccess.api.ErrorCode;
import dev.eksaccess.api.InvalidInputException;
import dev.eksaccess.api.Principal;
import dev.eksaccess.api.support.Names;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Layer 1 for one principal: the Kubernetes username and groups it maps to, and (Access Entries)
 * its access policies.
 *
 * <pre>{@code
 * IdentityMapping m = IdentityMapping.of(IamRole.of("arn:aws:iam::111122223333:role/Dev"))
 *     .withGroups(List.of("acme:devs"))
 *     .withUsername("dev:{{SessionName}}");
 * }</pre>
 *
 * @param principal the IAM role or user
 * @param username the username template; empty means the backend's default
 * @param groups the Kubernetes groups, in order, without duplicates
 * @param policies the access policies, at most one association per policy, kept in policy-name
 *     order: they are a set, so two mappings with the same associations are equal whatever order
 *     they were given or read in
 * @param breakGlass set when this is a break-glass mapping, which expires
 * @param entryType the EKS access entry type when it is not {@code STANDARD} ({@code EC2_LINUX},
 *     {@code EC2_WINDOWS}, {@code FARGATE_LINUX}, {@code EC2}, {@code HYBRID_LINUX}, {@code
 *     HYPERPOD_LINUX}, or one EKS adds later); empty for a standard entry and for aws-auth, which
 *     has no types
 */
public record IdentityMapping(
    Principal principal,
    Optional<String> username,
    List<String> groups,
    List<PolicyAssociation> policies,
    Optional<BreakGlassMark> breakGlass,
    Optional<String> entryType) {
  private static final java.util.regex.Pattern ENTRY_TYPE =
      java.util.regex.Pattern.compile("[A-Z][A-Z0-9_]{0,63}");

  /**
   * Checks the username, every group, and that each policy appears once.
   *
   * @throws InvalidInputException naming each bad value
   */
  public IdentityMapping {
    Objects.requireNonNull(principal, "principal");
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(policies, "policies");
    Objects.requireNonNull(breakGlass, "breakGlass");
    Objects.requireNonNull(entryType, "entryType");
    if (entryType.isPresent() && !ENTRY_TYPE.matcher(entryType.get()).matches()) {
      throw InvalidInputException.of(
          ErrorCode.INVALID_ARGUMENT,
          "entryType",
          entryType.get(),
          "is not an access entry type; EKS types are upper case, such as EC2_LINUX (case"
              + " matters).");
    }
    // STANDARD is the default: one spelling, so a read entry equals the mapping a grant plans
    entryType = entryType.filter(t -> !t.equals("STANDARD"));
    username.ifPresent(
        u -> Names.require(Names.username(u, "username"), ErrorCode.INVALID_USERNAME));
    groups = List.copyOf(new java.util.LinkedHashSet<>(Names.groups(groups, "groups")));
    Map<String, PolicyAssociation> byName = new LinkedHashMap<>();
    for (PolicyAssociation p : policies) {
      if (byName.put(p.policy().name(), Objects.requireNonNull(p, "policy")) != null) {
        throw InvalidInputException.of(
            ErrorCode.INVALID_GRANT,
            "policies",
            p.policy().name(),
            "is associated twice; an access entry holds each policy once, with one scope.");
      }
    }
    policies = List.copyOf(new java.util.TreeMap<>(byName).values());
  }

  /**
   * A standard-type mapping (or an aws-auth one), break-glass or not.
   *
   * @param principal the IAM role or user
   * @param username the username template; empty means the backend's default
   * @param groups the Kubernetes groups, in order, without duplicates
   * @param policies the access policies, at most one association per policy
   * @param breakGlass set when this is a break-glass mapping, which expires
   */
  public IdentityMapping(
      Principal principal,
      Optional<String> username,
      List<String> groups,
      List<PolicyAssociation> policies,
      Optional<BreakGlassMark> breakGlass) {
    this(principal, username, groups, policies, breakGlass, Optional.empty());
  }

  /**
   * An ordinary (not break-glass) mapping.
   *
   * @param principal the IAM role or user
   * @param username the username template; empty means the backend's default
   * @param groups the Kubernetes groups, in order, without duplicates
   * @param policies the access policies, at most one association per policy
   */
  public IdentityMapping(
      Principal principal,
      Optional<String> username,
      List<String> groups,
      List<PolicyAssociation> policies) {
    this(principal, username, groups, policies, Optional.empty());
  }

  /**
   * A mapping with no username, groups or policies yet.
   *
   * @param principal the IAM role or user
   * @return the mapping
   */
  public static IdentityMapping of(Principal principal) {
    return new IdentityMapping(principal, Optional.empty(), List.of(), List.of());
  }

  /**
   * A copy with this username.
   *
   * @param username the username template, or null for the backend's default
   * @return the copy
   */
  public IdentityMapping withUsername(@org.jspecify.annotations.Nullable String username) {
    return new IdentityMapping(
        principal, Optional.ofNullable(username), groups, policies, breakGlass, entryType);
  }

  /**
   * A copy with these groups.
   *
   * @param groups the groups
   * @return the copy
   */
  public IdentityMapping withGroups(List<String> groups) {
    return new IdentityMapping(principal, username, groups, policies, breakGlass, entryType);
  }

  /**
   * A copy with these policy associations.
   *
   * @param policies the associations
   * @return the copy
   */
  public IdentityMapping withPolicies(List<PolicyAssociation> policies) {
    return new IdentityMapping(principal, username, groups, policies, breakGlass, entryType);
  }

  /**
   * A copy with one more policy association, replacing any association of the same policy.
   *
   * @param association the association
   * @return the copy
   */
  public IdentityMapping withPolicy(PolicyAssociation association) {
    List<PolicyAssociation> all = new ArrayList<>();
    for (PolicyAssociation p : policies) {
      if (!p.policy().equals(association.policy())) {
        all.add(p);
      }
    }
    all.add(association);
    return withPolicies(all);
  }

  /**
   * A copy marked as break-glass (or, with empty, an ordinary one).
   *
   * @param mark the break-glass record, or empty
   * @return the copy
   */
  public IdentityMapping withBreakGlass(Optional<BreakGlassMark> mark) {
    return new IdentityMapping(principal, username, groups, policies, mark, entryType);
  }

  /**
   * A copy with this access entry type.
   *
   * <pre>{@code
   * IdentityMapping.of(IamRole.of("arn:aws:iam::111122223333:role/NodeRole")).withEntryType("EC2_LINUX");
   * }</pre>
   *
   * @param type the EKS type, such as {@code EC2_LINUX}; {@code STANDARD} or null for a standard
   *     entry
   * @return the copy
   * @throws InvalidInputException if {@code type} is not an upper-case EKS type name
   */
  public IdentityMapping withEntryType(@org.jspecify.annotations.Nullable String type) {
    return new IdentityMapping(
        principal, username, groups, policies, breakGlass, Optional.ofNullable(type));
  }
}
