package dev.eksaccess.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.eksaccess.api.AccessPolicy;
import dev.eksaccess.api.Caller;
import dev.eksaccess.api.ClusterAccess;
import dev.eksaccess.api.ClusterRole;
import dev.eksaccess.api.ConflictException;
import dev.eksaccess.api.Grant;
import dev.eksaccess.api.Guard;
import dev.eksaccess.api.IamRole;
import dev.eksaccess.api.InvalidInputException;
import dev.eksaccess.api.Plan;
import dev.eksaccess.api.RetryPolicy;
import dev.eksaccess.api.Scope;
import dev.eksaccess.api.UnsafeChangeException;
import dev.eksaccess.api.UnsupportedGrantException;
import dev.eksaccess.api.spi.Capability;
import dev.eksaccess.api.spi.IdentityBackend;
import dev.eksaccess.api.spi.IdentityChange;
import dev.eksaccess.api.spi.IdentityChanges;
import dev.eksaccess.api.spi.IdentityMapping;
import dev.eksaccess.api.spi.IdentityQuery;
import dev.eksaccess.api.spi.IdentitySnapshot;
import dev.eksaccess.api.spi.PolicyAssociation;
import dev.eksaccess.api.spi.RbacBinding;
import dev.eksaccess.api.spi.RbacSubject;
import dev.eksaccess.api.spi.Version;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link IdentityBackend} shares, as JUnit tests: extend it, return a fresh
 * empty backend from {@link #backend()}, and the backend is held to the same contract as the
 * testkit's fakes (Micrometer's compatibility-kit pattern). Tests adapt to the backend's {@link
 * IdentityBackend#capabilities()}.
 *
 * <pre>{@code
 * class MyBackendContractTest extends IdentityBackendContract {
 *   @Override
 *   protected IdentityBackend backend() {
 *     return new MyBackend(...);   // empty, fresh for each test
 *   }
 * }
 * }</pre>
 */
public abstract class IdentityBackendContract {
  private static final IamRole DEV = IamRole.of("arn:aws:iam::111122223333:role/DevTeamRole");
  private static final IamRole OPS = IamRole.of("arn:aws:iam::111122223333:role/Ops");
  private static final IamRole ADMIN = IamRole.of("arn:aws:iam::111122223333:role/Admin");

  /** Creates the contract. */
  protected IdentityBackendContract() {}

  /**
   * A fresh, empty backend; called once per test.
   *
   * @return the backend under test
   */
  protected abstract IdentityBackend backend();

  private static IdentityChanges put(IdentityMapping m) {
    return IdentityChanges.of(List.of(new IdentityChange.Put(m)));
  }

  private static IdentityMapping dev() {
    return IdentityMapping.of(DEV).withUsername("dev").withGroups(List.of("acme:devs"));
  }

  @Test
  public void aBreakGlassGrantKeepsItsRecordMovesItsExpiryAndExpiresWhole() {
    IdentityBackend b = backend();
    b.write(put(dev()), b.read().version());
    MutableClock clock = new MutableClock(FakeCluster.START);
    ClusterAccess access =
        ClusterAccess.builder()
            .clusterName("contract")
            .identities(b)
            .retryPolicy(RetryPolicy.none())
            .actingAs(Caller.of("arn:aws:sts::111122223333:assumed-role/OnCall/jane"))
            .clock(clock)
            .build();

    access
        .plan(ClusterAccess.breakGlass(ADMIN).forDuration(Duration.ofHours(2)).because("INC-123"))
        .apply();

    assertThat(
            access
                .plan(
                    ClusterAccess.breakGlass(ADMIN)
                        .forDuration(Duration.ofHours(2))
                        .because("INC-123"))
                .changes())
        .as("the same break-glass planned again at the same moment")
        .isEmpty();
    IdentityMapping admin = mappingOf(b.read(), ADMIN);
    assertThat(admin.breakGlass())
        .hasValueSatisfying(
            mark -> {
              assertThat(mark.reason()).isEqualTo("INC-123");
              assertThat(mark.grantedAt()).isEqualTo(FakeCluster.START);
              assertThat(mark.expiresAt()).isEqualTo(FakeCluster.START.plus(Duration.ofHours(2)));
              assertThat(mark.grantedBy())
                  .contains("arn:aws:sts::111122223333:assumed-role/OnCall/jane");
            });
    if (b.capabilities().contains(Capability.SYSTEM_GROUPS)) {
      assertThat(admin.groups()).containsExactly("system:masters");
    } else {
      assertThat(admin.policies())
          .containsExactly(new PolicyAssociation(AccessPolicy.CLUSTER_ADMIN, Scope.cluster()));
    }
    IdentitySnapshot granted = b.read();
    b.write(put(admin), granted.version());
    assertThat(b.read().mappings())
        .as("writing back a break-glass mapping as read")
        .isEqualTo(granted.mappings());

    clock.advance(Duration.ofHours(1));
    access
        .plan(ClusterAccess.breakGlass(ADMIN).forDuration(Duration.ofHours(3)).because("INC-123"))
        .apply();
    assertThat(mappingOf(b.read(), ADMIN).breakGlass().orElseThrow().expiresAt())
        .as("planned again: the expiry moves, the mapping stays")
        .isEqualTo(FakeCluster.START.plus(Duration.ofHours(4)));
    assertThat(access.expireBreakGlass().applied()).as("not expired yet").isEmpty();

    clock.advance(Duration.ofHours(3));
    assertThat(access.expireBreakGlass().applied()).hasSize(1);

    assertThat(b.read().mappings()).extracting(IdentityMapping::principal).containsExactly(DEV);
    assertThat(mappingOf(b.read(), DEV)).isEqualTo(dev());
  }

