package dev.eksaccess.api.internal;

import dev.eksaccess.api.AccessPolicy;
import dev.eksaccess.api.AccessPolicyCatalogue;
import dev.eksaccess.api.Binding;
import dev.eksaccess.api.Change;
import dev.eksaccess.api.ErrorCode;
import dev.eksaccess.api.Grant;
import dev.eksaccess.api.InvalidInputException;
import dev.eksaccess.api.InvalidInputException.Problem;
import dev.eksaccess.api.PartialRevoke;
import dev.eksaccess.api.Principal;
import dev.eksaccess.api.UnsupportedGrantException;
import dev.eksaccess.api.spi.Capability;
import dev.eksaccess.api.spi.IdentityChanges;
import dev.eksaccess.api.spi.IdentityMapping;
import dev.eksaccess.api.spi.IdentitySnapshot;
import dev.eksaccess.api.spi.PrincipalMatching;
import dev.eksaccess.api.spi.RbacChange;
import dev.eksaccess.api.spi.RbacQuery;
import dev.eksaccess.api.spi.RbacSnapshot;
import dev.eksaccess.api.support.AccessEntryRules;
import dev.eksaccess.api.support.Texts;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Turns grants or revokes plus what was read of both layers into changes, and checks the lockout
 * guards on the state those changes would leave. Pure: reads nothing, writes nothing. The work is
 * split along its seams: {@link IdentityPlanner} (layer 1), {@link RbacPlanner} (layer 2), {@link
 * LockoutGuards}.
 */
public final class Planner {
  static final String SYSTEM_MASTERS = LockoutGuards.SYSTEM_MASTERS;

  /**
   * Everything the planner needs, already read.
   *
   * @param knownPolicies the access policies the backend's region knows, when it could tell
   */
  public record Input(
      List<Grant> grants,
      List<Principal> revokes,
      IdentitySnapshot identity,
      @Nullable RbacSnapshot rbac,
      Set<Capability> capabilities,
      PrincipalMatching matching,
      String identityBackend,
      @Nullable Principal actingAs,
      List<IdentityMapping> breakGlass,
      @Nullable Instant expireAt,
      Optional<Set<AccessPolicy>> knownPolicies,
      List<PartialRevoke> partialRevokes) {
    public Input {
      partialRevokes = List.copyOf(partialRevokes);
      breakGlass = List.copyOf(breakGlass);
      grants = List.copyOf(grants);
      revokes = List.copyOf(revokes);
      Objects.requireNonNull(identity, "identity");
      capabilities = Set.copyOf(capabilities);
      Objects.requireNonNull(matching, "matching");
      Objects.requireNonNull(knownPolicies, "knownPolicies");
    }

    /** An input without partial revokes. */
    public Input(
        List<Grant> grants,
        List<Principal> revokes,
        IdentitySnapshot identity,
        @Nullable RbacSnapshot rbac,
        Set<Capability> capabilities,
        PrincipalMatching matching,
        String identityBackend,
        @Nullable Principal actingAs,
        List<IdentityMapping> breakGlass,
        @Nullable Instant expireAt,
        Optional<Set<AccessPolicy>> knownPolicies) {
      this(
          grants,
          revokes,
          identity,
          rbac,
          capabilities,
          matching,
          identityBackend,
          actingAs,
          breakGlass,
          expireAt,
          knownPolicies,
          List.of());
    }

    /** The same input over another read of the identity layer, for a retry. */
    public Input withIdentity(IdentitySnapshot identity) {
      return new Input(
          grants,
          revokes,
          identity,
          rbac,
          capabilities,
          matching,
          identityBackend,
          actingAs,
          breakGlass,
          expireAt,
          knownPolicies,
          partialRevokes);
    }
  }

  private Planner() {}

  /**
   * What a scoped RBAC read must return to plan these grants, and, when {@code removes}, the
   * clean-up of revokes or expiries and the last-admin guard.
   */
  public static RbacQuery rbacQuery(List<Grant> grants, boolean removes) {
    return RbacPlanner.query(grants, removes);
  }

  /** Plans the input; throws for grants the backends cannot express. */
  public static PlanDraft plan(Input in) {
    checkExpressible(in);
    IdentityPlanner.Result ids = IdentityPlanner.plan(in);
    RbacPlanner.Result rbac = RbacPlanner.plan(in, ids.after(), ids.removed());
    @Nullable RbacSnapshot before = in.rbac();
    LockoutGuards.Result guards =
        LockoutGuards.check(
            in,
            in.identity().mappings(),
            ids.after(),
            before == null ? List.of() : before.bindings(),
            rbac.bindingsAfter(),
            rbac.missingRoles());
    List<String> warnings = new ArrayList<>(ids.warnings());
    warnings.addAll(rbac.warnings());
    warnings.addAll(EscalationPowers.handedOut(in.grants(), before));
    Principal applier = in.actingAs();
    if (applier != null && before != null && !rbac.before().isEmpty()) {
      List<RbacChange> writes = new ArrayList<>();
      rbac.before().forEach(s -> s.changeFor(before).ifPresent(writes::add));
      warnings.addAll(
          EscalationCheck.warnings(
              applier, in.matching(), in.identity().mappings(), before, writes));
    }
    List<Change> changes = new ArrayList<>(ids.shown());
    changes.addAll(rbac.shown());
    return new PlanDraft(
        changes,
        guards.violations(),
        warnings,
        IdentityChanges.of(ids.changes()),
        rbac.before(),
        rbac.after(),
        ids.removed(),
        guards.adminsLost());
  }

