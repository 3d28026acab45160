package dev.eksaccess.api.internal;

import dev.eksaccess.api.Binding;
import dev.eksaccess.api.Change;
import dev.eksaccess.api.ClusterRole;
import dev.eksaccess.api.ClusterRoleDefinition;
import dev.eksaccess.api.ErrorCode;
import dev.eksaccess.api.Grant;
import dev.eksaccess.api.InvalidInputException;
import dev.eksaccess.api.PartialRevoke;
import dev.eksaccess.api.Principal;
import dev.eksaccess.api.Role;
import dev.eksaccess.api.RoleDefinition;
import dev.eksaccess.api.RoleRef;
import dev.eksaccess.api.spi.IdentityMapping;
import dev.eksaccess.api.spi.RbacBinding;
import dev.eksaccess.api.spi.RbacChange;
import dev.eksaccess.api.spi.RbacQuery;
import dev.eksaccess.api.spi.RbacRef;
import dev.eksaccess.api.spi.RbacRole;
import dev.eksaccess.api.spi.RbacSnapshot;
import dev.eksaccess.api.spi.RbacSubject;
import dev.eksaccess.api.support.BindingNames;
import dev.eksaccess.api.support.GrantedFor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Layer 2 of a plan: the roles and bindings grants need (each recording the principals it was
 * granted for), and, for revokes, the release of those records, deleting a binding nobody is left
 * on. Pure.
 */
final class RbacPlanner {
  private static final Map<String, String> MANAGED =
      Map.of(BindingNames.MANAGED_BY, BindingNames.MANAGER);

  private RbacPlanner() {}

  /** The steps, what they show, and the bindings once written (for the guards). */
  record Result(
      List<RbacStep> before,
      List<RbacStep> after,
      List<Change> shown,
      List<String> warnings,
      List<RoleRef> missingRoles,
      List<RbacBinding> bindingsAfter) {}

  /**
   * What a scoped read must return for these grants and revokes: the objects the grants write and
   * the roles they bind by name; every eks-access binding when something is removed (its record
   * says whom it serves); every ClusterRoleBinding when the last-admin guard may be at stake.
   */
  static RbacQuery query(List<Grant> grants, boolean removes) {
    List<RbacRef> refs = new ArrayList<>();
    // a wildcard scope is refused when planning, with its own message; nothing to read for it
    List<Grant> bindable =
        grants.stream()
            .filter(g -> g.bindings().stream().noneMatch(b -> b.scope().hasWildcard()))
            .toList();
    desiredRoles(bindable).values().forEach(r -> refs.add(RbacRef.of(r)));
    for (RbacBinding b : desiredBindings(bindable).values()) {
      refs.add(RbacRef.of(b));
      RbacRef role =
          b.roleRef() instanceof Role r
              ? RbacRef.role(r.namespace(), r.name())
              : RbacRef.role("", b.roleRef().name());
      if (!refs.contains(role)) {
        refs.add(role);
      }
    }
    RbacQuery q = RbacQuery.of(refs);
    return removes ? q.withManagedBindings().withClusterRoleBindings() : q;
  }