  private static IdentityMapping mappingOf(IdentitySnapshot s, IamRole role) {
    return s.mappings().stream()
        .filter(m -> m.principal().equals(role))
        .findFirst()
        .orElseThrow(() -> new AssertionError(role + " is not mapped in " + s.mappings()));
  }

  @Test
  public void anEmptyBackendReadsNoMappings() {
    assertThat(backend().read().mappings()).isEmpty();
  }

  @Test
  public void aWrittenMappingReadsBackAsWritten() {
    IdentityBackend b = backend();

    b.write(put(dev()), b.read().version());

    assertThat(b.read().mappings())
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.principal()).isEqualTo(DEV);
              assertThat(m.username()).contains("dev");
              assertThat(m.groups()).containsExactly("acme:devs");
            });
  }

  @Test
  public void writingBackWhatWasReadChangesNothing() {
    IdentityBackend b = backend();
    b.write(put(dev()), b.read().version());
    IdentitySnapshot before = b.read();

    b.write(put(before.mappings().get(0)), before.version());

    assertThat(b.read().mappings()).isEqualTo(before.mappings());
  }

  @Test
  public void anEmptyBatchWritesNothing() {
    IdentityBackend b = backend();
    Version v = b.read().version();

    assertThat(b.write(IdentityChanges.none(), v).writes()).isZero();
    assertThat(b.read().version()).isEqualTo(v);
  }

  @Test
  public void aStaleVersionIsRefusedAndNothingIsWritten() {
    IdentityBackend b = backend();
    Version stale = b.read().version();
    b.write(put(dev()), stale);

    Throwable e =
        catchThrowable(
            () -> b.write(put(IdentityMapping.of(DEV).withUsername("someone-else")), stale));

    assertThat(e).isInstanceOf(ConflictException.class);
    assertThat(b.read().mappings()).singleElement().isEqualTo(dev());
  }

  /** A scoped read's version still refuses a write of a principal that moved on since. */
  @Test
  public void aScopedReadsStaleVersionIsRefusedToo() {
    IdentityBackend b = backend();
    Version stale = b.read(IdentityQuery.of(List.of(DEV))).version();
    b.write(put(dev()), b.read().version());

    Throwable e =
        catchThrowable(
            () -> b.write(put(IdentityMapping.of(DEV).withUsername("someone-else")), stale));

    assertThat(e).isInstanceOf(ConflictException.class);
    assertThat(b.read().mappings()).singleElement().isEqualTo(dev());
  }

  /** A scoped read holds at least the principals it asked for, found whatever their path. */
  @Test
  public void aScopedReadFindsThePrincipalsItAsksFor() {
    IdentityBackend b = backend();
    b.write(
        IdentityChanges.of(
            List.of(
                new IdentityChange.Put(dev()),
                new IdentityChange.Put(IdentityMapping.of(OPS).withUsername("ops")))),
        b.read().version());

    IdentitySnapshot some = b.read(IdentityQuery.of(List.of(DEV)));

    assertThat(some.mappings()).extracting(IdentityMapping::principal).contains(DEV);
    assertThat(b.read(IdentityQuery.of(List.of()).withAnyPath(List.of(OPS))).mappings())
        .extracting(IdentityMapping::principal)
        .contains(OPS);
  }

  @Test
  public void aRemovedMappingIsGone() {
    IdentityBackend b = backend();
    b.write(put(dev()), b.read().version());

    b.write(IdentityChanges.of(List.of(new IdentityChange.Remove(DEV))), b.read().version());

    assertThat(b.read().mappings()).isEmpty();
  }

  /** Removing what is not there is what was wanted: no error, and the mappings stay. */
  @Test
  public void removingAPrincipalWithNoMappingIsANoOp() {
    IdentityBackend b = backend();
    b.write(put(dev()), b.read().version());
    var before = b.read();

    b.write(
        IdentityChanges.of(
            List.of(
                new IdentityChange.Remove(IamRole.of("arn:aws:iam::111122223333:role/Nobody")))),
        before.version());

    assertThat(b.read().mappings()).isEqualTo(before.mappings());
  }

  @Test
  public void accessPoliciesAreWrittenOrRefusedAsTheCapabilitiesSay() {
    IdentityBackend b = backend();
    IdentityMapping withPolicy =
        dev().withPolicy(new PolicyAssociation(AccessPolicy.VIEW, Scope.namespaces("apps")));

    if (b.capabilities().contains(Capability.ACCESS_POLICIES)) {
      b.write(put(withPolicy), b.read().version());
      assertThat(b.read().mappings().get(0).policies()).isEqualTo(withPolicy.policies());
    } else {
      Version v = b.read().version();
      assertThat(catchThrowable(() -> b.write(put(withPolicy), v)))
          .isInstanceOf(UnsupportedGrantException.class);
      assertThat(b.read().mappings()).isEmpty();
    }
  }

  @Test
  public void accountMappingsAreWrittenOrRefusedAsTheCapabilitiesSay() {
    IdentityBackend b = backend();
    IdentityChanges add =
        IdentityChanges.of(List.of(new IdentityChange.AddAccount("444455556666")));

    if (b.capabilities().contains(Capability.ACCOUNT_MAPPINGS)) {
      b.write(add, b.read().version());
      assertThat(b.read().accounts()).containsExactly("444455556666");
    } else {
      Version v = b.read().version();
      assertThat(catchThrowable(() -> b.write(add, v)))
          .isInstanceOf(UnsupportedGrantException.class);
      assertThat(b.read().accounts()).isEmpty();
    }
  }

  @Test
  public void systemGroupsAreWrittenOrRefusedAsTheCapabilitiesSay() {
    IdentityBackend b = backend();
    IdentityMapping nodes =
        IdentityMapping.of(OPS)
            .withUsername("system:node:{{EC2PrivateDNSName}}")
            .withGroups(List.of("system:bootstrappers", "system:nodes"));

    if (b.capabilities().contains(Capability.SYSTEM_GROUPS)) {
      b.write(put(nodes), b.read().version());
      assertThat(b.read().mappings().get(0).groups())
          .containsExactly("system:bootstrappers", "system:nodes");
    } else {
      Version v = b.read().version();
      assertThat(catchThrowableOfType(InvalidInputException.class, () -> b.write(put(nodes), v)))
          .isNotNull();
      assertThat(b.read().mappings()).isEmpty();
    }
  }

  @Test
  public void throughClusterAccessAGrantLandsOnceAndTheLastAdminIsGuarded() {
    IdentityBackend b = backend();
    ClusterState rbacWorld = ClusterState.withDefaultRoles("contract");
    ClusterAccess cluster =
        ClusterAccess.builder()
            .clusterName("contract")
            .identities(b)
            .rbac(Fakes.rbac(rbacWorld))
            .retryPolicy(RetryPolicy.of(3, Duration.ZERO, Duration.ZERO))
            .build();
    Grant admins =
        ClusterAccess.grant(ADMIN)
            .asGroup("acme:admins")
            .bind(ClusterRole.CLUSTER_ADMIN)
            .clusterWide();
    Grant devs =
        ClusterAccess.grant(DEV).asGroup("acme:devs").bind(ClusterRole.VIEW).inNamespace("apps");

    cluster.plan(admins, devs).apply();

    assertThat(cluster.plan(admins, devs).isEmpty()).isTrue();
    assertThat(
            rbacWorld.bindings().stream()
                .filter(x -> x.subjects().contains(RbacSubject.group("acme:admins")))
                .map(RbacBinding::roleRef))
        .containsExactly(ClusterRole.CLUSTER_ADMIN);
    Plan revoke = cluster.planRevoke(ADMIN);
    Version before = b.read().version();
    assertThat(catchThrowable(revoke::apply)).isInstanceOf(UnsafeChangeException.class);
    assertThat(b.read().version()).isEqualTo(before);
  }

  @Test
  public void aPartialRevokeTakesOneGroupKeepsTheMappingAndGuardsTheLastAdmin() {
    IdentityBackend b = backend();
    ClusterState rbacWorld = ClusterState.withDefaultRoles("contract");
    ClusterAccess cluster =
        ClusterAccess.builder()
            .clusterName("contract")
            .identities(b)
            .rbac(Fakes.rbac(rbacWorld))
            .retryPolicy(RetryPolicy.of(3, Duration.ZERO, Duration.ZERO))
            .build();
    cluster
        .plan(
            ClusterAccess.grant(ADMIN)
                .asGroup("acme:admins")
                .bind(ClusterRole.CLUSTER_ADMIN)
                .clusterWide(),
            ClusterAccess.grant(DEV)
                .asGroup("acme:devs")
                .bind(ClusterRole.VIEW)
                .inNamespace("apps"),
            ClusterAccess.grant(DEV)
                .asGroup("acme:oncall")
                .bind(ClusterRole.EDIT)
                .inNamespace("apps"))
        .apply();

    Plan drop = cluster.plan(ClusterAccess.revoke(DEV).group("acme:oncall"));
    assertThat(drop.changes())
        .extracting(c -> c.layer() + " " + c.action())
        .containsExactly("IDENTITY UPDATE", "RBAC DELETE");
    assertThat(drop.changes().get(0).details()).containsExactly("groups - acme:oncall");
    drop.apply();

    IdentityMapping dev = mappingOf(b.read(), DEV);
    assertThat(dev.groups()).containsExactly("acme:devs");
    assertThat(rbacWorld.bindings())
        .noneMatch(x -> x.subjects().contains(RbacSubject.group("acme:oncall")))
        .anyMatch(
            x ->
                x.subjects().contains(RbacSubject.group("acme:devs"))
                    && x.roleRef().equals(ClusterRole.VIEW));
    Plan again = cluster.plan(ClusterAccess.revoke(DEV).group("acme:oncall"));
    assertThat(again.isEmpty()).isTrue();
    assertThat(again.warnings()).anyMatch(w -> w.contains("is not mapped to group acme:oncall"));

    Plan lastGroup = cluster.plan(ClusterAccess.revoke(DEV).group("acme:devs"));
    assertThat(lastGroup.warnings()).anyMatch(w -> w.contains("stays mapped"));
    lastGroup.apply();
    assertThat(mappingOf(b.read(), DEV).groups()).isEmpty();

    Plan lockout =
        cluster.plan(ClusterAccess.revoke(ADMIN).binding(ClusterRole.CLUSTER_ADMIN).clusterWide());
    assertThat(lockout.violations()).extracting(v -> v.guard()).contains(Guard.LAST_ADMIN);
    Version before = b.read().version();
    int bindings = rbacWorld.bindings().size();
    assertThat(catchThrowable(lockout::apply)).isInstanceOf(UnsafeChangeException.class);
    assertThat(b.read().version()).isEqualTo(before);
    assertThat(rbacWorld.bindings()).hasSize(bindings);
  }

  @Test
  public void aPartialRevokeNarrowsOrDropsOneAccessPolicyOrIsRefusedWithoutThem() {
    IdentityBackend b = backend();
    ClusterAccess cluster =
        ClusterAccess.builder()
            .clusterName("contract")
            .identities(b)
            .retryPolicy(RetryPolicy.of(3, Duration.ZERO, Duration.ZERO))
            .build();
    if (!b.capabilities().contains(Capability.ACCESS_POLICIES)) {
      Version v = b.read().version();
      var e =
          catchThrowableOfType(
              UnsupportedGrantException.class,
              () ->
                  cluster.plan(
                      ClusterAccess.revoke(OPS).accessPolicy(AccessPolicy.VIEW).everywhere()));
      assertThat(e).isNotNull();
      assertThat(e.getMessage()).contains("no EKS access policies");
      assertThat(b.read().version()).isEqualTo(v);
      return;
    }
    cluster
        .plan(
            ClusterAccess.grant(OPS)
                .asGroup("acme:ops")
                .bind(AccessPolicy.VIEW)
                .inNamespaces("a", "b"),
            ClusterAccess.grant(OPS).asGroup("acme:ops").bind(AccessPolicy.EDIT).clusterWide())
        .apply();

    cluster
        .plan(ClusterAccess.revoke(OPS).accessPolicy(AccessPolicy.VIEW).inNamespace("a"))
        .apply();
    assertThat(mappingOf(b.read(), OPS).policies())
        .contains(new PolicyAssociation(AccessPolicy.VIEW, Scope.namespaces("b")));

    Version v = b.read().version();
    var e =
        catchThrowableOfType(
            InvalidInputException.class,
            () ->
                cluster.plan(
                    ClusterAccess.revoke(OPS).accessPolicy(AccessPolicy.EDIT).inNamespace("a")));
    assertThat(e).isNotNull();
    assertThat(e.getMessage()).contains("cluster-wide scope");
    assertThat(b.read().version()).isEqualTo(v);

    cluster
        .plan(
            ClusterAccess.revoke(OPS).accessPolicy(AccessPolicy.VIEW).everywhere(),
            ClusterAccess.revoke(OPS).accessPolicy(AccessPolicy.EDIT).clusterWide())
        .apply();
    IdentityMapping ops = mappingOf(b.read(), OPS);
    assertThat(ops.policies()).isEmpty();
    assertThat(ops.groups()).containsExactly("acme:ops");
    assertThat(
            cluster
                .plan(ClusterAccess.revoke(OPS).accessPolicy(AccessPolicy.VIEW).everywhere())
                .isEmpty())
        .isTrue();
  }

  @Test
  public void awsAuthHoldsReservedNamesOnlyInNodeAndBreakGlassMappings() {
    IdentityBackend b = backend();
    if (!b.capabilities().contains(Capability.SYSTEM_GROUPS)) {
      return; // Access Entries: EKS's own rules, checked above
    }
    List<IdentityMapping> refused =
        List.of(
            IdentityMapping.of(DEV).withUsername("dev").withGroups(List.of("system:masters")),
            IdentityMapping.of(DEV).withUsername("dev").withGroups(List.of("system:nodes")),
            IdentityMapping.of(DEV).withUsername("system:admin"),
            IdentityMapping.of(DEV).withUsername("{{SessionName}}:admin"),
            IdentityMapping.of(DEV).withUsername("dev").withGroups(List.of("eks:{{SessionName}}")),
            IdentityMapping.of(DEV)
                .withUsername("dev")
                .withGroups(List.of("{{SessionNameRaw}}:masters")));
    for (IdentityMapping m : refused) {
      Version v = b.read().version();
      var e = catchThrowableOfType(InvalidInputException.class, () -> b.write(put(m), v));
      assertThat(e).as("refused: %s", m).isNotNull();
      assertThat(e.getMessage()).contains("keeps for");
      assertThat(b.read().mappings()).as("nothing written for %s", m).isEmpty();
    }

    IdentityMapping nodes =
        IdentityMapping.of(OPS)
            .withUsername("system:node:{{SessionName}}")
            .withGroups(List.of("system:bootstrappers", "system:nodes", "system:node-proxier"));
    b.write(put(nodes), b.read().version());
    // a name the entry already holds may stay when the mapping changes
    b.write(
        put(
            nodes
                .withUsername("ops:{{SessionName}}")
                .withGroups(List.of("system:bootstrappers", "system:nodes", "acme:ops"))),
        b.read().version());
    assertThat(mappingOf(b.read(), OPS).groups())
        .containsExactly("system:bootstrappers", "system:nodes", "acme:ops");
  }
}
