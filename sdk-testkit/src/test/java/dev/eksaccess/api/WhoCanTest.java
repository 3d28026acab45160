package dev.eksaccess.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eksaccess.api.spi.IdentityMapping;
import dev.eksaccess.api.spi.PolicyAssociation;
import dev.eksaccess.testkit.FakeCluster;
import java.util.List;
import org.junit.jupiter.api.Test;

class WhoCanTest {
  static final IamRole DEV = IamRole.of("arn:aws:iam::111122223333:role/DevTeamRole");
  static final IamRole OPS = IamRole.of("arn:aws:iam::111122223333:role/OpsRole");
  static final IamRole ADMIN = IamRole.of("arn:aws:iam::111122223333:role/Admin");
  static final IamUser JANE = IamUser.of("arn:aws:iam::111122223333:user/jane");
  static final Request GET_PODS = Request.verb("get").resource("pods").inNamespace("prod-apps");
  static final Request DELETE_PODS =
      Request.verb("delete").resource("pods").inNamespace("prod-apps");

  @Test
  void namesTheIamPrincipalsThatRbacAndSystemMastersAllow() {
    FakeCluster prod = FakeCluster.awsAuth("prod");
    ClusterAccess ca = prod.clusterAccess();
    ca.plan(
            ClusterAccess.grant(DEV)
                .asGroup("acme:devs")
                .bind(ClusterRole.VIEW)
                .inNamespace("prod-apps"),
            ClusterAccess.grant(OPS)
                .asGroup("acme:ops")
                .bind(ClusterRole.EDIT)
                .inNamespace("prod-apps"),
            ClusterAccess.grant(JANE)
                .asGroup("acme:devs")
                .bind(ClusterRole.VIEW)
                .inNamespace("prod-apps"))
        .apply();
    prod.seed(
        IdentityMapping.of(ADMIN).withUsername("admin").withGroups(List.of("system:masters")));
    // written with its path: STS never reports it, so EKS never matches this entry
    prod.seed(
        IdentityMapping.of(IamRole.of("arn:aws:iam::111122223333:role/teams/Pathed"))
            .withGroups(List.of("acme:ops")));

    assertThat(ca.whoCan(GET_PODS))
        .extracting(AllowedPrincipal::principal)
        .containsExactly(DEV, OPS, JANE, ADMIN);
    List<AllowedPrincipal> deleters = ca.whoCan(DELETE_PODS);
    assertThat(deleters).extracting(AllowedPrincipal::principal).containsExactly(OPS, ADMIN);
    assertThat(deleters.get(0).toString())
        .startsWith(OPS + ": RoleBinding prod-apps/")
        .contains("ClusterRole edit");
    assertThat(deleters.get(1).toString()).contains("system:masters");
    assertThat(ca.whoCan(Request.verb("get").resource("pods").inNamespace("payments")))
        .extracting(AllowedPrincipal::principal)
        .containsExactly(ADMIN);
  }

  @Test
  void accessPoliciesCountWithinTheirScope() {
    FakeCluster prod = FakeCluster.accessEntries("prod");
    prod.seedAccessEntry(
        IdentityMapping.of(IamRole.of("arn:aws:iam::111122223333:role/teams/DevTeamRole"))
            .withPolicy(new PolicyAssociation(AccessPolicy.VIEW, Scope.namespaces("prod-apps"))));

    assertThat(prod.clusterAccess().whoCan(GET_PODS))
        .singleElement()
        .satisfies(
            p -> {
              // an access entry matches the role by name, path or not
              assertThat(p.principal().name()).isEqualTo("DevTeamRole");
              assertThat(p.toString()).contains("AmazonEKSViewPolicy");
            });
    assertThat(prod.clusterAccess().whoCan(DELETE_PODS)).isEmpty();
  }

  @Test
  void whoCanHasAVersionedJsonFormWithEachDecision() throws Exception {
    FakeCluster prod = FakeCluster.awsAuth("prod");
    prod.clusterAccess()
        .plan(
            ClusterAccess.grant(IamRole.of("arn:aws:iam::111122223333:role/DevTeamRole"))
                .asGroup("acme:devs")
                .bind(ClusterRole.VIEW)
                .inNamespace("prod-apps"))
        .apply();
    Request read = Request.verb("get").resource("pods").inNamespace("prod-apps");

    com.fasterxml.jackson.databind.JsonNode json =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(AllowedPrincipal.toJson(read, prod.clusterAccess().whoCan(read)));

    assertThat(json.path("schema").asText()).isEqualTo("eks-access/who-can/v1");
    assertThat(json.path("principals")).hasSize(1);
    assertThat(json.path("principals").get(0).path("principal").asText())
        .isEqualTo("arn:aws:iam::111122223333:role/DevTeamRole");
    assertThat(json.path("principals").get(0).path("decision").path("verdict").asText())
        .isEqualTo("ALLOWED");
  }
}
