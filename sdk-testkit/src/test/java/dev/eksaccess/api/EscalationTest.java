package dev.eksaccess.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eksaccess.api.spi.IdentityMapping;
import dev.eksaccess.api.spi.PolicyAssociation;
import dev.eksaccess.api.spi.PolicyRule;
import dev.eksaccess.testkit.FakeCluster;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Who can change access itself: named in audit, and in the plan of a grant that hands it out. */
class EscalationTest {
  static final IamRole DEV = IamRole.of("arn:aws:iam::111122223333:role/Dev");
  static final IamRole LEAD = IamRole.of("arn:aws:iam::111122223333:role/Lead");
  static final IamRole ADMIN = IamRole.of("arn:aws:iam::111122223333:role/Admin");

  static List<Audit.Finding> canGrantMore(Audit audit) {
    return audit.findings().stream()
        .filter(f -> f.code() == Audit.Finding.Code.CAN_GRANT_ITSELF_MORE)
        .toList();
  }

  @Test
  void aGrantOfANamespaceAdminNamesThePowerItHandsOut() {
    FakeCluster prod = FakeCluster.awsAuth("prod");
    Plan admin =
        prod.clusterAccess()
            .plan(
                ClusterAccess.grant(LEAD)
                    .asGroup("acme:leads")
                    .bind(ClusterRole.ADMIN)
                    .inNamespace("apps"));
    Plan view =
        prod.clusterAccess()
            .plan(
                ClusterAccess.grant(DEV)
                    .asGroup("acme:devs")
                    .bind(ClusterRole.VIEW)
                    .inNamespace("apps"));

    assertThat(admin.warnings())
        .anySatisfy(
            w ->
                assertThat(w)
                    .contains("in namespace apps")
                    .contains("write bindings")
                    .contains("can grant itself"));
    assertThat(view.warnings()).noneMatch(w -> w.contains("can grant itself"));
  }

  @Test
  void aDefinedRoleWithEscalateOrImpersonateIsNamed() {
    FakeCluster prod = FakeCluster.awsAuth("prod");
    ClusterRoleDefinition impersonator =
        ClusterRoleDefinition.of(
            "impersonator",
            PolicyRule.resources(List.of(""), List.of("users", "groups"), List.of("impersonate")));

    Plan plan =
        prod.clusterAccess()
            .plan(ClusterAccess.grant(DEV).asGroup("acme:devs").bind(impersonator).clusterWide());

    assertThat(plan.warnings())
        .anySatisfy(w -> assertThat(w).contains("cluster-wide").contains("impersonate"));
  }

  @Test
  void auditNamesWhoCanGrantThemselvesMoreAndThroughWhat() {
    FakeCluster prod = FakeCluster.awsAuth("prod");
    prod.seed(IdentityMapping.of(DEV).withGroups(List.of("acme:devs")));
    prod.seed(IdentityMapping.of(LEAD).withGroups(List.of("acme:leads")));
    prod.seed(IdentityMapping.of(ADMIN).withGroups(List.of("system:masters")));
    prod.seedRbac(
        """
        kind: RoleBinding
        apiVersion: rbac.authorization.k8s.io/v1
        metadata: {name: devs-view, namespace: apps}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
        subjects: [{kind: Group, name: "acme:devs"}]
        ---
        kind: RoleBinding
        apiVersion: rbac.authorization.k8s.io/v1
        metadata: {name: leads-admin, namespace: apps}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: admin}
        subjects: [{kind: Group, name: "acme:leads"}]
        """);

    List<Audit.Finding> found = canGrantMore(prod.clusterAccess().audit());

    assertThat(found)
        .extracting(Audit.Finding::object)
        .containsExactlyInAnyOrder(
            "mapping " + LEAD.arn().value(), "mapping " + ADMIN.arn().value());
    assertThat(found)
        .filteredOn(f -> f.object().contains("Lead"))
        .singleElement()
        .satisfies(
            f ->
                assertThat(f.detail())
                    .contains("write bindings (RoleBinding apps/leads-admin)")
                    .doesNotContain("write aws-auth"));
    assertThat(found)
        .filteredOn(f -> f.object().contains("Admin"))
        .singleElement()
        .satisfies(
            f ->
                assertThat(f.detail())
                    .contains("write aws-auth (system:masters)")
                    .contains("impersonate (system:masters)"));
  }

