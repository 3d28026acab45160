package dev.eksaccess.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eksaccess.api.spi.IdentityMapping;
import dev.eksaccess.api.spi.PolicyAssociation;
import dev.eksaccess.testkit.FakeCluster;
import java.util.List;
import org.junit.jupiter.api.Test;

class AuditTest {
  static final IamRole DEV = IamRole.of("arn:aws:iam::111122223333:role/DevTeamRole");
  static final IamRole OPS = IamRole.of("arn:aws:iam::111122223333:role/OpsRole");
  static final IamRole NODES = IamRole.of("arn:aws:iam::111122223333:role/NodeInstanceRole");
  static final IamRole LEFTOVER = IamRole.of("arn:aws:iam::111122223333:role/Leftover");
  static final Grant DEVS =
      ClusterAccess.grant(DEV).asGroup("acme:devs").bind(ClusterRole.VIEW).inNamespace("prod-apps");
  static final Grant OPS_EDIT =
      ClusterAccess.grant(OPS).asGroup("acme:ops").bind(ClusterRole.EDIT).inNamespace("prod-apps");

  FakeCluster cluster() {
    FakeCluster prod = FakeCluster.awsAuth("prod");
    prod.seed(
        IdentityMapping.of(NODES)
            .withUsername("system:node:{{EC2PrivateDNSName}}")
            .withGroups(List.of("system:bootstrappers", "system:nodes")));
    prod.clusterAccess().plan(DEVS).apply();
    prod.seed(IdentityMapping.of(LEFTOVER).withGroups(List.of("acme:old")));
    prod.seedAccount("444455556666");
    return prod;
  }

  @Test
  void everyPrincipalWithItsGroupsAndTheBindingsThatNameIt() {
    Audit audit = cluster().clusterAccess().audit();

    assertThat(audit.rows())
        .extracting(Audit.Row::principal)
        .containsExactly(
            NODES.arn().value(), DEV.arn().value(), LEFTOVER.arn().value(), "account 444455556666");
    Audit.Row dev = audit.rows().get(1);
    assertThat(dev.groups()).containsExactly("acme:devs");
    assertThat(dev.bindings())
        .singleElement()
        .asString()
        .startsWith("RoleBinding prod-apps/")
        .endsWith("→ ClusterRole view");
    assertThat(audit.rows().get(2).bindings()).isEmpty();
    assertThat(audit.drift()).isEmpty();
    assertThat(audit.toTable())
        .startsWith("Access audit of cluster prod (aws-auth): 4 principals\nPRINCIPAL")
        .contains("acme:devs")
        .doesNotContain("Drift");
  }

  @Test
  void driftNamesWhatIsMissingAndWhatNoGrantNames() throws Exception {
    Audit audit = cluster().clusterAccess().audit(List.of(DEVS, OPS_EDIT));

    assertThat(audit.drift())
        .extracting(Audit.Drift::kind, Audit.Drift::object)
        .contains(
            org.assertj.core.groups.Tuple.tuple(
                Audit.Drift.Kind.MISSING, "mapping " + OPS.arn().value()),
            org.assertj.core.groups.Tuple.tuple(
                Audit.Drift.Kind.EXTRA, "mapping " + LEFTOVER.arn().value()))
        .noneMatch(t -> t.toList().contains("mapping " + NODES.arn().value()))
        .noneMatch(t -> t.toList().contains("mapping " + DEV.arn().value()));
    assertThat(audit.toString()).contains("Drift from the desired grants: ");

    JsonNode json = new ObjectMapper().readTree(audit.toJson());
    assertThat(json.path("cluster").asText()).isEqualTo("prod");
    assertThat(json.path("principals")).hasSize(4);
    assertThat(json.path("principals").get(1).path("groups").get(0).asText())
        .isEqualTo("acme:devs");
    assertThat(json.path("drift").size()).isEqualTo(audit.drift().size());
  }

