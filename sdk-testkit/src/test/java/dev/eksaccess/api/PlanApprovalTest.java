package dev.eksaccess.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.eksaccess.api.spi.IdentityMapping;
import dev.eksaccess.testkit.FakeCluster;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A plan reviewed as JSON is applied later only if the cluster still matches what was reviewed;
 * otherwise it is refused with nothing written, and a re-plan is asked for.
 */
class PlanApprovalTest {
  static final IamRole DEV = IamRole.of("arn:aws:iam::111122223333:role/DevTeamRole");
  static final IamRole OPS = IamRole.of("arn:aws:iam::111122223333:role/OpsRole");
  static final IamRole ADMIN = IamRole.of("arn:aws:iam::111122223333:role/Admin");
  static final Grant DEVS =
      ClusterAccess.grant(DEV)
          .asGroup("acme:devs")
          .bind(ClusterRole.VIEW)
          .inNamespace("prod-apps")
          .and()
          .bind(ClusterRole.named("pod-reader"))
          .inNamespaces("a", "b");
  static final Grant OPS_POLICY =
      ClusterAccess.grant(OPS)
          .asUser("ops")
          .inGroups("acme:ops")
          .bind(AccessPolicy.VIEW)
          .clusterWide();

  @Test
  void aReviewedPlanIsAppliedLaterWhenTheClusterStillMatches() {
    FakeCluster prod = FakeCluster.accessEntries("prod");
    prod.seedRbac(
        """
        kind: ClusterRole
        apiVersion: rbac.authorization.k8s.io/v1
        metadata: {name: pod-reader}
        rules: [{apiGroups: [""], resources: [pods], verbs: [get]}]
        """);
    Plan reviewed = prod.clusterAccess().plan(DEVS, OPS_POLICY);
    String json = reviewed.toJson();

    Plan approved = Plan.fromJson(json, prod.clusterAccess());

    assertThat(approved.changes()).isEqualTo(reviewed.changes());
    approved.apply();
    prod.assertThat().hasGrant(DEVS).hasGrant(OPS_POLICY);
    assertThat(json).contains("\"schema\":\"eks-access/plan/v1\"").contains("\"intent\"");
  }

  @Test
  void aRevokeWithAForcedGuardComesBackForcedAndApplies() {
    FakeCluster prod = FakeCluster.awsAuth("prod");
    prod.seed(IdentityMapping.of(ADMIN).withGroups(List.of("system:masters")));
    Plan reviewed = prod.clusterAccess().planRevoke(ADMIN).force(Guard.LAST_ADMIN);

    Plan approved = Plan.fromJson(reviewed.toJson(), prod.clusterAccess());

    assertThat(approved.forced()).containsExactly(Guard.LAST_ADMIN);
    approved.apply();
    prod.assertThat().hasNoMappingFor(ADMIN);
  }

  @Test
  void aClusterThatChangedSinceTheReviewIsRefusedAndNothingIsWritten() {
    FakeCluster prod = FakeCluster.awsAuth("prod");
    String json = prod.clusterAccess().plan(DEVS).toJson();
    // someone maps DEV otherwise before the approval lands
    prod.seed(IdentityMapping.of(DEV).withUsername("dev").withGroups(List.of("acme:other")));
    long writes = prod.requests().stream().filter(r -> r.isWrite()).count();

    ConflictException e =
        catchThrowableOfType(
            ConflictException.class, () -> Plan.fromJson(json, prod.clusterAccess()));

    assertThat(e.getMessage())
        .contains("changed since this plan was reviewed")
        .contains("plan again and review the new plan");
    assertThat(prod.requests().stream().filter(r -> r.isWrite()).count()).isEqualTo(writes);
  }

  @Test
  void anotherClusterOrNotAPlanIsRefusedWithWhere() {
    FakeCluster prod = FakeCluster.awsAuth("prod");
    String json = prod.clusterAccess().plan(DEVS).toJson();

    assertThat(
            catchThrowableOfType(
                InvalidInputException.class,
                () -> Plan.fromJson(json, FakeCluster.awsAuth("staging").clusterAccess())))
        .hasMessage("cluster \"prod\": is the cluster this plan was made for, not staging.");
    assertThat(
            catchThrowableOfType(
                InvalidInputException.class,
                () -> Plan.fromJson("{\"x\":1}", prod.clusterAccess())))
        .hasMessageContaining("schema");
    assertThat(
            catchThrowableOfType(
                InvalidInputException.class,
                () -> Plan.fromJson("{not json", prod.clusterAccess())))
        .hasMessageContaining("is not JSON");
  }

  @Test
  void aTamperedGrantOfSystemMastersIsRefused() {
    FakeCluster prod = FakeCluster.awsAuth("prod");
    String json =
        prod.clusterAccess().plan(DEVS).toJson().replace("\"acme:devs\"", "\"system:masters\"");

    InvalidInputException e =
        catchThrowableOfType(
            InvalidInputException.class, () -> Plan.fromJson(json, prod.clusterAccess()));

    assertThat(e.code()).isEqualTo(ErrorCode.SYSTEM_MASTERS_GRANT);
  }

  @Test
  void aForcedGuardCoversOnlyTheViolationThatWasReviewed() {
    FakeCluster prod = FakeCluster.awsAuth("prod");
    IamRole other = IamRole.of("arn:aws:iam::111122223333:role/OtherAdmin");
    prod.seed(IdentityMapping.of(ADMIN).withGroups(List.of("system:masters")));
    prod.seed(IdentityMapping.of(other).withGroups(List.of("system:masters")));
    // reviewed: revoking ADMIN trips nothing, another admin is left
    String json = prod.clusterAccess().planRevoke(ADMIN).toJson();
    String forcedAnyway =
        json.replace(
            "\"violations\":[]",
            "\"violations\":[{\"guard\":\"LAST_ADMIN\",\"code\":"
                + "\"LOCKOUT_LAST_ADMIN\",\"forced\":true,\"message\":\"x\"}]");
    prod.clusterAccess().planRevoke(other).force(Guard.LAST_ADMIN).apply();

    assertThat(
            catchThrowableOfType(
                ConflictException.class, () -> Plan.fromJson(forcedAnyway, prod.clusterAccess())))
        .hasMessageContaining("it trips [LAST_ADMIN: ");
    assertThat(
            catchThrowableOfType(
                ConflictException.class, () -> Plan.fromJson(json, prod.clusterAccess())))
        .hasMessageContaining("changed since this plan was reviewed");
    prod.assertThat().hasMapping(ADMIN);
  }

  @Test
  void anUnknownGuardIsAnSdkException() {
    FakeCluster prod = FakeCluster.awsAuth("prod");
    String json =
        prod.clusterAccess()
            .plan(
                ClusterAccess.grant(DEV).asGroup("acme:devs").bind(ClusterRole.VIEW).clusterWide())
            .toJson()
            .replace(
                "\"violations\":[]",
                "\"violations\":[{\"guard\":\"NO_SUCH\",\"forced\":true,\"message\":\"x\"}]");

    assertThat(
            catchThrowableOfType(
                InvalidInputException.class, () -> Plan.fromJson(json, prod.clusterAccess())))
        .hasMessageContaining("NO_SUCH");
  }
}
