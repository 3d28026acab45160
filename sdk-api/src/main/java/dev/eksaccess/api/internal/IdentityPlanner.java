package dev.eksaccess.api.internal;

import dev.eksaccess.api.AccessPolicy;
import dev.eksaccess.api.Binding;
import dev.eksaccess.api.Change;
import dev.eksaccess.api.ErrorCode;
import dev.eksaccess.api.Grant;
import dev.eksaccess.api.IamRole;
import dev.eksaccess.api.InvalidInputException;
import dev.eksaccess.api.PartialRevoke;
import dev.eksaccess.api.Principal;
import dev.eksaccess.api.Scope;
import dev.eksaccess.api.spi.BreakGlassMark;
import dev.eksaccess.api.spi.IdentityChange;
import dev.eksaccess.api.spi.IdentityMapping;
import dev.eksaccess.api.spi.PolicyAssociation;
import dev.eksaccess.api.spi.PrincipalMatching;
import dev.eksaccess.api.support.PrincipalKeys;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Layer 1 of a plan: one desired mapping per principal, merged from its grants; break-glass
 * mappings; the removals of revokes and of expired break-glass. Pure, and the part a retry runs
 * again on a fresh read of the identity layer.
 */
final class IdentityPlanner {
  private IdentityPlanner() {}

  /** What layer 1 becomes. */
  record Result(
      List<Change> shown,
      List<IdentityChange> changes,
      List<String> warnings,
      List<IdentityMapping> after,
      List<IdentityMapping> removed) {}

  static Result plan(Planner.Input in) {
    List<Change> shown = new ArrayList<>();
    List<IdentityChange> changes = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    List<IdentityMapping> after = new ArrayList<>(in.identity().mappings());
    Map<String, Integer> lastIndex = new HashMap<>(); // duplicates: the last one is in force
    for (int i = 0; i < after.size(); i++) {
      lastIndex.put(key(after.get(i).principal(), in), i);
    }

    for (Map.Entry<String, List<Grant>> e : byPrincipal(in).entrySet()) {
      List<Grant> grants = e.getValue();
      Principal given = grants.get(0).principal();
      Principal principal = asWritten(given, in.matching());
      if (!principal.equals(given)) {
        warnings.add(
            in.identityBackend()
                + " maps "
                + principal
                + " for "
                + given
                + ": STS never reports a role's path, and aws-auth compares ARNs as text, so the"
                + " mapping must name the role without its path "
                + ((IamRole) given).path()
                + ".");
      }
      int index = lastIndex.getOrDefault(e.getKey(), -1);
      @Nullable IdentityMapping existing = index < 0 ? null : after.get(index);
      if (existing != null && existing.breakGlass().isPresent()) {
        throw InvalidInputException.of(
            ErrorCode.INVALID_GRANT,
            "grant",
            principal.toString(),
            "is mapped for break-glass ("
                + existing.breakGlass().get()
                + "), and expiry removes that mapping whole, so a lasting grant would go with it."
                + " Grant another role, or let the break-glass expire first.");
      }
      IdentityMapping desired = merge(existing, grants, principal);
      if (existing == null || !sameAccess(desired, existing)) {
        changes.add(new IdentityChange.Put(desired));
        shown.add(describe(existing, desired));
        if (index < 0) {
          lastIndex.put(e.getKey(), after.size());
          after.add(desired);
        } else {
          after.set(index, desired);
        }
      }
    }

    for (IdentityMapping wanted : in.breakGlass()) {
      IdentityMapping bg =
          new IdentityMapping(
              asWritten(wanted.principal(), in.matching()),
              wanted.username(),
              wanted.groups(),
              wanted.policies(),
              wanted.breakGlass());
      String k = key(bg.principal(), in);
      int index = lastIndex.getOrDefault(k, -1);
      @Nullable IdentityMapping existing = index < 0 ? null : after.get(index);
      if (existing != null && existing.breakGlass().isEmpty()) {
        throw InvalidInputException.of(
            ErrorCode.INVALID_GRANT,
            "breakGlass",
            bg.principal().toString(),
            "already has an ordinary mapping ("
                + String.join("; ", summary(existing))
                + "); expiry removes a break-glass mapping whole, so it would take that away too."
                + " Use a role kept for emergencies, or revoke this mapping first.");
      }
      if (existing != null && bg.username().isEmpty()) {
        // the backend's default (Access Entries fills one in): keep it, or it never settles
        bg = bg.withUsername(existing.username().orElse(null));
      }
      if (existing == null
          || !sameAccess(bg, existing)
          || !bg.breakGlass().equals(existing.breakGlass())) {
        changes.add(new IdentityChange.Put(bg));
        if (existing == null) {
          shown.add(describe(null, bg));
          lastIndex.put(k, after.size());
          after.add(bg);
        } else {
          List<String> details = new ArrayList<>(describe(existing, bg).details());
          details.add(
              "break-glass until "
                  + existing.breakGlass().orElseThrow().expiresAt()
                  + " → "
                  + bg.breakGlass().orElseThrow().expiresAt()
                  + " ("
                  + bg.breakGlass().orElseThrow().reason()
                  + ")");
          shown.add(
              new Change(
                  Change.Layer.IDENTITY,
                  Change.Action.UPDATE,
                  "mapping " + bg.principal(),
                  details));
          after.set(index, bg);
        }
      }
    }

    partialRevokes(in, after, lastIndex, changes, shown, warnings);

    List<IdentityMapping> removed = new ArrayList<>();
    Instant expireAt = in.expireAt();
    if (expireAt != null) {
      for (IdentityMapping m : List.copyOf(after)) {
        Optional<BreakGlassMark> mark = m.breakGlass();
        if (mark.isPresent() && mark.get().isExpiredAt(expireAt)) {
          changes.add(new IdentityChange.Remove(m.principal()));
          shown.add(
              new Change(
                  Change.Layer.IDENTITY,
                  Change.Action.DELETE,
                  "mapping " + m.principal(),
                  List.of(
                      "break-glass expired at "
                          + mark.get().expiresAt()
                          + " ("
                          + mark.get().reason()
                          + ")")));
          after.remove(m);
          removed.add(m);
        }
      }
    }
    for (Principal p : in.revokes()) {
      String k = key(p, in);
      List<IdentityMapping> matches =
          after.stream().filter(m -> key(m.principal(), in).equals(k)).toList();
      if (matches.isEmpty()) {
        warnings.add(
            "nothing to revoke for "
                + p
                + ": "
                + in.identityBackend()
                + " has no mapping for it; only the bindings eks-access granted it are removed.");
        continue;
      }
      // One removal per principal: the backend removes every entry of it, duplicates included.
      changes.add(new IdentityChange.Remove(matches.get(matches.size() - 1).principal()));
      for (IdentityMapping m : matches) {
        shown.add(
            new Change(
                Change.Layer.IDENTITY,
                Change.Action.DELETE,
                "mapping " + m.principal(),
                summary(m)));
        after.remove(m);
        removed.add(m);
      }
    }
    return new Result(shown, changes, warnings, after, removed);
  }