  @Test
  void aClusterAdminAccessPolicyCanGrantItselfMoreAndAViewPolicyCannot() {
    FakeCluster prod = FakeCluster.accessEntries("prod");
    prod.seed(
        IdentityMapping.of(ADMIN)
            .withPolicy(new PolicyAssociation(AccessPolicy.CLUSTER_ADMIN, Scope.cluster())));
    prod.seed(
        IdentityMapping.of(DEV)
            .withPolicy(new PolicyAssociation(AccessPolicy.VIEW, Scope.namespaces("apps"))));

    List<Audit.Finding> found = canGrantMore(prod.clusterAccess().audit());

    assertThat(found)
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.object()).contains("Admin");
              assertThat(f.detail()).contains("access policy AmazonEKSClusterAdminPolicy");
            });
  }

  @Test
  void powersOverNamedObjectsCountAndPatchingAwsAuthIsWritingIt() {
    FakeCluster prod = FakeCluster.awsAuth("prod");
    prod.seed(IdentityMapping.of(DEV).withGroups(List.of("acme:devs")));
    prod.seed(IdentityMapping.of(LEAD).withGroups(List.of("acme:leads")));
    prod.seedRbac(
        """
        kind: ClusterRole
        apiVersion: rbac.authorization.k8s.io/v1
        metadata: {name: become-masters}
        rules: [{apiGroups: [""], resources: [groups], resourceNames: ["system:masters"], verbs: [impersonate]}]
        ---
        kind: ClusterRoleBinding
        apiVersion: rbac.authorization.k8s.io/v1
        metadata: {name: devs-become-masters}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: become-masters}
        subjects: [{kind: Group, name: "acme:devs"}]
        ---
        kind: Role
        apiVersion: rbac.authorization.k8s.io/v1
        metadata: {name: aws-auth-patcher, namespace: kube-system}
        rules: [{apiGroups: [""], resources: [configmaps], resourceNames: [aws-auth], verbs: [get, patch]}]
        ---
        kind: RoleBinding
        apiVersion: rbac.authorization.k8s.io/v1
        metadata: {name: leads-patch-aws-auth, namespace: kube-system}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: aws-auth-patcher}
        subjects: [{kind: Group, name: "acme:leads"}]
        """);

    List<Audit.Finding> found = canGrantMore(prod.clusterAccess().audit());

    assertThat(found)
        .filteredOn(f -> f.object().contains("role/Dev"))
        .singleElement()
        .satisfies(
            f ->
                assertThat(f.detail())
                    .contains("impersonate (ClusterRoleBinding devs-become-masters)"));
    assertThat(found)
        .filteredOn(f -> f.object().contains("role/Lead"))
        .singleElement()
        .satisfies(
            f ->
                assertThat(f.detail())
                    .contains("write aws-auth (RoleBinding kube-system/leads-patch-aws-auth)"));
  }

  @Test
  void aWildcardScopeOverKubeSystemIsJudgedTheSameInAuditAndPlan() {
    FakeCluster prod = FakeCluster.accessEntries("prod");
    Grant edit =
        ClusterAccess.grant(LEAD)
            .asGroup("acme:leads")
            .bind(AccessPolicy.EDIT)
            .inNamespace("kube-*");
    Plan plan = prod.clusterAccess().plan(edit);
    plan.apply();

    String audited = canGrantMore(prod.clusterAccess().audit()).get(0).detail();

    assertThat(plan.warnings()).anySatisfy(w -> assertThat(w).contains("write aws-auth"));
    assertThat(audited).contains("write aws-auth");
  }
}
