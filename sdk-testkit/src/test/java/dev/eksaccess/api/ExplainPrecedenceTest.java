package dev.eksaccess.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eksaccess.api.spi.IdentityMapping;
import dev.eksaccess.testkit.FakeCluster;
import java.util.List;
import org.junit.jupiter.api.Test;

/** API_AND_CONFIG_MAP: EKS reads both, and a principal's access entry wins over aws-auth. */
class ExplainPrecedenceTest {
  static final IamRole DEV = IamRole.of("arn:aws:iam::111122223333:role/DevTeamRole");
  static final IamRole OPS = IamRole.of("arn:aws:iam::111122223333:role/OpsRole");
  static final Request GET_PODS = Request.verb("get").resource("pods").inNamespace("prod-apps");

  final FakeCluster entries = FakeCluster.accessEntries("prod");
  final FakeCluster awsAuth = FakeCluster.awsAuth("prod");

  {
    entries.seedRbac(
        """
        kind: RoleBinding
        apiVersion: rbac.authorization.k8s.io/v1
        metadata: {name: devs-view, namespace: prod-apps}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
        subjects: [{kind: Group, name: acme:devs}]
        """);
    awsAuth.seed(IdentityMapping.of(DEV).withUsername("dev").withGroups(List.of("acme:devs")));
    awsAuth.seed(IdentityMapping.of(OPS).withUsername("ops").withGroups(List.of("acme:devs")));
    entries.seedAccessEntry(IdentityMapping.of(OPS).withGroups(List.of("acme:ops")));
  }

  ClusterAccess both() {
    return ClusterAccess.builder()
        .clusterName("prod")
        .identities(entries.identities())
        .configMap(awsAuth.identities())
        .rbac(entries.rbac())
        .build();
  }

  @Test
  void withoutAnAccessEntryTheAwsAuthMappingCounts() {
    Decision d =
        both()
            .explain(
                Caller.of("arn:aws:sts::111122223333:assumed-role/DevTeamRole/jane"), GET_PODS);

    assertThat(d.allowed()).isTrue();
    assertThat(d.toString())
        .contains("access-entries has no entry for " + DEV)
        .contains("API_AND_CONFIG_MAP EKS then reads aws-auth")
        .contains("aws-auth maps " + DEV);
  }

  @Test
  void anAccessEntryWinsOverTheAwsAuthMappingOfTheSamePrincipal() {
    Decision d =
        both().explain(Caller.of("arn:aws:sts::111122223333:assumed-role/OpsRole/sam"), GET_PODS);

    assertThat(d.allowed()).as("aws-auth would allow it; the access entry does not").isFalse();
    assertThat(d.toString())
        .contains("access-entries maps " + OPS)
        .contains("aws-auth maps " + OPS + " too; the access entry takes precedence");
  }

  @Test
  void withoutTheConfigMapExplainReadsOnlyTheEntries() {
    ClusterAccess entriesOnly = entries.clusterAccess();

    assertThat(
            entriesOnly
                .explain(
                    Caller.of("arn:aws:sts::111122223333:assumed-role/DevTeamRole/jane"), GET_PODS)
                .allowed())
        .isFalse();
  }
}
