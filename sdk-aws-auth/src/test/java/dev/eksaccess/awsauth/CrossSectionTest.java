package dev.eksaccess.awsauth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eksaccess.api.Caller;
import dev.eksaccess.api.ClusterAccess;
import dev.eksaccess.api.ClusterRole;
import dev.eksaccess.api.Decision;
import dev.eksaccess.api.IamRole;
import dev.eksaccess.api.IamUser;
import dev.eksaccess.api.Request;
import dev.eksaccess.api.RetryPolicy;
import dev.eksaccess.api.spi.IdentityMapping;
import dev.eksaccess.api.spi.IdentitySnapshot;
import dev.eksaccess.testkit.ClusterState;
import dev.eksaccess.testkit.FakeKubeApi;
import dev.eksaccess.testkit.Fakes;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.ClientBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * aws-iam-authenticator matches the caller's canonical ARN against {@code mapRoles} and then {@code
 * mapUsers}, whatever kind of ARN each entry holds: a role ARN under {@code mapUsers} maps the
 * role. The reader, explain and revoke honour it; lint says it is misplaced.
 */
class CrossSectionTest {
  static final IamRole DEV = IamRole.of("arn:aws:iam::111122223333:role/DevTeamRole");
  static final IamUser JANE = IamUser.of("arn:aws:iam::111122223333:user/jane");
  static final Request GET_PODS = Request.verb("get").resource("pods").inNamespace("apps");
  static final RetryPolicy FAST = RetryPolicy.of(40, Duration.ofMillis(2), Duration.ofMillis(40));

  static final String MAP_USERS =
      """
      - userarn: arn:aws:iam::111122223333:role/DevTeamRole
        username: dev
        groups: [acme:devs]
      - userarn: arn:aws:iam::111122223333:user/jane
        username: jane
      """;

  FakeKubeApi api;
  ApiClient client;

  @BeforeEach
  void start() {
    api = FakeKubeApi.start();
    client = new ClientBuilder().setBasePath(api.baseUrl()).build();
    api.putConfigMap(
        "kube-system",
        "aws-auth",
        Map.of(
            "mapRoles",
            """
            - rolearn: arn:aws:iam::111122223333:role/NodeInstanceRole
              username: system:node:{{EC2PrivateDNSName}}
              groups: [system:bootstrappers, system:nodes]
            """,
            "mapUsers",
            MAP_USERS));
  }

  @AfterEach
  void stop() {
    api.close();
  }

  ClusterAccess cluster() {
    ClusterState rbac = ClusterState.withDefaultRoles("prod");
    return ClusterAccess.builder()
        .clusterName("prod")
        .identities(AwsAuth.builder(client).retryPolicy(FAST).build())
        .rbac(Fakes.rbac(rbac))
        .retryPolicy(FAST)
        .build();
  }

  @Test
  void aRoleArnUnderMapUsersIsReadAsTheRolesMapping() {
    IdentitySnapshot snapshot = AwsAuth.builder(client).build().read();

    assertThat(snapshot.mappings())
        .contains(IdentityMapping.of(DEV).withUsername("dev").withGroups(List.of("acme:devs")))
        .anyMatch(m -> m.principal().equals(JANE));
  }

  @Test
  void explainSaysWhatEksDoesForARoleMappedUnderMapUsers() {
    ClusterAccess access = cluster();
    access
        .plan(
            ClusterAccess.grant(DEV)
                .asGroup("acme:devs")
                .bind(ClusterRole.VIEW)
                .inNamespace("apps"))
        .apply();

    Decision d =
        access.explain(
            Caller.of("arn:aws:sts::111122223333:assumed-role/DevTeamRole/sam"), GET_PODS);

    assertThat(d.allowed()).isTrue();
  }

  @Test
  void revokingTheRoleRemovesItsEntryUnderMapUsersToo() {
    ClusterAccess access = cluster();

    access.planRevoke(DEV).apply();

    Map<String, String> data = api.configMapData("kube-system", "aws-auth").orElseThrow();
    assertThat(data.get("mapUsers")).doesNotContain("DevTeamRole").contains("user/jane");
    assertThat(AwsAuthDocument.parse(data).resolve(Caller.of(DEV.arn().value()))).isEmpty();
    assertThat(AwsAuth.builder(client).build().read().mappings())
        .noneMatch(m -> m.principal().equals(DEV));
  }

  @Test
  void aMapRolesEntryBeatsAMapUsersEntryForTheSameArn() {
    AwsAuthDocument doc =
        AwsAuthDocument.parse(
            Map.of(
                "mapRoles",
                "- rolearn: arn:aws:iam::111122223333:role/DevTeamRole\n  username: from-roles\n",
                "mapUsers",
                MAP_USERS));

    assertThat(doc.mappingsInForce())
        .filteredOn(e -> e.principal().orElseThrow().equals(DEV))
        .singleElement()
        .satisfies(e -> assertThat(e.username()).contains("from-roles"));
  }

  @Test
  void lintSaysTheArnIsMisplacedWithLineAndColumn() {
    AwsAuthDocument doc = AwsAuthDocument.parse(Map.of("mapUsers", MAP_USERS));

    assertThat(doc.findings())
        .filteredOn(f -> f.code() == Finding.Code.MISPLACED_ARN)
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.section()).isEqualTo(Section.MAP_USERS);
              assertThat(f.line()).isEqualTo(1);
              assertThat(f.column()).isEqualTo(12);
              assertThat(f.severity()).isEqualTo(Finding.Severity.WARNING);
              assertThat(f.message()).contains("Move it to mapRoles as rolearn");
            });
  }

  @Test
  void explainNamesASectionEksSkipsWhenItIsWhyTheCallerIsDenied() {
    api.putConfigMap(
        "kube-system",
        "aws-auth",
        Map.of(
            "mapRoles",
            "- rolearn: arn:aws:iam::111122223333:role/DevTeamRole\n\tusername: dev\n",
            "mapUsers",
            "- userarn: arn:aws:iam::111122223333:user/jane\n  username: jane\n"));

    Decision d =
        cluster()
            .explain(Caller.of("arn:aws:sts::111122223333:assumed-role/DevTeamRole/sam"), GET_PODS);

    assertThat(d.allowed()).isFalse();
    assertThat(d.toString())
        .contains(
            "the cluster skips part of aws-auth as unreadable, which may be why: mapRoles line 2");
  }
}
