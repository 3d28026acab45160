package dev.eksaccess.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.eksaccess.api.AccessPolicy;
import dev.eksaccess.api.Caller;
import dev.eksaccess.api.Guard;
import dev.eksaccess.api.IamRole;
import dev.eksaccess.api.InvalidInputException;
import dev.eksaccess.api.Request;
import dev.eksaccess.api.Scope;
import dev.eksaccess.api.spi.IdentityChange;
import dev.eksaccess.api.spi.IdentityChanges;
import dev.eksaccess.api.spi.IdentityMapping;
import dev.eksaccess.api.spi.PolicyAssociation;
import java.util.List;
import org.junit.jupiter.api.Test;

class FakeClusterSeedTest {
  static final Caller JANE = Caller.of("arn:aws:sts::111122223333:assumed-role/DevTeamRole/jane");

  @Test
  void anAwsAuthManifestAndRbacManifestsSeedAWholeCluster() {
    FakeCluster prod =
        FakeCluster.awsAuth("prod")
            .seedAwsAuth(
                """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: aws-auth, namespace: kube-system}
                data:
                  mapRoles: |
                    - RoleARN: arn:aws:iam::111122223333:role/DevTeamRole
                      username: dev:{{SessionName}}
                      groups:
                        - acme:devs
                  mapAccounts: |
                    - "444455556666"
                """)
            .seedRbac(
                """
                apiVersion: v1
                kind: List
                items:
                - apiVersion: rbac.authorization.k8s.io/v1
                  kind: Role
                  metadata: {name: pod-reader, namespace: apps}
                  rules:
                  - {apiGroups: [""], resources: [pods], verbs: [get, list]}
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: RoleBinding
                metadata: {name: devs, namespace: apps, labels: {team: acme}}
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: pod-reader}
                subjects: [{kind: Group, name: "acme:devs"}]
                """);

    assertThat(prod.requests()).as("seeding is not a request").isEmpty();
    assertThat(prod.state().mappings())
        .singleElement()
        .satisfies(m -> assertThat(m.username()).contains("dev:{{SessionName}}"));
    assertThat(prod.state().accounts()).containsExactly("444455556666");
    assertThat(prod.state().bindings())
        .filteredOn(b -> b.name().equals("devs"))
        .singleElement()
        .satisfies(b -> assertThat(b.labels()).containsEntry("team", "acme"));
    assertThat(
            prod.clusterAccess()
                .explain(JANE, Request.verb("get").resource("pods").inNamespace("apps"))
                .allowed())
        .isTrue();
  }

  @Test
  void aRoleArnUnderMapUsersSeedsTheRolesMappingAndMapRolesWins() {
    FakeCluster prod =
        FakeCluster.awsAuth("prod")
            .seedAwsAuth(
                """
                mapRoles: |
                  - rolearn: arn:aws:iam::111122223333:role/OpsRole
                    username: ops-from-roles
                mapUsers: |
                  - userarn: arn:aws:iam::111122223333:role/DevTeamRole
                    username: dev
                    groups: [acme:devs]
                  - userarn: arn:aws:iam::111122223333:role/OpsRole
                    username: ops-from-users
                """)
            .seedRbac(
                """
                kind: RoleBinding
                apiVersion: rbac.authorization.k8s.io/v1
                metadata: {name: devs, namespace: apps}
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
                subjects: [{kind: Group, name: "acme:devs"}]
                """);

    assertThat(prod.state().mappings())
        .extracting(m -> m.principal().name() + " " + m.username().orElse(""))
        .containsExactlyInAnyOrder("OpsRole ops-from-roles", "DevTeamRole dev");
    assertThat(
            prod.clusterAccess()
                .explain(JANE, Request.verb("get").resource("pods").inNamespace("apps"))
                .allowed())
        .isTrue();
  }

