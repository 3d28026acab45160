package dev.eksaccess.rbac;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.eksaccess.api.BackendException;
import dev.eksaccess.api.Request;
import dev.eksaccess.api.authz.KubernetesUser;
import dev.eksaccess.api.authz.RbacAuthorizer;
import dev.eksaccess.api.spi.RbacSnapshot;
import dev.eksaccess.testkit.FakeKubeApi;
import dev.eksaccess.testkit.KubeFault;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.ClientBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Rbac.read through the real Kubernetes client against a WireMock-served API server. */
class RbacReadTest {
  FakeKubeApi api;
  ApiClient client;

  @BeforeEach
  void start() {
    api = FakeKubeApi.start();
    client = new ClientBuilder().setBasePath(api.baseUrl()).build();
  }

  @AfterEach
  void stop() {
    api.close();
  }

  @Test
  void readsEveryPageOfEveryKind() {
    for (int i = 0; i < 520; i++) {
      api.putObject(
          "clusterroles",
          "",
          """
          {"metadata":{"name":"reader-%d"},
           "rules":[{"apiGroups":[""],"resources":["pods"],"verbs":["get"]}]}"""
              .formatted(i));
    }
    api.putObject(
        "clusterrolebindings",
        "",
        """
        {"metadata":{"name":"oncall"},
         "roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"reader-519"},
         "subjects":[{"kind":"Group","name":"acme:oncall"}]}""");
    api.putObject(
        "roles",
        "payments",
        """
        {"metadata":{"name":"deployer"},
         "rules":[{"apiGroups":["apps"],"resources":["deployments"],"verbs":["*"]}]}""");
    api.putObject(
        "rolebindings",
        "payments",
        """
        {"metadata":{"name":"ci"},
         "roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"Role","name":"deployer"},
         "subjects":[{"kind":"ServiceAccount","name":"deployer","namespace":"ci"}]}""");

    RbacSnapshot s = Rbac.read(client);

    assertThat(s.roles()).hasSize(521);
    assertThat(s.bindings()).hasSize(2);
    assertThat(api.requests())
        .filteredOn(r -> r.equals("GET /apis/rbac.authorization.k8s.io/v1/clusterroles"))
        .hasSize(2);
    RbacAuthorizer rbac = RbacAuthorizer.of(s);
    assertThat(
            rbac.decide(
                    KubernetesUser.of("ann", "acme:oncall"),
                    Request.verb("get").resource("pods").inNamespace("x"))
                .allowed())
        .isTrue();
    assertThat(
            rbac.decide(
                    KubernetesUser.serviceAccount("ci", "deployer"),
                    Request.verb("create")
                        .resource("deployments")
                        .inApiGroup("apps")
                        .inNamespace("payments"))
                .allowed())
        .isTrue();
  }

  @Test
  void aRefusedListSaysWhatPermissionIsMissing() {
    api.inject("GET", KubeFault.status(403));

    var e = catchThrowableOfType(BackendException.class, () -> Rbac.read(client));

    assertThat(e.statusCode()).isEqualTo(403);
    assertThat(e.retryable()).isFalse();
    assertThat(e.getMessage()).contains("may not list roles, clusterroles");
  }

  @org.junit.jupiter.api.Test
  void theAwsAuthConfigMapIsNotTakenForRbacThatAllowsNothing() {
    var e =
        org.assertj.core.api.Assertions.catchThrowableOfType(
            dev.eksaccess.api.InvalidInputException.class,
            () ->
                Rbac.fromYaml(
                    """
                    apiVersion: v1
                    kind: ConfigMap
                    metadata: {name: aws-auth, namespace: kube-system}
                    data:
                      mapRoles: |
                        - rolearn: arn:aws:iam::111122223333:role/Dev
                    """));

    org.assertj.core.api.Assertions.assertThat(e.code())
        .isEqualTo(dev.eksaccess.api.ErrorCode.MALFORMED_MANIFEST);
    org.assertj.core.api.Assertions.assertThat(e.getMessage())
        .contains("ConfigMap kube-system/aws-auth")
        .contains("AwsAuth.offline");
    org.assertj.core.api.Assertions.assertThat(Rbac.fromYaml("").roles())
        .as("an empty text is an empty snapshot")
        .isEmpty();
  }

  @org.junit.jupiter.api.Test
  void anAuditOverManifestsWithoutTheDefaultRolesFindsNoDanglingBindingToThem() {
    dev.eksaccess.testkit.FakeCluster prod = dev.eksaccess.testkit.FakeCluster.awsAuth("prod");
    prod.seed(
        dev.eksaccess.api.spi.IdentityMapping.of(
                dev.eksaccess.api.IamRole.of("arn:aws:iam::111122223333:role/Dev"))
            .withGroups(java.util.List.of("acme:devs")));
    dev.eksaccess.api.ClusterAccess access =
        dev.eksaccess.api.ClusterAccess.builder()
            .clusterName("prod")
            .identities(prod.identities())
            .rbac(
                Rbac.offline(
                    Rbac.fromYaml(
                        """
                        kind: RoleBinding
                        apiVersion: rbac.authorization.k8s.io/v1
                        metadata: {name: devs-view, namespace: apps}
                        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
                        subjects: [{kind: Group, name: "acme:devs"}]
                        ---
                        kind: RoleBinding
                        apiVersion: rbac.authorization.k8s.io/v1
                        metadata: {name: devs-typo, namespace: apps}
                        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: veiw}
                        subjects: [{kind: Group, name: "acme:devs"}]
                        """)))
            .build();

    org.assertj.core.api.Assertions.assertThat(access.audit().findings())
        .extracting(f -> f.code() + " " + f.object())
        .containsExactly("BINDING_TO_MISSING_ROLE RoleBinding apps/devs-typo");
  }
}
