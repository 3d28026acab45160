package dev.eksaccess.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.eksaccess.api.spi.IdentityMapping;
import dev.eksaccess.testkit.FakeCluster;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bugs found by review, each pinned so it stays fixed. */
class ReviewRegressionTest {
  static final IamRole DEV = IamRole.of("arn:aws:iam::111122223333:role/Dev");
  static final Caller JANE = Caller.of("arn:aws:sts::111122223333:assumed-role/Dev/jane");

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "system:jane, arn:aws:iam::111122223333:role/Dev, INVALID_USERNAME",
    "'{{SessionName}}', arn:aws:iam::111122223333:role/Dev, INVALID_USERNAME",
    "ok, arn:aws:iam::111122223333:role/aws-service-role/eks.amazonaws.com/AWSServiceRoleForAmazonEKS, INVALID_ARN"
  })
  void accessEntryRulesRefuseAtPlanTimeSoNothingIsHalfWritten(
      String user, String role, ErrorCode code) {
    FakeCluster prod = FakeCluster.accessEntries("prod");
    // refused at the chain step (a reserved name) or at plan time (EKS's own rules), never later
    var e =
        catchThrowableOfType(
            InvalidInputException.class,
            () ->
                prod.clusterAccess()
                    .plan(
                        ClusterAccess.grant(IamRole.of(role))
                            .asUser(user)
                            .inGroups("acme:devs")
                            .bind(ClusterRole.VIEW)
                            .clusterWide()));
    assertThat(e.code()).isEqualTo(code);
    assertThat(prod).hasNoWrites();
    assertThat(prod.state().bindings()).isEmpty();
  }

  @Test
  void revokingAPrincipalWithDuplicateEntriesRemovesThemAll() {
    FakeCluster prod = FakeCluster.awsAuth("prod");
    prod.seed(
        IdentityMapping.of(IamRole.of("arn:aws:iam::111122223333:role/Dup")).withUsername("a"));
    prod.seed(
        IdentityMapping.of(IamRole.of("arn:aws:iam::111122223333:role/dup")).withUsername("b"));
    Plan revoke = prod.clusterAccess().planRevoke(IamRole.of("arn:aws:iam::111122223333:role/Dup"));
    assertThat(revoke.changes()).hasSize(2);
    revoke.apply();
    assertThat(prod.state().mappings()).isEmpty();
  }

  @Test
  void aRolePathIsStrippedOnAwsAuthWithAWarningAndTheCallerGetsIn() {
    FakeCluster prod = FakeCluster.awsAuth("prod");
    Grant g =
        ClusterAccess.grant(IamRole.of("arn:aws:iam::111122223333:role/teams/Dev"))
            .asGroup("acme:devs")
            .bind(ClusterRole.VIEW)
            .inNamespace("a");
    Plan plan = prod.clusterAccess().plan(g);
    assertThat(plan.warnings()).anySatisfy(w -> assertThat(w).contains("without its path /teams/"));
    assertThat(plan.changes().get(0).object())
        .isEqualTo("mapping arn:aws:iam::111122223333:role/Dev");
    plan.apply();
    assertThat(prod.clusterAccess().plan(g).isEmpty()).isTrue();
    assertThat(
            prod.clusterAccess()
                .explain(JANE, Request.verb("get").resource("pods").inNamespace("a"))
                .allowed())
        .isTrue();
  }

  @Test
  void changingANodeRolesUsernameIsRefused() {
    FakeCluster prod = FakeCluster.awsAuth("prod");
    IamRole node = IamRole.of("arn:aws:iam::111122223333:role/Node");
    prod.seed(
        IdentityMapping.of(node)
            .withUsername("system:node:{{EC2PrivateDNSName}}")
            .withGroups(List.of("system:bootstrappers", "system:nodes")));
    Plan plan =
        prod.clusterAccess()
            .plan(
                ClusterAccess.grant(node)
                    .asUser("ops")
                    .inGroups("ops")
                    .bind(ClusterRole.VIEW)
                    .clusterWide());
    assertThat(plan.violations()).extracting(v -> v.guard()).containsExactly(Guard.NODE_ROLES);
    assertThat(plan.violations().get(0).message()).contains("system:node:");
  }

  @Test
  void accessEntriesKnowARoleByAccountAndNameWhateverItsPathWhenRevoking() {
    FakeCluster prod = FakeCluster.accessEntries("prod");
    prod.seed(
        IdentityMapping.of(IamRole.of("arn:aws:iam::111122223333:role/teams/Dev"))
            .withGroups(List.of("acme:devs")));
    // a grant names the role as IAM has it (EKS refuses another path), so it is read as given
    Plan plan =
        prod.clusterAccess()
            .plan(
                ClusterAccess.grant(DEV).asGroup("acme:ops").bind(ClusterRole.VIEW).clusterWide());
    assertThat(plan.changes().get(0).object()).isEqualTo("mapping " + DEV);
    // a revoke must not miss the entry because the role was named without its path
    assertThat(prod.clusterAccess().planRevoke(DEV).changes())
        .singleElement()
        .satisfies(c -> assertThat(c.object()).contains("role/teams/Dev"));
  }

  @Test
  void awsAuthWritesAUsernameSoExplainShowsWhatEksWouldUse() {
    FakeCluster prod = FakeCluster.awsAuth("prod");
    prod.clusterAccess()
        .plan(ClusterAccess.grant(DEV).asGroup("acme:devs").bind(ClusterRole.VIEW).clusterWide())
        .apply();
    assertThat(prod.state().mappings().get(0).username())
        .contains("arn:aws:sts::111122223333:assumed-role/Dev/{{SessionName}}");
    prod.seed(
        IdentityMapping.of(IamRole.of("arn:aws:iam::111122223333:role/Bare"))
            .withGroups(List.of("g")));
    var d =
        prod.clusterAccess()
            .explain(
                Caller.of("arn:aws:sts::111122223333:assumed-role/Bare/s1"),
                Request.verb("get").resource("pods"));
    assertThat(d.toString()).contains("user \"\"");
  }
}