  static Result plan(
      Planner.Input in, List<IdentityMapping> identityAfter, List<IdentityMapping> removed) {
    RbacSnapshot rbac = in.rbac();
    List<RbacStep> before = new ArrayList<>();
    List<RbacStep> after = new ArrayList<>();
    List<Change> shown = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    List<RoleRef> missing = new ArrayList<>();
    if (rbac == null) {
      return new Result(before, after, shown, warnings, missing, List.of());
    }
    Map<RbacRef, RbacBinding> bindingsAfter = new LinkedHashMap<>();
    rbac.bindings().forEach(b -> bindingsAfter.put(RbacRef.of(b), b));

    Map<String, RbacRole> roles = desiredRoles(in.grants());
    for (RbacRole want : roles.values()) {
      RbacStep step = new RbacStep.EnsureRole(want);
      Optional<RbacChange> c = step.changeFor(rbac);
      if (c.isPresent()) {
        before.add(step);
        List<String> details =
            want.aggregateFrom().isEmpty()
                ? want.rules().stream().map(r -> "rule " + r).toList()
                : List.of("aggregating ClusterRoles labelled " + want.aggregateFrom());
        shown.add(new Change(Change.Layer.RBAC, action(c.get()), step.ref().toString(), details));
      }
    }
    Map<String, RbacBinding> wanted = desiredBindings(in.grants());
    Map<String, List<Principal>> grantedFor = grantedFor(in);
    for (Map.Entry<String, RbacBinding> e : wanted.entrySet()) {
      RbacBinding want = e.getValue();
      RbacStep step =
          new RbacStep.EnsureBinding(want, grantedFor.getOrDefault(e.getKey(), List.of()));
      Optional<RbacChange> c = step.changeFor(rbac);
      if (c.isEmpty()) {
        continue;
      }
      before.add(step);
      RbacChange.PutBinding put = (RbacChange.PutBinding) c.get();
      Optional<RbacBinding> have = rbac.binding(step.ref());
      shown.add(
          new Change(
              Change.Layer.RBAC,
              action(c.get()),
              step.ref().toString(),
              have.isEmpty() ? bindingSummary(put.binding()) : updateDetails(have.get(), put)));
      bindingsAfter.put(step.ref(), put.binding());
      if (have.isEmpty() && !roleExists(rbac, roles, want.roleRef())) {
        missing.add(want.roleRef());
      }
    }

    if (!removed.isEmpty() || !in.revokes().isEmpty()) {
      release(in, identityAfter, removed, rbac, after, shown, warnings, bindingsAfter);
    }
    if (!in.partialRevokes().isEmpty()) {
      releasePartial(in, identityAfter, rbac, after, shown, warnings, bindingsAfter);
    }
    return new Result(before, after, shown, warnings, missing, List.copyOf(bindingsAfter.values()));
  }

  /**
   * The releases of a revoke: every eks-access binding that records a revoked principal loses it
   * (found by its record, so a binding a failed grant left behind is cleaned up even when the
   * principal has no mapping); a binding nobody is left on goes, unless a remaining mapping still
   * uses it. Bindings without a record (made before eks-access kept one) go when a removed mapping
   * used them and no remaining mapping does, which only a complete read can tell.
   */
  private static void release(
      Planner.Input in,
      List<IdentityMapping> identityAfter,
      List<IdentityMapping> removed,
      RbacSnapshot rbac,
      List<RbacStep> after,
      List<Change> shown,
      List<String> warnings,
      Map<RbacRef, RbacBinding> bindingsAfter) {
    List<Principal> released = new ArrayList<>(in.revokes());
    removed.forEach(m -> released.add(m.principal()));
    boolean complete = in.identity().complete();
    Set<String> stillUsed = referencedNames(identityAfter);
    Set<String> wereUsed = referencedNames(removed);
    for (RbacBinding b : rbac.bindings()) {
      if (!BindingNames.MANAGER.equals(b.labels().get(BindingNames.MANAGED_BY))) {
        continue;
      }
      List<Principal> listed = released.stream().filter(p -> GrantedFor.lists(b, p)).toList();
      boolean legacy =
          !GrantedFor.isRecorded(b)
              && b.subjects().stream().anyMatch(s -> wereUsed.contains(s.name()));
      if (listed.isEmpty() && !legacy) {
        continue;
      }
      boolean used = complete && b.subjects().stream().anyMatch(s -> stillUsed.contains(s.name()));
      Optional<Set<String>> inUse = complete ? Optional.of(stillUsed) : Optional.empty();
      if (legacy && !complete) {
        warnings.add(
            b
                + " binds "
                + b.subjects()
                + " and has no record of whom eks-access granted it for (made by an older"
                + " version); it is kept. Delete it if no one else uses it.");
        continue;
      }
      RbacStep step = new RbacStep.ReleaseBinding(RbacRef.of(b), listed, inUse);
      Optional<RbacChange> c = step.changeFor(rbac);
      if (c.isEmpty()) {
        continue;
      }
      after.add(step);
      if (c.get() instanceof RbacChange.DeleteBinding) {
        shown.add(
            new Change(Change.Layer.RBAC, Change.Action.DELETE, b.toString(), bindingSummary(b)));
        bindingsAfter.remove(RbacRef.of(b));
        if (!complete) {
          warnings.add(
              b
                  + " goes with the last principal eks-access granted it for; a principal mapped to "
                  + b.subjects()
                  + " outside eks-access would lose it too.");
        }
      } else {
        RbacChange.PutBinding put = (RbacChange.PutBinding) c.get();
        shown.add(
            new Change(
                Change.Layer.RBAC, Change.Action.UPDATE, b.toString(), updateDetails(b, put)));
        bindingsAfter.put(RbacRef.of(b), put.binding());
        if (used && !GrantedFor.isRecorded(put.binding())) {
          warnings.add(
              b + " is kept: a remaining mapping not granted through eks-access still uses it.");
        }
      }
    }
  }

