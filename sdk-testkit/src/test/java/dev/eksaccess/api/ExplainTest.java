package dev.eksaccess.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eksaccess.api.spi.IdentityMapping;
import dev.eksaccess.api.spi.PolicyAssociation;
import dev.eksaccess.api.spi.PolicyRule;
import dev.eksaccess.api.spi.RbacBinding;
import dev.eksaccess.api.spi.RbacRole;
import dev.eksaccess.api.spi.RbacSubject;
import dev.eksaccess.testkit.FakeCluster;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExplainTest {
  static final IamRole DEV = IamRole.of("arn:aws:iam::111122223333:role/DevTeamRole");
  static final Caller JANE =
      Caller.of("arn:aws:sts::111122223333:assumed-role/DevTeamRole/jane@example.com");
  static final Request GET_PODS = Request.verb("get").resource("pods").inNamespace("prod-apps");
  static final Request DELETE_PODS =
      Request.verb("delete").resource("pods").inNamespace("prod-apps");

  private static FakeCluster withDevsViewing(FakeCluster prod) {
    prod.clusterAccess()
        .plan(
            ClusterAccess.grant(DEV)
                .asGroup("acme:devs")
                .bind(ClusterRole.VIEW)
                .inNamespace("prod-apps"))
        .apply();
    return prod;
  }

  @Test
  void allowedNamesBindingRoleAndRule() {
    Decision d =
        withDevsViewing(FakeCluster.awsAuth("prod")).clusterAccess().explain(JANE, GET_PODS);
    assertThat(d.allowed()).isTrue();
    assertThat(d.steps())
        .extracting(Decision.Step::layer)
        .containsExactly(Decision.Layer.CALLER, Decision.Layer.IDENTITY, Decision.Layer.RBAC);
    assertThat(d.toString())
        .startsWith("ALLOWED: get pods in namespace prod-apps")
        .contains(
            "STS session \"jane@example.com\" of role arn:aws:iam::111122223333:role/DevTeamRole")
        .contains("groups [acme:devs]")
        .contains("assumed-role/DevTeamRole/jane-example.com") // {{SessionName}}: @ becomes -
        .contains("→ ClusterRole view → rule [get, list, watch]");
  }

  @Test
  void deniedNamesTheRoleThatLacksTheRule() {
    Decision d =
        withDevsViewing(FakeCluster.awsAuth("prod")).clusterAccess().explain(JANE, DELETE_PODS);
    assertThat(d.allowed()).isFalse();
    assertThat(d.toString())
        .startsWith("DENIED: delete pods")
        .contains("ClusterRole view: its rules allow [get, list, watch] on pods, not delete.");
  }

  @Test
  void deniedInAnotherNamespaceNamesWhereItWouldBeAllowed() {
    Decision d =
        withDevsViewing(FakeCluster.awsAuth("prod"))
            .clusterAccess()
            .explain(JANE, Request.verb("get").resource("pods").inNamespace("payments"));
    assertThat(d.allowed()).isFalse();
    assertThat(d.toString())
        .contains("grants this in namespace prod-apps; the request is in namespace payments");
  }

  @Test
  void roleBindingsNeverGrantClusterScopedResources() {
    Decision d =
        withDevsViewing(FakeCluster.awsAuth("prod"))
            .clusterAccess()
            .explain(JANE, Request.verb("get").resource("namespaces"));
    assertThat(d.allowed()).isFalse();
    assertThat(d.toString()).contains("RoleBindings never grant cluster-scoped resources");
  }

  @Test
  void noMappingIsALayerOneDenialWithTheFix() {
    Decision d = FakeCluster.awsAuth("prod").clusterAccess().explain(JANE, GET_PODS);
    assertThat(d.allowed()).isFalse();
    assertThat(d.steps())
        .last()
        .satisfies(
            s -> {
              assertThat(s.layer()).isEqualTo(Decision.Layer.IDENTITY);
              assertThat(s.text())
                  .contains("no aws-auth mapping for arn:aws:iam::111122223333:role/DevTeamRole")
                  .contains("layer 1")
                  .contains("ClusterAccess.grant(IamRole.of(");
            });
  }

  @Test
  void aMappedGroupThatNothingBindsIsNamed() {
    FakeCluster prod = FakeCluster.awsAuth("prod");
    prod.seed(IdentityMapping.of(DEV).withGroups(List.of("acme:devs")));

    Decision d = prod.clusterAccess().explain(JANE, GET_PODS);

    assertThat(d.allowed()).isFalse();
    assertThat(d.steps())
        .last()
        .satisfies(s -> assertThat(s.layer()).isEqualTo(Decision.Layer.RBAC));
    assertThat(d.toString())
        .contains("no RoleBinding or ClusterRoleBinding names user")
        .contains("acme:devs");
  }

  @Test
  void aRolePathInAwsAuthIsANamedNearMiss() {
    FakeCluster prod = FakeCluster.awsAuth("prod");
    prod.seed(
        IdentityMapping.of(IamRole.of("arn:aws:iam::111122223333:role/teams/DevTeamRole"))
            .withGroups(List.of("acme:devs")));
    Decision d = prod.clusterAccess().explain(JANE, GET_PODS);
    assertThat(d.allowed()).isFalse();
    assertThat(d.toString())
        .contains("with its path /teams/")
        .contains("Write arn:aws:iam::111122223333:role/DevTeamRole instead");
  }

  @Test
  void accessEntriesMatchARoleWithItsPathByName() {
    FakeCluster prod = FakeCluster.accessEntries("prod");
    prod.seed(
        IdentityMapping.of(IamRole.of("arn:aws:iam::111122223333:role/teams/DevTeamRole"))
            .withGroups(List.of("acme:devs")));
    prod.seed(
        RbacBinding.roleBinding(
            "prod-apps", "devs", ClusterRole.VIEW, List.of(RbacSubject.group("acme:devs"))));
    Decision d = prod.clusterAccess().explain(JANE, GET_PODS);
    assertThat(d.allowed()).isTrue();
    assertThat(d.toString())
        .contains("matched by account and role name")
        .contains("with its path /teams/");
  }

  @Test
  void awsAuthMatchesIgnoringCaseAndRolesBeatUsers() {
    FakeCluster prod = FakeCluster.awsAuth("prod");
    prod.seed(
        IdentityMapping.of(IamRole.of("arn:aws:iam::111122223333:role/devteamrole"))
            .withUsername("lower")
            .withGroups(List.of("g")));
    Decision d = prod.clusterAccess().explain(JANE, GET_PODS);
    assertThat(d.toString()).contains("user \"lower\"");
  }

  @Test
  void mapAccountsGivesTheCanonicalArnAndNoGroups() {
    FakeCluster prod = FakeCluster.awsAuth("prod").seedAccount("111122223333");
    Decision d = prod.clusterAccess().explain(JANE, GET_PODS);
    assertThat(d.allowed()).isFalse();
    assertThat(d.toString())
        .contains("mapAccounts")
        .contains("user \"arn:aws:iam::111122223333:role/DevTeamRole\", no groups");
  }

  @Test
  void systemMastersIsAllowedBeforeRbac() {
    FakeCluster prod = FakeCluster.awsAuth("prod");
    prod.seed(IdentityMapping.of(DEV).withGroups(List.of("system:masters")));
    Decision d = prod.clusterAccess().explain(JANE, Request.verb("delete").resource("nodes"));
    assertThat(d.allowed()).isTrue();
    assertThat(d.toString()).contains("before RBAC");
  }

  @Test
  void templatesRenderPerSession() {
    FakeCluster prod = FakeCluster.awsAuth("prod");
    prod.seed(
        IdentityMapping.of(DEV)
            .withUsername("dev:{{SessionName}}@{{AccountID}}")
            .withGroups(List.of("team-{{SessionNameRaw}}")));
    prod.seed(
        RbacBinding.roleBinding(
            "prod-apps",
            "jane",
            ClusterRole.VIEW,
            List.of(RbacSubject.user("dev:jane-example.com@111122223333"))));
    Decision d = prod.clusterAccess().explain(JANE, GET_PODS);
    assertThat(d.allowed()).isTrue();
    assertThat(d.toString()).contains("user \"dev:jane-example.com@111122223333\"");
  }

  @Test
  void accessPoliciesAllowWithinTheirScopeOnly() {
    FakeCluster prod = FakeCluster.accessEntries("prod");
    prod.seed(
        IdentityMapping.of(DEV)
            .withPolicies(
                List.of(new PolicyAssociation(AccessPolicy.VIEW, Scope.namespaces("prod-apps")))));
    ClusterAccess ca = prod.clusterAccess();

    Decision allowed = ca.explain(JANE, GET_PODS);
    assertThat(allowed.allowed()).isTrue();
    assertThat(allowed.steps())
        .last()
        .satisfies(s -> assertThat(s.layer()).isEqualTo(Decision.Layer.ACCESS_POLICY));

    Decision elsewhere =
        ca.explain(JANE, Request.verb("get").resource("pods").inNamespace("payments"));
    assertThat(elsewhere.allowed()).isFalse();
    assertThat(elsewhere.toString())
        .contains(
            "AmazonEKSViewPolicy is scoped in namespaces prod-apps; the request is in namespace payments");

    Decision secrets =
        ca.explain(JANE, Request.verb("get").resource("secrets").inNamespace("prod-apps"));
    assertThat(secrets.allowed()).isFalse();
  }

  @Test
  void subresourcesResourceNamesAndNonResourceUrlsFollowRbacRules() {
    FakeCluster prod = FakeCluster.awsAuth("prod");
    prod.seed(IdentityMapping.of(DEV).withGroups(List.of("g")));
    prod.seed(
        RbacRole.clusterRole(
            "probe",
            List.of(
                PolicyRule.resources(List.of(""), List.of("*/log"), List.of("get")),
                PolicyRule.resources(List.of("apps"), List.of("deployments"), List.of("patch"))
                    .withResourceNames(List.of("web")),
                PolicyRule.nonResourceUrls(List.of("/metrics/*"), List.of("get")))));
    prod.seed(
        RbacBinding.clusterRoleBinding(
            "probe", ClusterRole.named("probe"), List.of(RbacSubject.group("g"))));
    ClusterAccess ca = prod.clusterAccess();

    assertThat(
            ca.explain(
                    JANE, Request.verb("get").resource("pods").subresource("log").inNamespace("a"))
                .allowed())
        .isTrue();
    assertThat(ca.explain(JANE, Request.verb("get").resource("pods").inNamespace("a")).allowed())
        .isFalse();
    assertThat(
            ca.explain(
                    JANE,
                    Request.verb("patch")
                        .resource("deployments")
                        .inApiGroup("apps")
                        .named("web")
                        .inNamespace("a"))
                .allowed())
        .isTrue();
    assertThat(
            ca.explain(
                    JANE,
                    Request.verb("patch")
                        .resource("deployments")
                        .inApiGroup("apps")
                        .named("api")
                        .inNamespace("a"))
                .allowed())
        .isFalse();
    assertThat(
            ca.explain(
                    JANE,
                    Request.verb("patch").resource("deployments").named("web").inNamespace("a"))
                .allowed())
        .isFalse();
    assertThat(ca.explain(JANE, Request.verb("get").nonResourceUrl("/metrics/cadvisor")).allowed())
        .isTrue();
    assertThat(ca.explain(JANE, Request.verb("get").nonResourceUrl("/metrics")).allowed())
        .isFalse();
  }

  @Test
  void serviceAccountSubjectsMatchTheirUsername() {
    FakeCluster prod = FakeCluster.awsAuth("prod");
    prod.seed(IdentityMapping.of(DEV).withUsername("system:serviceaccount:ci:deployer"));
    prod.seed(
        RbacBinding.roleBinding(
            "ci", "sa", ClusterRole.EDIT, List.of(RbacSubject.serviceAccount("ci", "deployer"))));
    assertThat(
            prod.clusterAccess()
                .explain(JANE, Request.verb("delete").resource("pods").inNamespace("ci"))
                .allowed())
        .isTrue();
  }

  @Test
  void anUnmappedCallerIsToldWhoIsMappedHowToCheckItselfAndTheNearMiss() {
    FakeCluster prod = withDevsViewing(FakeCluster.awsAuth("prod"));

    Decision d =
        prod.clusterAccess()
            .explain(Caller.of("arn:aws:sts::111122223333:assumed-role/DevTeamRol/jane"), GET_PODS);

    assertThat(d.verdict()).isEqualTo(Decision.Verdict.DENIED);
    assertThat(d.toString())
        .contains("near miss: " + DEV + " is mapped, a name 1 letter(s) away")
        .contains("maps 1 principal of account 111122223333: " + DEV + ".")
        .contains("aws sts get-caller-identity");
  }

  @Test
  void aBindingToAGroupOneLetterAwayIsNamedAsTheNearMiss() {
    FakeCluster prod = FakeCluster.awsAuth("prod");
    prod.seed(IdentityMapping.of(DEV).withUsername("dev").withGroups(List.of("acme:dev")));
    prod.seedRbac(
        """
        kind: RoleBinding
        apiVersion: rbac.authorization.k8s.io/v1
        metadata: {name: devs-view, namespace: prod-apps}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
        subjects: [{kind: Group, name: "acme:devs"}]
        """);

    Decision d = prod.clusterAccess().explain(JANE, GET_PODS);

    assertThat(d.allowed()).isFalse();
    assertThat(d.toString())
        .contains("near miss: RoleBinding prod-apps/devs-view would allow it")
        .contains("one letter away from the group \"acme:dev\"");
  }

  @Test
  void withoutAnRbacBackendExplainCannotDecideRatherThanDeny() {
    FakeCluster prod = withDevsViewing(FakeCluster.awsAuth("prod"));
    ClusterAccess identityOnly =
        ClusterAccess.builder().clusterName("prod").identities(prod.identities()).build();

    Decision d = identityOnly.explain(JANE, GET_PODS);

    assertThat(d.verdict()).isEqualTo(Decision.Verdict.UNDECIDED);
    assertThat(d.allowed()).isFalse();
    assertThat(d.toString()).startsWith("UNDECIDED: ").contains("no RBAC backend was given");
  }

  @Test
  void aDecisionHasAVersionedJsonFormWithAReasonCodePerStep() throws Exception {
    FakeCluster prod = withDevsViewing(FakeCluster.awsAuth("prod"));

    Decision allowed = prod.clusterAccess().explain(JANE, GET_PODS);
    Decision denied = prod.clusterAccess().explain(JANE, DELETE_PODS);
    com.fasterxml.jackson.databind.JsonNode json =
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(denied.toJson());

    assertThat(allowed.steps())
        .extracting(Decision.Step::reason)
        .containsExactly(
            Decision.Reason.CALLER, Decision.Reason.MAPPED, Decision.Reason.RBAC_ALLOWS);
    assertThat(json.path("schema").asText()).isEqualTo("eks-access/decision/v1");
    assertThat(json.path("caller").asText()).isEqualTo(JANE.arn().value());
    assertThat(json.path("verdict").asText()).isEqualTo("DENIED");
    assertThat(json.path("allowed").asBoolean()).isFalse();
    assertThat(json.path("request").path("verb").asText()).isEqualTo("delete");
    assertThat(json.path("request").path("namespace").asText()).isEqualTo("prod-apps");
    assertThat(json.path("steps"))
        .extracting(step -> step.path("reason").asText())
        .containsExactly("CALLER", "MAPPED", "RBAC_DENIES");
    assertThat(json.path("steps").get(2).path("text").asText())
        .isEqualTo(denied.steps().get(2).text());
  }

  @Test
  void aSiblingTenantsGroupIsNoNearMiss() {
    FakeCluster prod = FakeCluster.awsAuth("prod");
    prod.seed(IdentityMapping.of(DEV).withUsername("dev").withGroups(List.of("team-3")));
    prod.seedRbac(
        """
        kind: RoleBinding
        apiVersion: rbac.authorization.k8s.io/v1
        metadata: {name: team-4-admin, namespace: prod-apps}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
        subjects: [{kind: Group, name: "team-4"}]
        """);

    Decision d = prod.clusterAccess().explain(JANE, GET_PODS);

    assertThat(d.allowed()).isFalse();
    assertThat(d.toString()).doesNotContain("near miss: RoleBinding prod-apps/team-4-admin");
  }
}
