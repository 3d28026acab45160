package dev.eksaccess.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eksaccess.api.spi.Capability;
import dev.eksaccess.api.spi.IdentityBackend;
import dev.eksaccess.api.spi.IdentityChanges;
import dev.eksaccess.api.spi.IdentityMapping;
import dev.eksaccess.api.spi.IdentitySnapshot;
import dev.eksaccess.api.spi.PolicyAssociation;
import dev.eksaccess.api.spi.PrincipalMatching;
import dev.eksaccess.api.spi.Version;
import dev.eksaccess.api.spi.WriteResult;
import dev.eksaccess.testkit.FakeCluster;
import dev.eksaccess.testkit.RecordedRequest;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BreakGlassTest {
  static final IamRole GLASS = IamRole.of("arn:aws:iam::111122223333:role/BreakGlass");
  static final IamRole DEV = IamRole.of("arn:aws:iam::111122223333:role/DevTeamRole");
  static final IamRole ADMIN = IamRole.of("arn:aws:iam::111122223333:role/PlatformAdmin");
  static final BreakGlass INCIDENT =
      ClusterAccess.breakGlass(GLASS).forDuration(Duration.ofHours(2)).because("INC-123");
  static final Caller JANE = Caller.of("arn:aws:sts::111122223333:assumed-role/BreakGlass/jane");

  static FakeCluster withDevs(FakeCluster cluster) {
    cluster
        .clusterAccess()
        .plan(ClusterAccess.grant(DEV).asGroup("acme:devs").bind(ClusterRole.VIEW).clusterWide())
        .apply();
    return cluster;
  }

  @Test
  void onAwsAuthItIsASystemMastersMappingThatNamesThePersonAndExpires() {
    FakeCluster prod = withDevs(FakeCluster.awsAuth("prod"));
    List<IdentityMapping> before = prod.state().mappings();

    Plan plan = prod.clusterAccess().plan(INCIDENT);

    assertThat(plan.changes())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.action()).isEqualTo(Change.Action.CREATE);
              assertThat(c.details())
                  .contains(
                      "username break-glass:{{SessionName}}",
                      "groups [system:masters]",
                      "break-glass until 2026-01-01T02:00:00Z (INC-123)");
            });
    plan.apply();

    assertThat(
            prod.clusterAccess().explain(JANE, Request.verb("delete").resource("nodes")).allowed())
        .isTrue();
    assertThat(prod.clusterAccess().audit().breakGlass())
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.principal()).isEqualTo(GLASS);
              assertThat(a.remaining()).isEqualTo(Duration.ofHours(2));
              assertThat(a.toString())
                  .isEqualTo(GLASS + ": INC-123, until 2026-01-01T02:00:00Z (2h 0m left)");
            });

    prod.advanceClock(Duration.ofMinutes(119));
    assertThat(prod.clusterAccess().expireBreakGlass().applied()).isEmpty();
    assertThat(prod.clusterAccess().planRevoke(DEV).breakGlass())
        .singleElement()
        .extracting(BreakGlass.Active::remaining)
        .isEqualTo(Duration.ofMinutes(1));

    prod.advanceClock(Duration.ofMinutes(1));
    Plan sweep = prod.clusterAccess().planExpireBreakGlass();
    assertThat(sweep.toString())
        .contains("- mapping " + GLASS)
        .contains("break-glass expired at 2026-01-01T02:00:00Z (INC-123)")
        .contains("expired; expireBreakGlass() removes it");
    ApplyResult swept = sweep.apply();

    assertThat(swept.applied()).hasSize(1);
    assertThat(prod.state().mappings()).isEqualTo(before);
    assertThat(prod.clusterAccess().explain(JANE, Request.verb("get").resource("pods")).allowed())
        .isFalse();
    assertThat(prod.clusterAccess().expireBreakGlass().writes()).as("a second sweep").isZero();
  }

  @Test
  void onAccessEntriesItIsTheClusterAdminPolicyAtClusterScope() {
    FakeCluster prod = FakeCluster.accessEntries("prod");
    ClusterAccess access =
        ClusterAccess.builder()
            .clusterName("prod")
            .identities(prod.identities())
            .rbac(prod.rbac())
            .actingAs(Caller.of("arn:aws:sts::111122223333:assumed-role/OnCall/sam"))
            .build();

    access.plan(INCIDENT).apply();

    IdentityMapping glass = prod.state().mappings().get(0);
    assertThat(glass.groups()).isEmpty();
    assertThat(glass.policies())
        .containsExactly(new PolicyAssociation(AccessPolicy.CLUSTER_ADMIN, Scope.cluster()));
    assertThat(glass.breakGlass().orElseThrow().grantedBy())
        .contains("arn:aws:sts::111122223333:assumed-role/OnCall/sam");
    assertThat(access.explain(JANE, Request.verb("delete").resource("nodes")).allowed()).isTrue();
  }

  @Test
  void planningItAgainMovesTheExpiryWithoutAGap() {
    FakeCluster prod = FakeCluster.awsAuth("prod");
    prod.clusterAccess().plan(INCIDENT).apply();
    prod.advanceClock(Duration.ofMinutes(90));

    Plan extend =
        prod.clusterAccess()
            .plan(
                ClusterAccess.breakGlass(GLASS)
                    .forDuration(Duration.ofHours(1))
                    .because("INC-123 still open"));

    assertThat(extend.changes())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.action()).isEqualTo(Change.Action.UPDATE);
              assertThat(c.details())
                  .containsExactly(
                      "break-glass until 2026-01-01T02:00:00Z → 2026-01-01T02:30:00Z"
                          + " (INC-123 still open)");
            });
    extend.apply();
    prod.advanceClock(Duration.ofMinutes(45));
    assertThat(prod.clusterAccess().expireBreakGlass().applied()).isEmpty();
  }

  @Test
  void aRoleWithAnOrdinaryMappingIsRefusedAndNothingIsWritten() {
    FakeCluster prod = withDevs(FakeCluster.awsAuth("prod"));
    int writes = prod.requests().size();

    var e =
        catchThrowableOfType(
            InvalidInputException.class,
            () ->
                prod.clusterAccess()
                    .plan(
                        ClusterAccess.breakGlass(DEV)
                            .forDuration(Duration.ofHours(1))
                            .because("INC-9")));

    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_GRANT);
    assertThat(e.getMessage())
        .contains("DevTeamRole")
        .contains("already has an ordinary mapping")
        .contains("groups [acme:devs]")
        .contains("a role kept for emergencies");
    assertThat(prod.requests().subList(writes, prod.requests().size()))
        .noneMatch(RecordedRequest::isWrite);
  }

  @Test
  void anOrdinaryGrantToABreakGlassRoleIsRefused() {
    FakeCluster prod = FakeCluster.awsAuth("prod");
    prod.clusterAccess().plan(INCIDENT).apply();

    var e =
        catchThrowableOfType(
            InvalidInputException.class,
            () ->
                prod.clusterAccess()
                    .plan(
                        ClusterAccess.grant(GLASS)
                            .asGroup("acme:ops")
                            .bind(ClusterRole.EDIT)
                            .clusterWide()));

    assertThat(e.getMessage()).contains("is mapped for break-glass").contains("INC-123");
  }

  @Test
  void expiringTheOnlyAdminIsAllowedButABreakGlassNeverStandsInForThePermanentOne() {
    FakeCluster prod = FakeCluster.awsAuth("prod");
    prod.clusterAccess()
        .plan(
            ClusterAccess.grant(ADMIN)
                .asGroup("acme:admins")
                .bind(ClusterRole.CLUSTER_ADMIN)
                .clusterWide())
        .apply();
    prod.clusterAccess().plan(INCIDENT).apply();

    var e =
        catchThrowableOfType(
            UnsafeChangeException.class, () -> prod.clusterAccess().planRevoke(ADMIN).apply());
    assertThat(e.violations()).extracting(v -> v.guard()).containsExactly(Guard.LAST_ADMIN);

    prod.advanceClock(Duration.ofHours(2));
    assertThat(prod.clusterAccess().expireBreakGlass().applied()).hasSize(1);
  }

  @Test
  void badDurationsAndReasonsAreRefusedWithWhatToDo() {
    var tooLong =
        catchThrowableOfType(
            InvalidInputException.class,
            () -> ClusterAccess.breakGlass(GLASS).forDuration(Duration.ofHours(25)));
    assertThat(tooLong.getMessage())
        .contains("forDuration")
        .contains("PT25H")
        .contains("one minute to 24 hours");

    var blank =
        catchThrowableOfType(
            InvalidInputException.class,
            () -> ClusterAccess.breakGlass(GLASS).forDuration(Duration.ofHours(1)).because(" "));
    assertThat(blank.getMessage()).contains("breakGlass.because").contains("INC-123");

    var injected =
        catchThrowableOfType(
            InvalidInputException.class,
            () ->
                ClusterAccess.breakGlass(GLASS)
                    .forDuration(Duration.ofHours(1))
                    .because("INC-1\"}, {\"x\": \"y"));
    assertThat(injected.code()).isEqualTo(ErrorCode.INVALID_GRANT);
  }

  @Test
  void breakGlassIsNeverDriftForAReconcilerToRevoke() {
    FakeCluster prod = FakeCluster.awsAuth("prod");
    prod.clusterAccess().plan(INCIDENT).apply();

    var audit = prod.clusterAccess().audit(List.of());

    assertThat(audit.drift()).isEmpty();
    assertThat(audit.breakGlass()).hasSize(1);
  }

  @Test
  void theAuditShowsEachWithItsRemainingTimeAsTextAndJson() throws Exception {
    FakeCluster prod = FakeCluster.awsAuth("prod");
    prod.clusterAccess().plan(INCIDENT).apply();
    prod.advanceClock(Duration.ofMinutes(30));

    var audit = prod.clusterAccess().audit();

    assertThat(audit.toTable())
        .contains(
            "Break-glass grants: 1\n  "
                + GLASS
                + ": INC-123, until 2026-01-01T02:00:00Z (1h 30m left)");
    JsonNode json = new ObjectMapper().readTree(audit.toJson()).path("breakGlass").get(0);
    assertThat(json.path("principal").asText()).isEqualTo(GLASS.arn().value());
    assertThat(json.path("reason").asText()).isEqualTo("INC-123");
    assertThat(json.path("remainingSeconds").asLong()).isEqualTo(5400);
  }

  @Test
  void anApplierWhoseArnHasACommaStillGetsTheGrantRecorded() {
    FakeCluster prod = FakeCluster.awsAuth("prod");
    ClusterAccess access =
        ClusterAccess.builder()
            .clusterName("prod")
            .identities(prod.identities())
            .actingAs(Caller.of("arn:aws:sts::111122223333:assumed-role/OnCall/doe,jane"))
            .build();

    access.plan(INCIDENT).apply();

    assertThat(prod.state().mappings().get(0).breakGlass().orElseThrow().grantedBy())
        .contains("arn:aws:sts::111122223333:assumed-role/OnCall/doe_jane");
  }

  @Test
  void aPlanAppliedAfterItsGrantWouldHaveExpiredWritesNothing() {
    FakeCluster prod = FakeCluster.awsAuth("prod");
    Plan stale = prod.clusterAccess().plan(INCIDENT);
    prod.advanceClock(Duration.ofHours(2));

    var e = catchThrowableOfType(InvalidInputException.class, stale::apply);

    assertThat(e.getMessage())
        .contains("2026-01-01T02:00:00Z")
        .contains("has passed")
        .contains("plan the break-glass again");
    assertThat(prod).hasNoWrites();
  }

  @Test
  void aBackendThatCannotStoreTheRecordIsRefusedBecauseTheGrantWouldNeverExpire() {
    FakeCluster prod = FakeCluster.awsAuth("prod");
    IdentityBackend real = prod.identities();
    IdentityBackend forgetful =
        new IdentityBackend() {
          @Override
          public String name() {
            return "forgetful";
          }

          @Override
          public Set<Capability> capabilities() {
            return Set.of(Capability.SYSTEM_GROUPS);
          }

          @Override
          public PrincipalMatching principalMatching() {
            return real.principalMatching();
          }

          @Override
          public IdentitySnapshot read() {
            return real.read();
          }

          @Override
          public WriteResult write(IdentityChanges changes, Version expected) {
            return real.write(changes, expected);
          }
        };
    ClusterAccess access =
        ClusterAccess.builder().clusterName("prod").identities(forgetful).build();

    var e = catchThrowableOfType(UnsupportedGrantException.class, () -> access.plan(INCIDENT));

    assertThat(e.getMessage()).contains("forgetful").contains("permanent cluster-admin");
    assertThat(prod).hasNoWrites();
  }
}