  /**
   * The partial revokes of groups and access policies: one update per principal, whatever number of
   * pieces it loses. Bindings are layer 2's ({@link RbacPlanner}).
   */
  private static void partialRevokes(
      Planner.Input in,
      List<IdentityMapping> after,
      Map<String, Integer> lastIndex,
      List<IdentityChange> changes,
      List<Change> shown,
      List<String> warnings) {
    Map<String, List<PartialRevoke>> byPrincipal = new LinkedHashMap<>();
    for (PartialRevoke r : in.partialRevokes()) {
      if (r.kind() != PartialRevoke.Kind.BINDING) {
        byPrincipal.computeIfAbsent(key(r.principal(), in), k -> new ArrayList<>()).add(r);
      }
    }
    for (Map.Entry<String, List<PartialRevoke>> e : byPrincipal.entrySet()) {
      int index = lastIndex.getOrDefault(e.getKey(), -1);
      Principal given = e.getValue().get(0).principal();
      if (index < 0) {
        warnings.add(
            "nothing to revoke for "
                + given
                + ": "
                + in.identityBackend()
                + " has no mapping for it, so it has no group or access policy to lose.");
        continue;
      }
      IdentityMapping existing = after.get(index);
      if (existing.breakGlass().isPresent()) {
        throw InvalidInputException.of(
            ErrorCode.INVALID_GRANT,
            "revoke(" + given + ")",
            existing.principal().toString(),
            "is mapped for break-glass ("
                + existing.breakGlass().get()
                + "), which is removed whole when it expires; revoke it with planRevoke, or let it"
                + " expire.");
      }
      IdentityMapping m = existing;
      List<String> details = new ArrayList<>();
      for (PartialRevoke r : e.getValue()) {
        if (r.kind() == PartialRevoke.Kind.GROUP) {
          if (!m.groups().contains(r.group())) {
            warnings.add(
                "nothing to revoke: "
                    + existing.principal()
                    + " is not mapped to group "
                    + r.group()
                    + " (its groups: "
                    + m.groups()
                    + ").");
            continue;
          }
          m = m.withGroups(m.groups().stream().filter(g -> !g.equals(r.group())).toList());
          details.add("groups - " + r.group());
        } else {
          AccessPolicy policy = (AccessPolicy) Objects.requireNonNull(r.target());
          Optional<PolicyAssociation> have =
              m.policies().stream().filter(a -> a.policy().equals(policy)).findFirst();
          if (have.isEmpty()) {
            warnings.add(
                "nothing to revoke: "
                    + existing.principal()
                    + " has no association with "
                    + policy.name()
                    + ".");
            continue;
          }
          Optional<Scope> narrowed = narrowed(r, have.get(), warnings);
          if (narrowed.isPresent() && narrowed.get().equals(have.get().scope())) {
            continue;
          }
          List<PolicyAssociation> kept = new ArrayList<>();
          for (PolicyAssociation a : m.policies()) {
            if (!a.policy().equals(policy)) {
              kept.add(a);
            } else if (narrowed.isPresent()) {
              kept.add(new PolicyAssociation(policy, narrowed.get()));
            }
          }
          m = m.withPolicies(kept);
          details.add(
              narrowed.isEmpty()
                  ? "policy - " + have.get()
                  : "policy ~ "
                      + policy.name()
                      + " "
                      + have.get().scope()
                      + " → "
                      + narrowed.get());
        }
      }
      if (details.isEmpty()) {
        continue;
      }
      if (m.groups().isEmpty() && m.policies().isEmpty()) {
        warnings.add(
            m.principal()
                + " stays mapped (username "
                + m.username().orElse("(backend default)")
                + ") with no groups and no access policies: it still authenticates, and RBAC"
                + " that names its username still applies. planRevoke("
                + m.principal()
                + ") removes the mapping.");
      }
      changes.add(new IdentityChange.Put(m));
      shown.add(
          new Change(
              Change.Layer.IDENTITY, Change.Action.UPDATE, "mapping " + m.principal(), details));
      after.set(index, m);
    }
  }