  /**
   * Plans layer 1 alone again, on a fresh read, for a retry of the identity write: the RBAC steps
   * are the first plan's, each re-derived from its own object when written.
   */
  public static PlanDraft replanIdentity(Input in, PlanDraft first) {
    IdentityPlanner.Result ids = IdentityPlanner.plan(in);
    @Nullable RbacSnapshot before = in.rbac();
    LockoutGuards.Result guards =
        LockoutGuards.check(
            in,
            in.identity().mappings(),
            ids.after(),
            before == null ? List.of() : before.bindings(),
            before == null ? List.of() : before.bindings(),
            List.of());
    List<Change> changes = new ArrayList<>(ids.shown());
    changes.addAll(first.changesIn(Change.Layer.RBAC));
    return new PlanDraft(
        changes,
        guards.violations(),
        first.warnings(),
        IdentityChanges.of(ids.changes()),
        first.rbacBefore(),
        first.rbacAfter(),
        ids.removed(),
        guards.adminsLost());
  }

  private static void checkExpressible(Input in) {
    List<Problem> groupProblems = new ArrayList<>();
    List<Problem> policyProblems = new ArrayList<>();
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
        if (b.target() instanceof AccessPolicy p) {
          if (!in.capabilities().contains(Capability.ACCESS_POLICIES)) {
            throw new UnsupportedGrantException(
                Capability.ACCESS_POLICIES,
                g.principal()
                    + ": backend \""
                    + in.identityBackend()
                    + "\" has no EKS access policies, so it cannot bind "
                    + p.name()
                    + ". Bind the matching ClusterRole instead (AmazonEKSViewPolicy ≈"
                    + " ClusterRole.VIEW), or use the Access Entries backend.");
          }
          knownPolicy(in, g, p).ifPresent(policyProblems::add);
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
          throw InvalidInputException.of(
              ErrorCode.INVALID_GRANT,
              g.principal() + " binding",
              b.target().toString(),
              "needs an RBAC backend, and this ClusterAccess has none; add .rbac(..) to"
                  + " ClusterAccess.builder(). Nothing was written.");
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
    for (PartialRevoke r : in.partialRevokes()) {
      if (r.kind() == PartialRevoke.Kind.ACCESS_POLICY
          && !in.capabilities().contains(Capability.ACCESS_POLICIES)) {
        throw new UnsupportedGrantException(
            Capability.ACCESS_POLICIES,
            r.principal()
                + ": backend \""
                + in.identityBackend()
                + "\" has no EKS access policies, so there is no "
                + r.target()
                + " to revoke. Revoke the ClusterRole binding instead.");
      }
      if (r.kind() == PartialRevoke.Kind.BINDING && in.rbac() == null) {
        throw InvalidInputException.of(
            ErrorCode.INVALID_ARGUMENT,
            "revoke(" + r.principal() + ").binding",
            String.valueOf(r.target()),
            "needs an RBAC backend, and this ClusterAccess has none; add .rbac(..) to"
                + " ClusterAccess.builder(). Nothing was written.");
      }
    }
    if (!policyProblems.isEmpty()) {
      throw new InvalidInputException(ErrorCode.INVALID_GRANT, policyProblems);
    }
    if (!groupProblems.isEmpty()) {
      throw AccessEntryRules.exception(groupProblems);
    }
  }

  /**
   * A policy the backend's region does not know, with the nearest names it does know: EKS would
   * create the entry and then refuse the association, leaving half a grant.
   */
  private static Optional<Problem> knownPolicy(Input in, Grant g, AccessPolicy p) {
    Optional<Set<AccessPolicy>> known = in.knownPolicies();
    if (known.isEmpty()) {
      // the region could not be asked: refuse only what is a near miss of a known name
      return AccessPolicyCatalogue.nearest(p.name())
          .map(
              near ->
                  new Problem(
                      g.principal() + " bind",
                      p.name(),
                      "is not an access policy eks-access knows (catalogue of "
                          + AccessPolicyCatalogue.asOf()
                          + "); did you mean "
                          + near.name()
                          + "? Nothing was written."));
    }
    if (known.get().contains(p)) {
      return Optional.empty();
    }
    List<String> near =
        known.get().stream()
            .map(AccessPolicy::name)
            .sorted(
                Comparator.comparingInt((String n) -> Texts.editDistance(n, p.name()))
                    .thenComparing(n -> n))
            .limit(3)
            .toList();
    return Optional.of(
        new Problem(
            g.principal() + " bind",
            p.name(),
            "is not an access policy this cluster's region has"
                + (near.isEmpty() ? "" : "; did you mean " + String.join(", ", near) + "?")
                + " (ListAccessPolicies lists them all.) Nothing was written."));
  }
}