  @Test
  void accessEntriesShowTheirPoliciesAndDefaultUsername() {
    FakeCluster prod = FakeCluster.accessEntries("prod");
    prod.seedAccessEntry(
        IdentityMapping.of(DEV)
            .withPolicy(new PolicyAssociation(AccessPolicy.VIEW, Scope.namespaces("prod-apps"))));

    Audit.Row row = prod.clusterAccess().audit().rows().get(0);

    assertThat(row.accessPolicies()).singleElement().asString().contains("AmazonEKSViewPolicy");
    assertThat(row.username()).startsWith("(arn:aws:sts::111122223333:assumed-role/DevTeamRole/");
  }

  @Test
  void danglingAccessIsFoundWithACodeWithoutAnyDesiredGrants() throws Exception {
    FakeCluster prod = cluster(); // LEFTOVER maps acme:old, which nothing binds
    prod.seedRbac(
        """
        kind: RoleBinding
        apiVersion: rbac.authorization.k8s.io/v1
        metadata: {name: old-team-edit, namespace: prod-apps}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: editt}
        subjects: [{kind: Group, name: "acme:devs"}]
        ---
        kind: RoleBinding
        apiVersion: rbac.authorization.k8s.io/v1
        metadata: {name: contractors-view, namespace: prod-apps}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
        subjects:
        - {kind: Group, name: "acme:contractors"}
        - {kind: Group, name: "system:authenticated"}
        - {kind: User, name: "eks:addon-manager"}
        """);

    Audit audit = prod.clusterAccess().audit();

    assertThat(audit.findings())
        .extracting(f -> f.code() + " " + f.object())
        .containsExactlyInAnyOrder(
            "GROUP_BOUND_TO_NOTHING mapping " + LEFTOVER,
            "BINDING_TO_MISSING_ROLE RoleBinding prod-apps/old-team-edit",
            "BINDING_TO_UNMAPPED_SUBJECT RoleBinding prod-apps/contractors-view");
    assertThat(audit.findings())
        .filteredOn(f -> f.code() == Audit.Finding.Code.BINDING_TO_MISSING_ROLE)
        .singleElement()
        .satisfies(f -> assertThat(f.detail()).contains("ClusterRole editt"));
    assertThat(audit.toTable()).contains("Findings: 3");
    assertThat(new ObjectMapper().readTree(audit.toJson()).path("findings"))
        .extracting(n -> n.path("code").asText())
        .contains(
            "GROUP_BOUND_TO_NOTHING", "BINDING_TO_MISSING_ROLE", "BINDING_TO_UNMAPPED_SUBJECT");
  }

  @Test
  void aCleanClusterHasNoDanglingAccess() {
    FakeCluster prod = FakeCluster.accessEntries("prod");
    prod.clusterAccess().plan(DEVS, OPS_EDIT).apply();

    List<Audit.Finding> findings = prod.clusterAccess().audit().findings();

    // Kubernetes' edit role may impersonate ServiceAccounts in its namespace: that is access to
    // access, named as such; nothing else is found
    assertThat(findings)
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.code()).isEqualTo(Audit.Finding.Code.CAN_GRANT_ITSELF_MORE);
              assertThat(f.detail()).contains("impersonate").doesNotContain("write bindings");
            });
  }

  @Test
  void bindingsToSystemRolesAndToArnUsernamesAreNotDangling() {
    FakeCluster prod = FakeCluster.awsAuth("prod");
    prod.seed(IdentityMapping.of(DEV).withGroups(List.of("acme:devs")));
    prod.seedRbac(
        """
        kind: ClusterRoleBinding
        apiVersion: rbac.authorization.k8s.io/v1
        metadata: {name: devs-view}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
        subjects:
        - {kind: Group, name: "acme:devs"}
        - {kind: User, name: "arn:aws:iam::111122223333:role/DevTeamRole"}
        ---
        kind: ClusterRoleBinding
        apiVersion: rbac.authorization.k8s.io/v1
        metadata: {name: nodes}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: "system:node"}
        subjects: [{kind: Group, name: "system:nodes"}]
        """);

    assertThat(prod.clusterAccess().audit().findings()).isEmpty();
  }
}
