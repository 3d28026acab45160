package dev.eksaccess.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eksaccess.api.spi.IdentityMapping;
import dev.eksaccess.testkit.FakeCluster;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Plan everywhere, review, apply everywhere: only what was reviewed, per cluster, in order. */
class FleetPlanTest {
  static final IamRole DEV = IamRole.of("arn:aws:iam::111122223333:role/DevTeamRole");
  static final IamRole ADMIN = IamRole.of("arn:aws:iam::111122223333:role/Admin");
  static final Grant DEVS =
      ClusterAccess.grant(DEV).asGroup("acme:devs").bind(ClusterRole.VIEW).inNamespace("prod-apps");

  final FakeCluster a = FakeCluster.awsAuth("a");
  final FakeCluster b = FakeCluster.accessEntries("b");
  final FakeCluster c = FakeCluster.awsAuth("c");

  Fleet fleet() {
    return Fleet.builder()
        .cluster("a", a::clusterAccess)
        .cluster(
            "unreachable",
            () -> {
              throw new BackendException("no route to the cluster's endpoint", 0, null, true, null);
            })
        .cluster("b", b::clusterAccess)
        .cluster("c", c::clusterAccess)
        .concurrency(2)
        .build();
  }

  @Test
  void aFleetPlanWritesNothingReportsEveryClusterInOrderAndAppliesWhatWasReviewed()
      throws Exception {
    Fleet fleet = fleet();
    FleetPlan plan = fleet.plan(DEVS);

    assertThat(plan.clusters())
        .extracting(FleetPlan.ClusterPlan::cluster)
        .containsExactly("a", "unreachable", "b", "c");
    assertThat(plan.clusters())
        .extracting(FleetPlan.ClusterPlan::status)
        .containsExactly(
            FleetPlan.Status.CHANGES,
            FleetPlan.Status.FAILED,
            FleetPlan.Status.CHANGES,
            FleetPlan.Status.CHANGES);
    assertThat(plan.failures())
        .singleElement()
        .satisfies(f -> assertThat(f.cluster()).isEqualTo("unreachable"));
    assertThat(a.state().mappings()).isEmpty();
    assertThat(b.state().mappings()).isEmpty();
    assertThat(plan.toString())
        .contains("== a: CHANGES")
        .endsWith("3 of 4 clusters have changes; 1 could not be planned");

    JsonNode json = new ObjectMapper().readTree(plan.toJson());
    assertThat(json.get("schema").asText()).isEqualTo("eks-access/fleet-plan/v1");
    JsonNode clusters = json.get("clusters");
    assertThat(clusters).hasSize(4);
    assertThat(clusters.get(0).get("cluster").asText()).isEqualTo("a");
    assertThat(clusters.get(0).get("status").asText()).isEqualTo("CHANGES");
    assertThat(clusters.get(0).get("plan").get("schema").asText()).isEqualTo("eks-access/plan/v1");
    assertThat(clusters.get(0).get("plan").get("changes").get(0).get("action").asText())
        .isEqualTo("CREATE");
    assertThat(clusters.get(1).get("status").asText()).isEqualTo("FAILED");
    assertThat(clusters.get(1).has("plan")).isFalse();
    assertThat(clusters.get(1).get("error").get("code").asText()).isEqualTo("BACKEND_FAILURE");
    assertThat(clusters.get(1).get("error").get("retryable").asBoolean()).isTrue();
    assertThat(clusters.get(1).get("error").get("message").asText()).contains("no route");

    // another writer changes c after the review
    c.clusterAccess()
        .plan(ClusterAccess.grant(DEV).asGroup("acme:other").bind(ClusterRole.EDIT).clusterWide())
        .apply();
    List<IdentityMapping> cBefore = c.state().mappings();

    Fleet.Result result = fleet.apply(plan);

    assertThat(result.outcomes())
        .extracting(Fleet.Outcome::cluster)
        .containsExactly("a", "unreachable", "b", "c");
    assertThat(result.outcomes())
        .extracting(Fleet.Outcome::status)
        .containsExactly(
            Fleet.Status.APPLIED, Fleet.Status.FAILED, Fleet.Status.APPLIED, Fleet.Status.FAILED);
    assertThat(a).hasGrant(DEVS);
    assertThat(b).hasGrant(DEVS);
    assertThat(result.outcomes().get(1).failure())
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("could not be planned");
    assertThat(result.outcomes().get(3).failure())
        .isInstanceOf(ConflictException.class)
        .hasMessageContaining("changed since this plan was reviewed");
    assertThat(c.state().mappings()).isEqualTo(cBefore);

    JsonNode out = new ObjectMapper().readTree(result.toJson());
    assertThat(out.get("schema").asText()).isEqualTo("eks-access/fleet-result/v1");
    assertThat(out.get("succeeded").asInt()).isEqualTo(2);
    assertThat(out.get("failed").asInt()).isEqualTo(2);
    JsonNode outcomes = out.get("outcomes");
    assertThat(outcomes.get(0).get("status").asText()).isEqualTo("APPLIED");
    assertThat(outcomes.get(0).get("result").get("schema").asText())
        .isEqualTo("eks-access/apply-result/v1");
    assertThat(outcomes.get(0).get("result").get("writes").asInt()).isPositive();
    assertThat(outcomes.get(0).has("error")).isFalse();
    assertThat(outcomes.get(3).get("status").asText()).isEqualTo("FAILED");
    assertThat(outcomes.get(3).get("error").get("code").asText()).isEqualTo("CONFLICT");
    assertThat(outcomes.get(3).get("error").get("type").asText()).isEqualTo("ConflictException");
  }