  /**
   * The releases of partial revokes: for a binding revoke, each eks-access binding to that role in
   * that scope that records the principal; for a group revoke, each that records the principal and
   * binds that group, when the principal no longer reaches it through another name. The principal
   * leaves the record, and a binding nobody is left on goes: the record decides, on every backend,
   * as the caller named this binding (a complete read warns when other mappings name its subjects).
   */
  private static void releasePartial(
      Planner.Input in,
      List<IdentityMapping> identityAfter,
      RbacSnapshot rbac,
      List<RbacStep> after,
      List<Change> shown,
      List<String> warnings,
      Map<RbacRef, RbacBinding> bindingsAfter) {
    Set<RbacRef> done = new LinkedHashSet<>();
    boolean complete = in.identity().complete();
    for (PartialRevoke r : in.partialRevokes()) {
      if (r.kind() == PartialRevoke.Kind.ACCESS_POLICY) {
        continue;
      }
      Principal p = r.principal();
      String key = IdentityPlanner.key(p, in);
      List<IdentityMapping> others =
          identityAfter.stream()
              .filter(m -> !IdentityPlanner.key(m.principal(), in).equals(key))
              .toList();
      Set<String> mine =
          referencedNames(
              identityAfter.stream()
                  .filter(m -> IdentityPlanner.key(m.principal(), in).equals(key))
                  .toList());
      Set<String> othersUse = referencedNames(others);
      boolean found = false;
      for (RbacBinding b : rbac.bindings()) {
        if (!BindingNames.MANAGER.equals(b.labels().get(BindingNames.MANAGED_BY))
            || !GrantedFor.lists(b, p)
            || !matches(r, b, mine)) {
          continue;
        }
        found = true;
        RbacRef ref = RbacRef.of(b);
        if (!done.add(ref)) {
          continue;
        }
        // the record decides, on every backend: the binding goes with the last principal it was
        // granted for, as the caller asked, even where another mapping names its subjects
        RbacStep step = new RbacStep.ReleaseBinding(ref, List.of(p), Optional.empty());
        Optional<RbacChange> c = step.changeFor(rbac);
        if (c.isEmpty()) {
          continue;
        }
        after.add(step);
        if (c.get() instanceof RbacChange.DeleteBinding) {
          shown.add(
              new Change(Change.Layer.RBAC, Change.Action.DELETE, b.toString(), bindingSummary(b)));
          bindingsAfter.remove(ref);
          if (!complete) {
            warnings.add(
                b
                    + " goes with the last principal eks-access granted it for; a principal mapped"
                    + " to "
                    + b.subjects()
                    + " outside eks-access would lose it too.");
          } else if (b.subjects().stream().anyMatch(x -> othersUse.contains(x.name()))) {
            warnings.add(
                b
                    + " goes with the last principal eks-access granted it for; other mappings that"
                    + " name "
                    + b.subjects()
                    + " lose it too.");
          }
        } else {
          RbacChange.PutBinding put = (RbacChange.PutBinding) c.get();
          shown.add(
              new Change(
                  Change.Layer.RBAC, Change.Action.UPDATE, b.toString(), updateDetails(b, put)));
          bindingsAfter.put(ref, put.binding());
          if (b.subjects().stream().anyMatch(s -> mine.contains(s.name()))) {
            warnings.add(
                b
                    + " stays: another principal still holds it, and "
                    + p
                    + " keeps that access through "
                    + b.subjects()
                    + " while its mapping names them. Revoke the group instead to take it away.");
          }
        }
      }
      if (!found && r.kind() == PartialRevoke.Kind.BINDING) {
        warnings.add(
            "nothing to revoke: no binding eks-access made for "
                + p
                + " binds "
                + r.target()
                + r.scope().map(sc -> " " + sc).orElse("")
                + ".");
      }
    }
  }

