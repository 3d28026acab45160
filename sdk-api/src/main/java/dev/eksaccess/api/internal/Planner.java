package dev.eksaccess.api.internal;

import dev.eksaccess.api.AccessPolicy;
import dev.eksaccess.api.Binding;
import dev.eksaccess.api.Change;
import dev.eksaccess.api.ClusterRole;
import dev.eksaccess.api.ClusterRoleDefinition;
import dev.eksaccess.api.ErrorCode;
import dev.eksaccess.api.Grant;
import dev.eksaccess.api.Guard;
import dev.eksaccess.api.IamRole;
import dev.eksaccess.api.InvalidInputException;
import dev.eksaccess.api.InvalidInputException.Problem;
import dev.eksaccess.api.Principal;
import dev.eksaccess.api.RoleDefinition;
import dev.eksaccess.api.RoleRef;
import dev.eksaccess.api.Scope;
import dev.eksaccess.api.UnsupportedGrantException;
import dev.eksaccess.api.Violation;
import dev.eksaccess.api.spi.BreakGlassMark;
import dev.eksaccess.api.spi.Capability;
import dev.eksaccess.api.spi.IdentityChange;
import dev.eksaccess.api.spi.IdentityChanges;
import dev.eksaccess.api.spi.IdentityMapping;
import dev.eksaccess.api.spi.IdentitySnapshot;
import dev.eksaccess.api.spi.PolicyAssociation;
import dev.eksaccess.api.spi.PrincipalMatching;
import dev.eksaccess.api.spi.RbacBinding;
import dev.eksaccess.api.spi.RbacChange;
import dev.eksaccess.api.spi.RbacChanges;
import dev.eksaccess.api.spi.RbacRole;
import dev.eksaccess.api.spi.RbacSnapshot;
import dev.eksaccess.api.spi.RbacSubject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Turns grants or revokes plus the current snapshots into changes, and checks the lockout guards on
 * the state those changes would leave. Pure: reads nothing, writes nothing.
 */
public final class Planner {
  static final String SYSTEM_MASTERS = "system:masters";
  static final Set<String> NODE_GROUPS = Set.of("system:bootstrappers", "system:nodes");

  /** Everything the planner needs, already read. */
  public record Input(
      List<Grant> grants,
      List<Principal> revokes,
      IdentitySnapshot identity,
      @Nullable RbacSnapshot rbac,
      Set<Capability> capabilities,
      PrincipalMatching matching,
      String identityBackend,
      @Nullable Principal actingAs,
      List<IdentityMapping> alreadyRemoved,
      List<IdentityMapping> breakGlass,
      @Nullable Instant expireAt) {
    public Input {
      breakGlass = List.copyOf(breakGlass);
      grants = List.copyOf(grants);
      revokes = List.copyOf(revokes);
      alreadyRemoved = List.copyOf(alreadyRemoved);
      Objects.requireNonNull(identity, "identity");
      capabilities = Set.copyOf(capabilities);
      Objects.requireNonNull(matching, "matching");
    }
  }

  private Planner() {}

