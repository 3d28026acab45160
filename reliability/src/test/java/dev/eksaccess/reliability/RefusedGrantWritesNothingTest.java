package dev.eksaccess.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.eksaccess.api.ClusterAccess;
import dev.eksaccess.api.ClusterRole;
import dev.eksaccess.api.EksAccessException;
import dev.eksaccess.api.IamRole;
import dev.eksaccess.awsauth.AwsAuth;
import dev.eksaccess.awsauth.MalformedAwsAuthException;
import dev.eksaccess.rbac.Rbac;
import dev.eksaccess.testkit.FakeKubeApi;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.ClientBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A grant that aws-auth would refuse is refused when it is planned, before anything is written
 * anywhere: the RoleBinding a grant needs is written before the identity layer, so a refusal only
 * found at the aws-auth write would leave it behind. Over the real Kubernetes client and the wire
 * fake, with the aws-auth and RBAC backends.
 */
class RefusedGrantWritesNothingTest {
  static final IamRole DEV = IamRole.of("arn:aws:iam::111122223333:role/DevTeamRole");

  final FakeKubeApi api = FakeKubeApi.start().addNamespace("apps");

  @AfterEach
  void stop() {
    api.close();
  }

  /** mapRoles texts EKS cannot read, each a way users have broken aws-auth. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "- rolearn: arn:aws:iam::111122223333:role/Admin\n   username: admin\n",
        "- rolearn: arn:aws:iam::111122223333:role/Admin\n\tusername: admin\n",
        "rolearn: arn:aws:iam::111122223333:role/Admin\n",
        "just a scalar\n",
        "- {rolearn: arn:aws:iam::111122223333:role/Admin, username: admin\n",
        "- rolearn: arn:aws:iam::111122223333:role/Admin\n---\n- rolearn: x\n",
        "- rolearn: *unknown\n"
      })
  void aGrantOnAnUnreadableMapRolesIsRefusedAtPlanTimeAndWritesNothing(String mapRoles) {
    api.putConfigMap("kube-system", "aws-auth", Map.of("mapRoles", mapRoles));
    api.putObject(
        "clusterroles",
        "",
        "{\"metadata\":{\"name\":\"view\"},\"rules\":[{\"apiGroups\":[\"\"],"
            + "\"resources\":[\"pods\"],\"verbs\":[\"get\"]}]}");
    long writesBefore = writes();
    ApiClient client = new ClientBuilder().setBasePath(api.baseUrl()).build();
    ClusterAccess prod =
        ClusterAccess.builder()
            .clusterName("prod")
            .identities(AwsAuth.backend(client))
            .rbac(Rbac.backend(client))
            .build();

    Throwable e =
        catchThrowable(
            () ->
                prod.plan(
                        ClusterAccess.grant(DEV)
                            .asGroup("acme:devs")
                            .bind(ClusterRole.VIEW)
                            .inNamespace("apps"))
                    .apply());

    assertThat(e).isInstanceOf(EksAccessException.class);
    assertThat(e).isInstanceOf(MalformedAwsAuthException.class);
    assertThat(writes()).as("nothing written anywhere").isEqualTo(writesBefore);
    assertThat(api.configMapData("kube-system", "aws-auth").orElseThrow())
        .isEqualTo(Map.of("mapRoles", mapRoles));
  }

  long writes() {
    return List.of("POST", "PUT", "PATCH", "DELETE").stream().mapToLong(api::count).sum();
  }
}