  /**
   * The policy's scope once the revoke's namespaces leave it, or empty when the association goes
   * whole. A namespace cannot be taken from a cluster-wide scope: EKS has no "all but".
   */
  private static Optional<Scope> narrowed(
      PartialRevoke r, PolicyAssociation have, List<String> warnings) {
    if (r.scope().isEmpty()) {
      return Optional.empty();
    }
    Scope take = r.scope().get();
    Scope scope = have.scope();
    if (take.isClusterWide()) {
      if (scope.isClusterWide()) {
        return Optional.empty();
      }
      warnings.add(
          "nothing to revoke cluster-wide: "
              + have.policy().name()
              + " of "
              + r.principal()
              + " is "
              + scope
              + "; use everywhere() or inNamespace(..).");
      return Optional.of(scope);
    }
    if (scope.isClusterWide()) {
      throw InvalidInputException.of(
          ErrorCode.INVALID_NAMESPACE,
          "revoke(" + r.principal() + ").accessPolicy(" + have.policy().name() + ")",
          String.join(", ", take.namespaces()),
          "cannot be taken from a cluster-wide scope: EKS scopes list the namespaces they"
              + " include, never the ones they leave out. Revoke it everywhere() and grant the"
              + " namespaces that should keep it.");
    }
    List<String> left =
        scope.namespaces().stream().filter(ns -> !take.namespaces().contains(ns)).toList();
    if (left.size() == scope.namespaces().size()) {
      warnings.add(
          "nothing to revoke: "
              + have.policy().name()
              + " of "
              + r.principal()
              + " is not scoped to "
              + take.namespaces()
              + " ("
              + scope
              + ").");
      return Optional.of(scope);
    }
    return left.isEmpty() ? Optional.empty() : Optional.of(new Scope(left));
  }