  @Test
  void aRefusedClusterIsReportedAsRefusedAndForcingTheFleetPlanAppliesIt() throws Exception {
    a.seed(IdentityMapping.of(ADMIN).withUsername("admin").withGroups(List.of("system:masters")));
    Fleet fleet =
        Fleet.builder().cluster("a", a::clusterAccess).cluster("c", c::clusterAccess).build();

    FleetPlan plan = fleet.planRevoke(ADMIN);

    assertThat(plan.clusters())
        .extracting(FleetPlan.ClusterPlan::status)
        .containsExactly(FleetPlan.Status.REFUSED, FleetPlan.Status.NO_CHANGES);
    Fleet.Result refused = fleet.apply(plan);
    assertThat(refused.outcomes())
        .extracting(Fleet.Outcome::status)
        .containsExactly(Fleet.Status.REFUSED, Fleet.Status.UNCHANGED);
    assertThat(new ObjectMapper().readTree(refused.toJson()).at("/outcomes/0/error/code").asText())
        .isEqualTo("LOCKOUT_LAST_ADMIN");
    assertThat(a.state().mappings()).hasSize(1);

    Fleet.Result forced = fleet.apply(plan.force(Guard.LAST_ADMIN));
    assertThat(forced.outcomes())
        .extracting(Fleet.Outcome::status)
        .containsExactly(Fleet.Status.APPLIED, Fleet.Status.UNCHANGED);
    assertThat(a.state().mappings()).isEmpty();
  }

  @Test
  void aClusterTheReviewedPlanDoesNotNameIsNotWritten() {
    FleetPlan onlyA = Fleet.builder().cluster("a", a::clusterAccess).build().plan(DEVS);
    Fleet both =
        Fleet.builder().cluster("a", a::clusterAccess).cluster("c", c::clusterAccess).build();

    Fleet.Result result = both.apply(onlyA);

    assertThat(result.outcomes())
        .extracting(Fleet.Outcome::status)
        .containsExactly(Fleet.Status.APPLIED, Fleet.Status.FAILED);
    assertThat(result.outcomes().get(1).failure())
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("does not name");
    assertThat(c.state().mappings()).isEmpty();
  }

  @Test
  void aPartialRevokeIsPlannedAndAppliedAcrossTheFleet() {
    Fleet fleet =
        Fleet.builder().cluster("a", a::clusterAccess).cluster("b", b::clusterAccess).build();
    fleet.apply(
        DEVS,
        ClusterAccess.grant(DEV).asGroup("acme:oncall").bind(ClusterRole.EDIT).inNamespace("ops"));

    FleetPlan plan = fleet.plan(ClusterAccess.revoke(DEV).group("acme:oncall"));
    assertThat(plan.clusters())
        .extracting(FleetPlan.ClusterPlan::status)
        .containsOnly(FleetPlan.Status.CHANGES);
    assertThat(fleet.apply(plan).allSucceeded()).isTrue();

    for (FakeCluster x : List.of(a, b)) {
      assertThat(x.state().mappings())
          .singleElement()
          .satisfies(m -> assertThat(m.groups()).containsExactly("acme:devs"));
      assertThat(x).hasGrant(DEVS);
    }
  }

  @Test
  void anApplyResultReadsBackAsJson() throws Exception {
    ApplyResult r = a.clusterAccess().plan(DEVS).apply();
    JsonNode json = new ObjectMapper().readTree(r.toJson());
    assertThat(json.get("schema").asText()).isEqualTo("eks-access/apply-result/v1");
    assertThat(json.get("noOp").asBoolean()).isFalse();
    assertThat(json.get("writes").asInt()).isEqualTo(r.writes());
    assertThat(json.get("applied")).hasSize(r.applied().size());
    assertThat(json.at("/applied/0/layer").asText()).isEqualTo(r.applied().get(0).layer().name());
    assertThat(json.at("/applied/0/object").asText()).isEqualTo(r.applied().get(0).object());

    JsonNode none = new ObjectMapper().readTree(a.clusterAccess().plan(DEVS).apply().toJson());
    assertThat(none.get("noOp").asBoolean()).isTrue();
    assertThat(none.get("applied")).isEmpty();
  }
}
