package dev.eksaccess.api.internal;

import dev.eksaccess.api.AccessPolicy;
import dev.eksaccess.api.ClusterRole;
import dev.eksaccess.api.Guard;
import dev.eksaccess.api.ManagedEntry;
import dev.eksaccess.api.Principal;
import dev.eksaccess.api.RoleRef;
import dev.eksaccess.api.Violation;
import dev.eksaccess.api.spi.IdentityMapping;
import dev.eksaccess.api.spi.PolicyAssociation;
import dev.eksaccess.api.spi.RbacBinding;
import dev.eksaccess.api.spi.RbacSubject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The lockout guards, checked on the state a plan would leave: node roles, the applier's own
 * mapping, the last cluster admin, and bindings to roles that do not exist. Pure.
 */
final class LockoutGuards {
  static final String SYSTEM_MASTERS = "system:masters";
  static final Set<String> NODE_GROUPS = Set.of("system:bootstrappers", "system:nodes");

  private LockoutGuards() {}

  /** The violations, and the admins lost whom a scoped read could not weigh against the rest. */
  record Result(List<Violation> violations, List<Principal> adminsLost) {}

  static Result check(
      Planner.Input in,
      List<IdentityMapping> before,
      List<IdentityMapping> after,
      List<RbacBinding> rbacBefore,
      List<RbacBinding> rbacAfter,
      List<RoleRef> missingRoles) {
    List<Violation> out = new ArrayList<>();
    Map<String, Set<String>> groupsAfter = new HashMap<>();
    Map<String, Optional<String>> usernameAfter = new HashMap<>();
    for (IdentityMapping a : after) {
      String k = IdentityPlanner.key(a.principal(), in);
      groupsAfter.computeIfAbsent(k, x -> new HashSet<>()).addAll(a.groups());
      usernameAfter.put(k, a.username());
    }
    nodeRoles(in, before, groupsAfter, usernameAfter, out);
    managedEntries(in, before, after, out);
    ownMapping(in, before, groupsAfter, out);
    for (RoleRef r : missingRoles) {
      out.add(
          new Violation(
              Guard.MISSING_ROLE,
              "Refusing to bind "
                  + r
                  + ", which does not exist: the binding grants nothing until someone creates it,"
                  + " with whatever rules they choose. Check the name, create the role first, or"
                  + " pass .force(Guard.MISSING_ROLE) if it is created by other means."));
    }
    // Break-glass admins do not count either way: they expire, so they are never the last admin
    // whose removal locks people out, nor a reason to let the last permanent one go.
    ClusterAdmins bound = ClusterAdmins.of(rbacBefore);
    List<IdentityMapping> adminsBefore =
        before.stream().filter(m -> m.breakGlass().isEmpty()).filter(bound::includes).toList();
    ClusterAdmins boundAfter = ClusterAdmins.of(rbacAfter);
    List<IdentityMapping> adminsAfter =
        after.stream().filter(m -> m.breakGlass().isEmpty()).filter(boundAfter::includes).toList();
    List<Principal> lost = new ArrayList<>();
    if (!adminsBefore.isEmpty() && adminsAfter.isEmpty()) {
      if (in.identity().complete()) {
        out.add(lastAdmin(adminsBefore.stream().map(IdentityMapping::principal).toList()));
      } else {
        // A scoped read sees only the principals this plan touches: whether another admin is
        // left is asked of the backend before the plan is shown.
        adminsBefore.forEach(m -> lost.add(m.principal()));
      }
    }
    return new Result(out, lost);
  }

  static Violation lastAdmin(List<Principal> admins) {
    return new Violation(
        Guard.LAST_ADMIN,
        "Refusing to remove the last cluster-admin-equivalent mapping ("
            + admins.stream().map(Principal::toString).collect(Collectors.joining(", "))
            + "): this would lock every administrator out. Pass .force(Guard.LAST_ADMIN) if"
            + " that is intended.");
  }

  private static void nodeRoles(
      Planner.Input in,
      List<IdentityMapping> before,
      Map<String, Set<String>> groupsAfter,
      Map<String, Optional<String>> usernameAfter,
      List<Violation> out) {
    for (IdentityMapping m : before) {
      List<String> nodeGroups = m.groups().stream().filter(NODE_GROUPS::contains).toList();
      if (nodeGroups.isEmpty()) {
        continue;
      }
      String k = IdentityPlanner.key(m.principal(), in);
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
  }

  /**
   * Entries EKS or an AWS service made for itself stay as they are. aws-auth node mappings are the
   * {@link Guard#NODE_ROLES} guard's, so one change never needs two guards forced.
   */
  private static void managedEntries(
      Planner.Input in,
      List<IdentityMapping> before,
      List<IdentityMapping> after,
      List<Violation> out) {
    Map<String, IdentityMapping> afterByKey = new HashMap<>();
    for (IdentityMapping a : after) {
      afterByKey.put(IdentityPlanner.key(a.principal(), in), a);
    }
    for (IdentityMapping m : before) {
      Optional<ManagedEntry.Kind> kind = ManagedEntry.kindOf(m);
      if (kind.isEmpty()
          || (m.entryType().isEmpty() && m.groups().stream().anyMatch(NODE_GROUPS::contains))) {
        continue;
      }
      @Nullable IdentityMapping now = afterByKey.get(IdentityPlanner.key(m.principal(), in));
      if (now != null && now.equals(m)) {
        continue;
      }
      out.add(
          new Violation(
              Guard.AWS_MANAGED_ENTRY,
              "Refusing to "
                  + (now == null ? "remove" : "change")
                  + " the access entry of "
                  + m.principal()
                  + ", which "
                  + describe(kind.get())
                  + " manages: the service would stop working, and may put the entry back. Pass"
                  + " .force(Guard.AWS_MANAGED_ENTRY) if that service is gone."));
    }
  }

  private static String describe(ManagedEntry.Kind kind) {
    return switch (kind) {
      case NODE -> "EKS (a node role)";
      case AUTO_MODE_NODE -> "EKS Auto Mode (its node role)";
      case AUTO_MODE_CLUSTER_ROLE -> "EKS Auto Mode (the cluster role)";
      case CAPABILITY -> "an EKS capability";
      case SERVICE_LINKED_ROLE -> "an AWS service (a service-linked role)";
      case CLUSTER_CREATOR -> "EKS (the cluster creator's entry)";
    };
  }

  private static void ownMapping(
      Planner.Input in,
      List<IdentityMapping> before,
      Map<String, Set<String>> groupsAfter,
      List<Violation> out) {
    @Nullable Principal self = in.actingAs();
    if (self == null) {
      return;
    }
    String k = IdentityPlanner.key(self, in);
    boolean mappedBefore =
        before.stream().anyMatch(m -> IdentityPlanner.key(m.principal(), in).equals(k));
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