  /**
   * Whether two mappings give the same access: username, groups as a set, policies with their
   * scopes, and the break-glass record. EKS need not answer in the order it was sent, so order
   * never makes a difference here, or a plan would never settle.
   */
  static boolean sameAccess(IdentityMapping a, IdentityMapping b) {
    return a.principal().equals(b.principal())
        && a.username().equals(b.username())
        && new LinkedHashSet<>(a.groups()).equals(new LinkedHashSet<>(b.groups()))
        && a.policies().equals(b.policies())
        && a.breakGlass().equals(b.breakGlass());
  }

  static String key(Principal p, Planner.Input in) {
    return PrincipalKeys.of(p, in.matching());
  }

  private static Map<String, List<Grant>> byPrincipal(Planner.Input in) {
    Map<String, List<Grant>> out = new LinkedHashMap<>();
    for (Grant g : in.grants()) {
      out.computeIfAbsent(key(asWritten(g.principal(), in.matching()), in), k -> new ArrayList<>())
          .add(g);
    }
    return out;
  }

  /** aws-auth must name a role without its path: STS never reports it, so a path never matches. */
  static Principal asWritten(Principal p, PrincipalMatching matching) {
    return matching == PrincipalMatching.CANONICAL_ARN && p instanceof IamRole role
        ? role.withoutPath()
        : p;
  }

  private static IdentityMapping merge(
      @Nullable IdentityMapping existing, List<Grant> grants, Principal principal) {
    IdentityMapping m = existing == null ? IdentityMapping.of(principal) : existing;
    @Nullable String username = null;
    for (Grant g : grants) {
      Optional<String> u = g.subject().username();
      if (u.isPresent()) {
        if (username != null && !username.equals(u.get())) {
          throw InvalidInputException.of(
              ErrorCode.INVALID_GRANT,
              principal.toString(),
              u.get(),
              "is a second username for this principal (the other is \""
                  + username
                  + "\"); a principal maps to one username, so use one in every grant.");
        }
        username = u.get();
      }
    }
    if (username != null) {
      m = m.withUsername(username);
    }
    LinkedHashSet<String> groups = new LinkedHashSet<>(m.groups());
    for (Grant g : grants) {
      groups.addAll(g.subject().groups());
    }
    m = m.withGroups(List.copyOf(groups));
    for (Grant g : grants) {
      for (Binding b : g.bindings()) {
        if (b.target() instanceof AccessPolicy p) {
          Optional<PolicyAssociation> have =
              m.policies().stream().filter(a -> a.policy().equals(p)).findFirst();
          Scope scope = have.map(a -> union(a.scope(), b.scope())).orElse(b.scope());
          m = m.withPolicy(new PolicyAssociation(p, scope));
        }
      }
    }
    return m;
  }

  private static Scope union(Scope a, Scope b) {
    if (a.isClusterWide() || b.isClusterWide()) {
      return Scope.cluster();
    }
    List<String> all = new ArrayList<>(a.namespaces());
    all.addAll(b.namespaces());
    return new Scope(all);
  }

  private static Change describe(@Nullable IdentityMapping before, IdentityMapping after) {
    if (before == null) {
      return new Change(
          Change.Layer.IDENTITY,
          Change.Action.CREATE,
          "mapping " + after.principal(),
          summary(after));
    }
    List<String> details = new ArrayList<>();
    if (!before.username().equals(after.username())) {
      details.add(
          "username "
              + before.username().orElse("(default)")
              + " → "
              + after.username().orElse("(default)"));
    }
    for (String g : after.groups()) {
      if (!before.groups().contains(g)) {
        details.add("groups + " + g);
      }
    }
    for (PolicyAssociation p : after.policies()) {
      Optional<PolicyAssociation> old =
          before.policies().stream().filter(o -> o.policy().equals(p.policy())).findFirst();
      if (old.isEmpty()) {
        details.add("policy + " + p);
      } else if (!old.get().equals(p)) {
        details.add("policy ~ " + p.policy().name() + " " + old.get().scope() + " → " + p.scope());
      }
    }
    return new Change(
        Change.Layer.IDENTITY, Change.Action.UPDATE, "mapping " + after.principal(), details);
  }

  static List<String> summary(IdentityMapping m) {
    List<String> lines = new ArrayList<>();
    lines.add("username " + m.username().orElse("(backend default)"));
    if (!m.groups().isEmpty()) {
      lines.add("groups " + m.groups());
    }
    m.policies().forEach(p -> lines.add("policy " + p));
    m.breakGlass().ifPresent(b -> lines.add(b.toString()));
    return lines;
  }
}