  /** Plans the input; throws for grants the backends cannot express. */
  public static PlanDraft plan(Input in) {
    checkExpressible(in);
    List<Change> identityShown = new ArrayList<>();
    List<IdentityChange> identityChanges = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    List<IdentityMapping> after = new ArrayList<>(in.identity().mappings());
    Map<String, Integer> lastIndex = new HashMap<>(); // duplicates: the last one is in force
    for (int i = 0; i < after.size(); i++) {
      lastIndex.put(PrincipalKeys.of(after.get(i).principal(), in.matching()), i);
    }

    // Layer 1: one desired mapping per principal, merged from all its grants.
    for (Map.Entry<String, List<Grant>> e : byPrincipal(in.grants(), in.matching()).entrySet()) {
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
      if (!desired.equals(existing)) {
        identityChanges.add(new IdentityChange.Put(desired));
        identityShown.add(describe(existing, desired));
        if (index < 0) {
          lastIndex.put(e.getKey(), after.size());
          after.add(desired);
        } else {
          after.set(index, desired);
        }
      }
    }
    // Break-glass: a dedicated mapping, created whole or given a new expiry.
    for (IdentityMapping wanted : in.breakGlass()) {
      IdentityMapping bg =
          new IdentityMapping(
              asWritten(wanted.principal(), in.matching()),
              wanted.username(),
              wanted.groups(),
              wanted.policies(),
              wanted.breakGlass());
      String k = PrincipalKeys.of(bg.principal(), in.matching());
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
      if (!bg.equals(existing)) {
        identityChanges.add(new IdentityChange.Put(bg));
        if (existing == null) {
          identityShown.add(describe(null, bg));
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
          identityShown.add(
              new Change(
                  Change.Layer.IDENTITY,
                  Change.Action.UPDATE,
                  "mapping " + bg.principal(),
                  details));
          after.set(index, bg);
        }
      }
    }
    // A retry after the identity write landed still owes the RBAC clean-up of those mappings.
    Set<String> present = new HashSet<>();
    after.forEach(m -> present.add(PrincipalKeys.of(m.principal(), in.matching())));
    List<IdentityMapping> removed =
        new ArrayList<>(
            in.alreadyRemoved().stream()
                .filter(m -> !present.contains(PrincipalKeys.of(m.principal(), in.matching())))
                .toList());
    List<IdentityMapping> removedNow = new ArrayList<>();
    Instant expireAt = in.expireAt();
    if (expireAt != null) {
      for (IdentityMapping m : List.copyOf(after)) {
        Optional<BreakGlassMark> mark = m.breakGlass();
        if (mark.isPresent() && mark.get().isExpiredAt(expireAt)) {
          identityChanges.add(new IdentityChange.Remove(m.principal()));
          identityShown.add(
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
          removedNow.add(m);
        }
      }
    }
    for (Principal p : in.revokes()) {
      String k = PrincipalKeys.of(p, in.matching());
      List<IdentityMapping> matches =
          after.stream()
              .filter(m -> PrincipalKeys.of(m.principal(), in.matching()).equals(k))
              .toList();
      if (matches.isEmpty()) {
        warnings.add(
            "nothing to revoke for " + p + ": " + in.identityBackend() + " has no mapping for it.");
        continue;
      }
      // One removal per principal: the backend removes every entry of it, duplicates included.
      identityChanges.add(new IdentityChange.Remove(matches.get(matches.size() - 1).principal()));
      for (IdentityMapping m : matches) {
        identityShown.add(
            new Change(
                Change.Layer.IDENTITY,
                Change.Action.DELETE,
                "mapping " + m.principal(),
                summary(m)));
        after.remove(m);
        removed.add(m);
        removedNow.add(m);
      }
    }

    // Layer 2: bindings the grants need; on revoke, the SDK's own bindings nobody uses any more.
    List<Change> rbacShown = new ArrayList<>();
    List<RbacChange> rbacChanges = new ArrayList<>();
    @Nullable RbacSnapshot rbac = in.rbac();
    List<RbacBinding> rbacAfter =
        rbac == null ? new ArrayList<>() : new ArrayList<>(rbac.bindings());
    Map<String, RbacBinding> desiredBindings = desiredBindings(in.grants());
    Map<String, RbacBinding> byName = new HashMap<>();
    for (RbacBinding b : rbacAfter) {
      byName.put(b.namespace() + "/" + b.name(), b);
    }
    Map<String, RbacRole> desiredRoles = desiredRoles(in.grants());
    for (RbacRole want : desiredRoles.values()) {
      Optional<RbacRole> have =
          rbac == null
              ? Optional.empty()
              : rbac.roles().stream()
                  .filter(
                      r -> r.namespace().equals(want.namespace()) && r.name().equals(want.name()))
                  .findFirst();
      String shown =
          (want.isClusterRole() ? "ClusterRole " : "Role " + want.namespace() + "/") + want.name();
      List<String> details =
          want.aggregateFrom().isEmpty()
              ? want.rules().stream().map(r -> "rule " + r).toList()
              : List.of("aggregating ClusterRoles labelled " + want.aggregateFrom());
      if (have.isEmpty()) {
        rbacChanges.add(new RbacChange.PutRole(want));
        rbacShown.add(new Change(Change.Layer.RBAC, Change.Action.CREATE, shown, details));
        continue;
      }
      if (!BindingNames.MANAGER.equals(have.get().labels().get(BindingNames.MANAGED_BY))) {
        throw InvalidInputException.of(
            ErrorCode.INVALID_GRANT,
            shown,
            null,
            "exists and is not managed by eks-access (no label "
                + BindingNames.MANAGED_BY
                + "="
                + BindingNames.MANAGER
                + "); eks-access never changes objects it does not own. Bind it as it is, or pick"
                + " another name.");
      }
      boolean same =
          have.get().aggregateFrom().equals(want.aggregateFrom())
              && (!want.aggregateFrom().isEmpty() || have.get().rules().equals(want.rules()));
      if (!same) {
        rbacChanges.add(new RbacChange.PutRole(want));
        rbacShown.add(new Change(Change.Layer.RBAC, Change.Action.UPDATE, shown, details));
      }
    }
    for (RbacBinding want : desiredBindings.values()) {
      Optional<RbacBinding> have =
          Optional.ofNullable(byName.get(want.namespace() + "/" + want.name()));
      if (have.isEmpty()) {
        rbacChanges.add(new RbacChange.PutBinding(want));
        rbacShown.add(
            new Change(
                Change.Layer.RBAC, Change.Action.CREATE, want.toString(), bindingSummary(want)));
        rbacAfter.add(want);
        byName.put(want.namespace() + "/" + want.name(), want);
        if (rbac != null
            && want.roleRef() instanceof ClusterRole cr
            && !desiredRoles.containsKey("/" + cr.name())
            && RbacEvaluator.clusterRole(rbac, cr).isEmpty()) {
          warnings.add(
              want
                  + " refers to ClusterRole "
                  + cr.name()
                  + ", which does not exist yet: it grants nothing until it does.");
        }
        continue;
      }
      RbacBinding existing = have.get();
      if (!BindingNames.MANAGER.equals(existing.labels().get(BindingNames.MANAGED_BY))) {
        throw InvalidInputException.of(
            ErrorCode.INVALID_NAME,
            existing.toString(),
            null,
            "exists and is not managed by eks-access (no label "
                + BindingNames.MANAGED_BY
                + "="
                + BindingNames.MANAGER
                + "); eks-access never changes objects it does not own. Delete or rename it.");
      }
      if (!existing.equals(want)) {
        boolean replace = !existing.roleRef().equals(want.roleRef());
        if (replace) {
          rbacChanges.add(new RbacChange.DeleteBinding(existing.namespace(), existing.name()));
        }
        rbacChanges.add(new RbacChange.PutBinding(want));
        rbacShown.add(
            new Change(
                Change.Layer.RBAC,
                replace ? Change.Action.REPLACE : Change.Action.UPDATE,
                want.toString(),
                List.of("subjects " + existing.subjects() + " → " + want.subjects())));
        rbacAfter.set(rbacAfter.indexOf(existing), want); // only for bindings that change
      }
    }
    if (!removed.isEmpty()) {
      Set<String> stillUsed = referencedNames(after);
      Set<String> wereUsed = referencedNames(removed);
      for (RbacBinding b : List.copyOf(rbacAfter)) {
        boolean owned = BindingNames.MANAGER.equals(b.labels().get(BindingNames.MANAGED_BY));
        boolean orphan =
            b.subjects().stream().noneMatch(s -> stillUsed.contains(s.name()))
                && b.subjects().stream().anyMatch(s -> wereUsed.contains(s.name()));
        if (owned && orphan) {
          rbacChanges.add(new RbacChange.DeleteBinding(b.namespace(), b.name()));
          rbacShown.add(
              new Change(Change.Layer.RBAC, Change.Action.DELETE, b.toString(), bindingSummary(b)));
          rbacAfter.remove(b);
        }
      }
    }

    List<Violation> violations =
        guards(
            in,
            in.identity().mappings(),
            after,
            rbac == null ? List.of() : rbac.bindings(),
            rbacAfter);
    Principal applier = in.actingAs();
    if (applier != null && rbac != null && !rbacChanges.isEmpty()) {
      warnings.addAll(
          EscalationCheck.warnings(
              applier, in.matching(), in.identity().mappings(), rbac, rbacChanges));
    }
    List<Change> changes = new ArrayList<>(identityShown);
    changes.addAll(rbacShown);
    return new PlanDraft(
        changes,
        violations,
        warnings,
        IdentityChanges.of(identityChanges),
        RbacChanges.of(rbacChanges),
        !removed.isEmpty(),
        removedNow);
  }

  private static void checkExpressible(Input in) {
    List<Problem> groupProblems = new ArrayList<>();
    for (Grant g : in.grants()) {
      if (g.subject().groups().contains(SYSTEM_MASTERS)) {
        throw InvalidInputException.of(
            ErrorCode.SYSTEM_MASTERS_GRANT,
            g.principal() + " asGroup",
            SYSTEM_MASTERS,
            "is granted only by break-glass, which expires: its members bypass RBAC and no RBAC"
                + " change can take it back. Bind ClusterRole.CLUSTER_ADMIN clusterWide() for"
                + " lasting admin access, or use ClusterAccess.breakGlass(role).forDuration(..)"
                + ".because(..) in an emergency.");
      }
      for (Binding b : g.bindings()) {
        if (b.target() instanceof AccessPolicy p
            && !in.capabilities().contains(Capability.ACCESS_POLICIES)) {
          throw new UnsupportedGrantException(
              Capability.ACCESS_POLICIES,
              g.principal()
                  + ": backend \""
                  + in.identityBackend()
                  + "\" has no EKS access policies, so it cannot bind "
                  + p.name()
                  + ". Bind the matching ClusterRole instead (AmazonEKSViewPolicy ≈ ClusterRole.VIEW),"
                  + " or use the Access Entries backend.");
        }
        if (b.roleRef().isPresent() && b.scope().hasWildcard()) {
          throw InvalidInputException.of(
              ErrorCode.INVALID_NAMESPACE,
              g.principal() + " binding " + b.target(),
              b.scope().toString(),
              "names namespaces with *, which only EKS access policies understand; a RoleBinding"
                  + " needs each namespace by name.");
        }
        if (b.roleRef().isPresent() && in.rbac() == null) {
          throw new IllegalStateException(
              g.principal()
                  + ": binding "
                  + b.target()
                  + " needs an RBAC backend; add .rbac(..) to ClusterAccess.builder().");
        }
      }
      if (!in.capabilities().contains(Capability.SYSTEM_GROUPS)) {
        // Backends without system: groups are Access Entries: check all of EKS's rules now, so a
        // refused value never leaves half a grant written.
        IdentityMapping provisional =
            new IdentityMapping(
                g.principal(), g.subject().username(), g.subject().groups(), List.of());
        groupProblems.addAll(
            AccessEntryRules.problems(provisional, g.principal() + " on " + in.identityBackend()));
      }
    }
    if (!groupProblems.isEmpty()) {
      throw AccessEntryRules.exception(groupProblems);
    }
  }

  private static Map<String, List<Grant>> byPrincipal(
      List<Grant> grants, PrincipalMatching matching) {
    Map<String, List<Grant>> out = new LinkedHashMap<>();
    for (Grant g : grants) {
      out.computeIfAbsent(
              PrincipalKeys.of(asWritten(g.principal(), matching), matching),
              k -> new ArrayList<>())
          .add(g);
    }
    return out;
  }

  /** aws-auth must name a role without its path: STS never reports it, so a path never matches. */
  private static Principal asWritten(Principal p, PrincipalMatching matching) {
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

  private static List<String> summary(IdentityMapping m) {
    List<String> lines = new ArrayList<>();
    lines.add("username " + m.username().orElse("(backend default)"));
    if (!m.groups().isEmpty()) {
      lines.add("groups " + m.groups());
    }
    m.policies().forEach(p -> lines.add("policy " + p));
    m.breakGlass().ifPresent(b -> lines.add(b.toString()));
    return lines;
  }

  private static List<String> bindingSummary(RbacBinding b) {
    return List.of("roleRef " + b.roleRef(), "subjects " + b.subjects());
  }

  /** The Roles and ClusterRoles the grants define, by namespace/name; one definition each. */
  private static Map<String, RbacRole> desiredRoles(List<Grant> grants) {
    Map<String, RbacRole> out = new LinkedHashMap<>();
    Map<String, String> labels = Map.of(BindingNames.MANAGED_BY, BindingNames.MANAGER);
    for (Grant g : grants) {
      for (Binding b : g.bindings()) {
        RbacRole role;
        if (b.target() instanceof ClusterRoleDefinition d) {
          role = new RbacRole("", d.role().name(), d.rules(), labels, d.aggregateFrom());
        } else if (b.target() instanceof RoleDefinition d) {
          role = new RbacRole(d.role().namespace(), d.role().name(), d.rules(), labels);
        } else {
          continue;
        }
        String key = role.namespace() + "/" + role.name();
        RbacRole before = out.putIfAbsent(key, role);
        if (before != null && !before.equals(role)) {
          throw InvalidInputException.of(
              ErrorCode.INVALID_GRANT,
              b.target().toString(),
              null,
              "is defined twice with different rules in one plan; define it once.");
        }
      }
    }
    return out;
  }

  private static Map<String, RbacBinding> desiredBindings(List<Grant> grants) {
    Map<String, RbacBinding> out = new LinkedHashMap<>();
    for (Grant g : grants) {
      List<RbacSubject> subjects =
          g.subject().groups().isEmpty()
              ? List.of(RbacSubject.user(g.subject().username().orElseThrow()))
              : g.subject().groups().stream().map(RbacSubject::group).toList();
      for (Binding b : g.bindings()) {
        if (b.roleRef().isEmpty()) {
          continue;
        }
        RoleRef role = b.roleRef().get();
        String name = BindingNames.of(role, subjects);
        Map<String, String> labels = Map.of(BindingNames.MANAGED_BY, BindingNames.MANAGER);
        if (b.scope().isClusterWide()) {
          RbacBinding crb =
              RbacBinding.clusterRoleBinding(name, (ClusterRole) role, subjects).withLabels(labels);
          out.put("/" + name, crb);
        } else {
          for (String ns : b.scope().namespaces()) {
            out.put(
                ns + "/" + name,
                RbacBinding.roleBinding(ns, name, role, subjects).withLabels(labels));
          }
        }
      }
    }
    return out;
  }

  private static Set<String> referencedNames(List<IdentityMapping> mappings) {
    Set<String> names = new LinkedHashSet<>();
    for (IdentityMapping m : mappings) {
      names.addAll(m.groups());
      m.username().ifPresent(names::add);
    }
    return names;
  }

  private static List<Violation> guards(
      Input in,
      List<IdentityMapping> before,
      List<IdentityMapping> after,
      List<RbacBinding> rbacBefore,
      List<RbacBinding> rbacAfter) {
    List<Violation> out = new ArrayList<>();
    Map<String, Set<String>> groupsAfter = new HashMap<>();
    Map<String, Optional<String>> usernameAfter = new HashMap<>();
    for (IdentityMapping a : after) {
      groupsAfter
          .computeIfAbsent(PrincipalKeys.of(a.principal(), in.matching()), k -> new HashSet<>())
          .addAll(a.groups());
      usernameAfter.put(PrincipalKeys.of(a.principal(), in.matching()), a.username());
    }
    for (IdentityMapping m : before) {
      List<String> nodeGroups = m.groups().stream().filter(NODE_GROUPS::contains).toList();
      if (nodeGroups.isEmpty()) {
        continue;
      }
      String k = PrincipalKeys.of(m.principal(), in.matching());
      boolean kept = groupsAfter.getOrDefault(k, Set.of()).containsAll(nodeGroups);
      Optional<String> nodeUser = m.username().filter(u -> u.startsWith("system:node:"));
      if (kept
          && nodeUser.isPresent()
          && !usernameAfter.getOrDefault(k, Optional.empty()).equals(nodeUser)) {
        out.add(
            new Violation(
                Guard.NODE_ROLES,
                "Refusing to change the username of node role mapping "
                    + m.principal()
                    + " from "
                    + nodeUser.get()
                    + ": the node authorizer only trusts system:node:<name> users, so its nodes"
                    + " would lose their permissions. Pass .force(Guard.NODE_ROLES) if intended."));
      }
      if (!kept) {
        out.add(
            new Violation(
                Guard.NODE_ROLES,
                "Refusing to remove node role mapping "
                    + m.principal()
                    + " (groups "
                    + nodeGroups
                    + "): nodes using this role could no longer join the cluster. Pass"
                    + " .force(Guard.NODE_ROLES) if those nodes are gone."));
      }
    }
    Principal self = in.actingAs();
    if (self != null) {
      String k = PrincipalKeys.of(self, in.matching());
      boolean mappedBefore =
          before.stream().anyMatch(m -> PrincipalKeys.of(m.principal(), in.matching()).equals(k));
      if (mappedBefore && !groupsAfter.containsKey(k)) {
        out.add(
            new Violation(
                Guard.OWN_MAPPING,
                "Refusing to remove the mapping of "
                    + self
                    + ", the identity applying this change: it would lose access to the cluster"
                    + " as the change lands. Apply it as another identity, or pass"
                    + " .force(Guard.OWN_MAPPING) if that is intended."));
      }
    }
    // Break-glass admins do not count either way: they expire, so they are never the last admin
    // whose removal locks people out, nor a reason to let the last permanent one go.
    ClusterAdmins bound = ClusterAdmins.of(rbacBefore);
    List<IdentityMapping> adminsBefore =
        before.stream().filter(m -> m.breakGlass().isEmpty()).filter(bound::includes).toList();
    ClusterAdmins boundAfter = ClusterAdmins.of(rbacAfter);
    boolean adminsAfter =
        after.stream().filter(m -> m.breakGlass().isEmpty()).anyMatch(boundAfter::includes);
    if (!adminsBefore.isEmpty() && !adminsAfter) {
      out.add(
          new Violation(
              Guard.LAST_ADMIN,
              "Refusing to remove the last cluster-admin-equivalent mapping ("
                  + adminsBefore.stream()
                      .map(m -> m.principal().toString())
                      .collect(Collectors.joining(", "))
                  + "): this would lock every administrator out. Pass .force(Guard.LAST_ADMIN) if"
                  + " that is intended."));
    }
    return out;
  }

  /**
   * Who is cluster-admin-equivalent: {@code system:masters}, the cluster-admin access policy
   * cluster-wide, or a subject of a ClusterRoleBinding to {@code cluster-admin}. The bound subjects
   * are collected once, so checking every mapping costs one pass over the bindings.
   */
  record ClusterAdmins(Set<String> groups, Set<String> users) {
    static ClusterAdmins of(List<RbacBinding> bindings) {
      Set<String> groups = new HashSet<>();
      Set<String> users = new HashSet<>();
      for (RbacBinding b : bindings) {
        if (!b.isClusterRoleBinding() || !b.roleRef().equals(ClusterRole.CLUSTER_ADMIN)) {
          continue;
        }
        for (RbacSubject s : b.subjects()) {
          switch (s.kind()) {
            case GROUP -> groups.add(s.name());
            case USER -> users.add(s.name());
            case SERVICE_ACCOUNT ->
                users.add("system:serviceaccount:" + s.namespace() + ":" + s.name());
          }
        }
      }
      return new ClusterAdmins(groups, users);
    }

    boolean includes(IdentityMapping m) {
      if (m.groups().contains(SYSTEM_MASTERS)) {
        return true;
      }
      for (PolicyAssociation p : m.policies()) {
        if (p.policy().equals(AccessPolicy.CLUSTER_ADMIN) && p.scope().isClusterWide()) {
          return true;
        }
      }
      if (m.username().isPresent() && users.contains(m.username().get())) {
        return true;
      }
      for (String g : m.groups()) {
        if (groups.contains(g)) {
          return true;
        }
      }
      return false;
    }
  }
}
