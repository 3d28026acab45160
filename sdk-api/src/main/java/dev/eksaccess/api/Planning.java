package dev.eksaccess.api;

import dev.eksaccess.api.internal.PlanDraft;
import dev.eksaccess.api.internal.Planner;
import dev.eksaccess.api.spi.BreakGlassMark;
import dev.eksaccess.api.spi.Capability;
import dev.eksaccess.api.spi.IdentityBackend;
import dev.eksaccess.api.spi.IdentityMapping;
import dev.eksaccess.api.spi.IdentityQuery;
import dev.eksaccess.api.spi.IdentitySnapshot;
import dev.eksaccess.api.spi.PolicyAssociation;
import dev.eksaccess.api.spi.RbacBackend;
import dev.eksaccess.api.spi.RbacSnapshot;
import dev.eksaccess.api.support.PrincipalKeys;
import dev.eksaccess.api.support.TagValues;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a {@link Plan}: reads what the intent touches (the principals it names, the objects it
 * writes, what its guards need), drafts the changes, and settles the last-admin guard when a scoped
 * read could not see every admin. A full read only where the question needs one: an expiry sweep
 * (every break-glass mapping), an applier's escalation check (every binding), or a last admin that
 * no cheap question clears.
 */
final class Planning {
  private static final Logger LOG = LoggerFactory.getLogger(Planning.class);
  private static final int ADMIN_CANDIDATES = 5;

  private final ClusterAccess cluster;

  Planning(ClusterAccess cluster) {
    this.cluster = cluster;
  }

  Plan plan(Plan.Intent intent) {
    IdentityBackend ids = cluster.identities();
    Retries retries = cluster.retries();
    IdentityQuery query = query(intent);
    IdentitySnapshot identity =
        intent.expireAt() != null
            ? retries.reading(ids::read)
            : retries.reading(() -> ids.read(query));
    LOG.debug(
        "cluster {}: read {} mappings from {} ({})",
        cluster.clusterName(),
        identity.mappings().size(),
        ids.name(),
        identity.complete() ? "all" : "those the plan touches");
    @Nullable RbacSnapshot rbac = readRbac(intent);
    boolean namesPolicies =
        intent.grants().stream()
            .flatMap(g -> g.bindings().stream())
            .anyMatch(b -> b.target() instanceof AccessPolicy);
    Planner.Input input =
        new Planner.Input(
            intent.grants(),
            intent.revokes(),
            identity,
            rbac,
            ids.capabilities(),
            ids.principalMatching(),
            ids.name(),
            cluster.applier(),
            intent.breakGlass(),
            intent.expireAt(),
            namesPolicies ? retries.reading(ids::accessPolicies) : Optional.empty(),
            intent.partialRevokes());
    PlanDraft draft = Planner.plan(input);
    if (!draft.adminsLost().isEmpty()) {
      if (anotherAdminStays(query)) {
        draft = withoutAdminQuestion(draft);
      } else {
        input = input.withIdentity(retries.reading(ids::read));
        draft = Planner.plan(input);
      }
    }
    // what the identity backend would refuse is refused now, before any binding is written
    PlanDraft drafted = draft;
    retries.reading(
        () -> {
          ids.check(drafted.identityChanges());
          return drafted;
        });
    Plan plan =
        new Plan(
            cluster,
            intent,
            draft,
            input,
            input.identity().version().value(),
            rbac == null ? "" : rbac.version().value(),
            Set.of(),
            cluster.breakGlassIn(input.identity()));
    LOG.debug(
        "cluster {}: planned {} change(s), {} violation(s)",
        cluster.clusterName(),
        draft.changes().size(),
        draft.violations().size());
    cluster.events().tell(l -> l.planned(plan));
    return plan;
  }