  @Test
  void whatASeedCannotReadIsRefusedWithWhere() {
    FakeCluster prod = FakeCluster.awsAuth("prod");

    assertThat(
            catchThrowableOfType(
                    IllegalArgumentException.class,
                    () -> prod.seedAwsAuth("mapRoles: |\n  - groups: [a]\n"))
                .getMessage())
        .isEqualTo("mapRoles[0] has no rolearn.");
    assertThat(
            catchThrowableOfType(
                    IllegalArgumentException.class,
                    () -> prod.seedRbac("kind: RoleBinding\nmetadata: {name: b, namespace: n}\n"))
                .getMessage())
        .contains("RoleBinding n/b.roleRef must be a mapping");
    assertThat(
            catchThrowableOfType(IllegalArgumentException.class, () -> prod.seedRbac("a: [b"))
                .getMessage())
        .contains("is not YAML");
    assertThat(prod.state().mappings()).isEmpty();
  }

  @Test
  void accessEntriesAreSeededOnlyWhereEksWouldHaveThem() {
    IamRole admin = IamRole.of("arn:aws:iam::111122223333:role/Admin");
    FakeCluster prod =
        FakeCluster.accessEntries("prod")
            .seedAccessEntry(
                IdentityMapping.of(admin)
                    .withPolicy(
                        new PolicyAssociation(AccessPolicy.CLUSTER_ADMIN, Scope.cluster())));

    assertThat(prod.state().mappings()).hasSize(1);
    assertThat(
            catchThrowableOfType(
                    InvalidInputException.class,
                    () ->
                        prod.seedAccessEntry(
                            IdentityMapping.of(admin).withGroups(List.of("system:masters"))))
                .getMessage())
        .contains("starts with system:");
    assertThat(
            catchThrowableOfType(
                    IllegalStateException.class,
                    () -> FakeCluster.awsAuth("old").seedAccessEntry(IdentityMapping.of(admin)))
                .getMessage())
        .contains("keeps its identities in aws-auth");
  }

  @Test
  void aNodeEntryIsGuardedAndImmutableAsInEks() {
    IamRole nodes = IamRole.of("arn:aws:iam::111122223333:role/NodeInstanceRole");
    FakeCluster prod =
        FakeCluster.accessEntries("prod")
            .seedAccessEntry(
                IdentityMapping.of(IamRole.of("arn:aws:iam::111122223333:role/Admin"))
                    .withPolicy(new PolicyAssociation(AccessPolicy.CLUSTER_ADMIN, Scope.cluster())))
            .seedNodeEntry(nodes, "EC2_LINUX");

    assertThat(prod.state().mappings())
        .filteredOn(m -> m.principal().equals(nodes))
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.groups()).containsExactly("system:nodes");
              assertThat(m.username()).contains("system:node:{{EC2PrivateDNSName}}");
            });
    assertThat(prod.clusterAccess().planRevoke(nodes).violations())
        .extracting(v -> v.guard())
        .contains(Guard.NODE_ROLES);
    var changed =
        catchThrowableOfType(
            InvalidInputException.class,
            () ->
                prod.identities()
                    .write(
                        IdentityChanges.of(
                            List.of(
                                new IdentityChange.Put(
                                    IdentityMapping.of(nodes).withGroups(List.of("acme:x"))))),
                        prod.identities().read().version()));
    assertThat(changed.getMessage()).contains("type EC2_LINUX").contains("a type cannot change");
    assertThat(prod.state().mappings()).anyMatch(m -> m.groups().contains("system:nodes"));

    assertThat(
            catchThrowableOfType(
                    IllegalArgumentException.class, () -> prod.seedNodeEntry(nodes, "STANDARD"))
                .getMessage())
        .contains("one of [EC2_LINUX, EC2_WINDOWS, FARGATE_LINUX, EC2], not \"STANDARD\"");
    assertThat(
            catchThrowableOfType(
                    IllegalStateException.class,
                    () -> FakeCluster.awsAuth("a").seedNodeEntry(nodes, "EC2_LINUX"))
                .getMessage())
        .contains("keeps its identities in aws-auth");
  }
}