  /** Whether a partial revoke reaches this binding. */
  private static boolean matches(PartialRevoke r, RbacBinding b, Set<String> stillUsed) {
    if (r.kind() == PartialRevoke.Kind.GROUP) {
      return b.subjects().stream().anyMatch(s -> s.name().equals(r.group()))
          && b.subjects().stream().noneMatch(s -> stillUsed.contains(s.name()));
    }
    if (!b.roleRef().equals(r.target())) {
      return false;
    }
    return r.scope()
        .map(
            sc ->
                sc.isClusterWide()
                    ? b.namespace().isEmpty()
                    : !b.namespace().isEmpty() && sc.namespaces().contains(b.namespace()))
        .orElse(true);
  }

  private static Change.Action action(RbacChange c) {
    return c.expected().isAbsent() ? Change.Action.CREATE : Change.Action.UPDATE;
  }

  private static List<String> updateDetails(RbacBinding have, RbacChange.PutBinding put) {
    List<String> details = new ArrayList<>();
    RbacBinding want = put.binding();
    if (!have.subjects().equals(want.subjects())) {
      details.add("subjects " + have.subjects() + " → " + want.subjects());
    }
    List<String> before = GrantedFor.arns(have);
    List<String> now = GrantedFor.arns(want);
    now.stream().filter(a -> !before.contains(a)).forEach(a -> details.add("granted for + " + a));
    before.stream().filter(a -> !now.contains(a)).forEach(a -> details.add("granted for - " + a));
    if (!have.labels().equals(want.labels())) {
      details.add("labels " + have.labels() + " → " + want.labels());
    }
    return details;
  }

  private static boolean roleExists(RbacSnapshot rbac, Map<String, RbacRole> defined, RoleRef r) {
    if (r instanceof Role role) {
      return defined.containsKey(role.namespace() + "/" + role.name())
          || rbac.role(RbacRef.role(role.namespace(), role.name())).isPresent();
    }
    return defined.containsKey("/" + r.name()) || rbac.role(RbacRef.role("", r.name())).isPresent();
  }

  static List<String> bindingSummary(RbacBinding b) {
    List<String> out =
        new ArrayList<>(List.of("roleRef " + b.roleRef(), "subjects " + b.subjects()));
    GrantedFor.arns(b).forEach(a -> out.add("granted for " + a));
    return out;
  }

  /** The principals each desired binding is granted for, by namespace/name. */
  private static Map<String, List<Principal>> grantedFor(Planner.Input in) {
    Map<String, List<Principal>> out = new LinkedHashMap<>();
    for (Grant g : in.grants()) {
      Principal p = IdentityPlanner.asWritten(g.principal(), in.matching());
      for (String key : desiredBindings(List.of(g)).keySet()) {
        List<Principal> list = out.computeIfAbsent(key, k -> new ArrayList<>());
        if (!list.contains(p)) {
          list.add(p);
        }
      }
    }
    return out;
  }

  /** The Roles and ClusterRoles the grants define, by namespace/name; one definition each. */
  static Map<String, RbacRole> desiredRoles(List<Grant> grants) {
    Map<String, RbacRole> out = new LinkedHashMap<>();
    for (Grant g : grants) {
      for (Binding b : g.bindings()) {
        RbacRole role;
        if (b.target() instanceof ClusterRoleDefinition d) {
          role = new RbacRole("", d.role().name(), d.rules(), MANAGED, d.aggregateFrom());
        } else if (b.target() instanceof RoleDefinition d) {
          role = new RbacRole(d.role().namespace(), d.role().name(), d.rules(), MANAGED);
        } else {
          continue;
        }
        String key = role.namespace() + "/" + role.name();
        @Nullable RbacRole earlier = out.putIfAbsent(key, role);
        if (earlier != null && !earlier.equals(role)) {
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

  /** The bindings the grants need, by namespace/name. */
  static Map<String, RbacBinding> desiredBindings(List<Grant> grants) {
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
        if (b.scope().isClusterWide()) {
          out.put(
              "/" + name,
              RbacBinding.clusterRoleBinding(name, (ClusterRole) role, subjects)
                  .withLabels(MANAGED));
        } else {
          for (String ns : b.scope().namespaces()) {
            out.put(
                ns + "/" + name,
                RbacBinding.roleBinding(ns, name, role, subjects).withLabels(MANAGED));
          }
        }
      }
    }
    return out;
  }

  static Set<String> referencedNames(List<IdentityMapping> mappings) {
    Set<String> names = new LinkedHashSet<>();
    for (IdentityMapping m : mappings) {
      names.addAll(m.groups());
      m.username().ifPresent(names::add);
    }
    return names;
  }
}