  /**
   * Plans a break-glass grant: on aws-auth a {@code system:masters} mapping with the break-glass
   * username, on Access Entries the cluster-admin policy at cluster scope; either way with its
   * record (reason, applier, expiry counted from now).
   */
  Plan breakGlass(BreakGlass breakGlass) {
    IdentityBackend identities = cluster.identities();
    @Nullable Caller actingCaller = cluster.actingAsCaller();
    Set<Capability> caps = identities.capabilities();
    if (!caps.contains(Capability.BREAK_GLASS_RECORDS)) {
      throw new UnsupportedGrantException(
          Capability.BREAK_GLASS_RECORDS,
          "backend \""
              + identities.name()
              + "\" does not store break-glass records, so the grant could never expire; it would"
              + " be a permanent cluster-admin. Use the aws-auth or Access Entries backend.");
    }
    Instant now = cluster.clock().instant();
    BreakGlassMark mark =
        new BreakGlassMark(
            breakGlass.reason(),
            now,
            now.plus(breakGlass.duration()),
            // an IAM or STS name may hold a comma, which tags refuse; an emergency grant must not
            // fail over who applies it
            actingCaller == null
                ? Optional.empty()
                : Optional.of(TagValues.sanitized(actingCaller.arn().value())));
    IdentityMapping mapping = IdentityMapping.of(breakGlass.role());
    if (caps.contains(Capability.SYSTEM_GROUPS)) {
      mapping =
          mapping.withUsername(BreakGlass.AWS_AUTH_USERNAME).withGroups(List.of("system:masters"));
    } else if (caps.contains(Capability.ACCESS_POLICIES)) {
      mapping =
          mapping.withPolicy(new PolicyAssociation(AccessPolicy.CLUSTER_ADMIN, Scope.cluster()));
    } else {
      throw new UnsupportedGrantException(
          Capability.ACCESS_POLICIES,
          "backend \""
              + identities.name()
              + "\" has neither system groups nor access policies, so it cannot grant"
              + " cluster-admin for break-glass.");
    }
    return plan(
        new Plan.Intent(
            List.of(), List.of(), List.of(mapping.withBreakGlass(Optional.of(mark))), null));
  }

  /**
   * The principals a plan touches: grants as written (a grant names the role as IAM has it), and
   * revokes and the applier found under any path (EKS matches them whatever the path, and a revoke
   * that misses would leave access in place while reporting success).
   */
  IdentityQuery query(Plan.Intent intent) {
    List<Principal> exact = new ArrayList<>();
    intent.grants().forEach(g -> exact.add(g.principal()));
    intent.breakGlass().forEach(m -> exact.add(m.principal()));
    List<Principal> anyPath = new ArrayList<>(intent.revokes());
    intent.partialRevokes().forEach(r -> anyPath.add(r.principal()));
    @Nullable Principal applier = cluster.applier();
    if (applier != null) {
      anyPath.add(applier);
    }
    return IdentityQuery.of(exact).withAnyPath(anyPath);
  }

  private @Nullable RbacSnapshot readRbac(Plan.Intent intent) {
    RbacBackend rbac = cluster.rbacBackend();
    if (rbac == null) {
      return null;
    }
    boolean removes =
        !intent.revokes().isEmpty()
            || !intent.partialRevokes().isEmpty()
            || intent.expireAt() != null;
    if (cluster.applier() != null && !intent.grants().isEmpty()) {
      // the escalation check weighs the applier's own rules: every binding that may name it
      return cluster.retries().reading(rbac::read);
    }
    return cluster.retries().reading(() -> rbac.read(Planner.rbacQuery(intent.grants(), removes)));
  }

  /**
   * Whether a principal this plan does not touch holds cluster-admin cluster-wide, asked cheaply
   * (Access Entries: entries filtered by the policy, then a few of them read). A break-glass admin
   * does not count: it expires.
   */
  private boolean anotherAdminStays(IdentityQuery touched) {
    IdentityBackend ids = cluster.identities();
    Optional<List<Principal>> candidates =
        cluster.retries().reading(() -> ids.principalsWithPolicy(AccessPolicy.CLUSTER_ADMIN));
    if (candidates.isEmpty()) {
      return false;
    }
    Set<String> mine = new HashSet<>();
    touched.all().forEach(p -> mine.add(PrincipalKeys.iamPrincipal(p)));
    List<Principal> others =
        candidates.get().stream()
            .filter(p -> !mine.contains(PrincipalKeys.iamPrincipal(p)))
            .limit(ADMIN_CANDIDATES)
            .toList();
    if (others.isEmpty()) {
      return false;
    }
    IdentitySnapshot read = cluster.retries().reading(() -> ids.read(IdentityQuery.of(others)));
    for (IdentityMapping m : read.mappings()) {
      if (m.breakGlass().isEmpty() && !mine.contains(PrincipalKeys.iamPrincipal(m.principal()))) {
        for (PolicyAssociation a : m.policies()) {
          if (a.policy().equals(AccessPolicy.CLUSTER_ADMIN) && a.scope().isClusterWide()) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private static PlanDraft withoutAdminQuestion(PlanDraft d) {
    return new PlanDraft(
        d.changes(),
        d.violations(),
        d.warnings(),
        d.identityChanges(),
        d.rbacBefore(),
        d.rbacAfter(),
        d.removedMappings(),
        List.of());
  }
}
