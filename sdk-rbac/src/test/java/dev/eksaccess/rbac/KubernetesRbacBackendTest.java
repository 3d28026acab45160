package dev.eksaccess.rbac;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.eksaccess.api.BackendException;
import dev.eksaccess.api.ClusterAccess;
import dev.eksaccess.api.ClusterRole;
import dev.eksaccess.api.ClusterRoleDefinition;
import dev.eksaccess.api.ConflictException;
import dev.eksaccess.api.Grant;
import dev.eksaccess.api.IamRole;
import dev.eksaccess.api.InvalidInputException;
import dev.eksaccess.api.Plan;
import dev.eksaccess.api.RetryPolicy;
import dev.eksaccess.api.authz.KubernetesUser;
import dev.eksaccess.api.authz.RbacAuthorizer;
import dev.eksaccess.api.spi.RbacBinding;
import dev.eksaccess.api.spi.RbacChange;
import dev.eksaccess.api.spi.RbacChanges;
import dev.eksaccess.api.spi.RbacQuery;
import dev.eksaccess.api.spi.RbacRef;
import dev.eksaccess.api.spi.RbacSubject;
import dev.eksaccess.api.spi.Version;
import dev.eksaccess.testkit.ClusterState;
import dev.eksaccess.testkit.FakeKubeApi;
import dev.eksaccess.testkit.Fakes;
import dev.eksaccess.testkit.KubeFault;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.ClientBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The RBAC backend through the real Kubernetes client against a WireMock-served API server. */
class KubernetesRbacBackendTest {
  static final IamRole DEV = IamRole.of("arn:aws:iam::111122223333:role/DevTeamRole");
  static final Grant DEVS_VIEW =
      ClusterAccess.grant(DEV).asGroup("acme:devs").bind(ClusterRole.VIEW).inNamespace("prod-apps");
  static final String RB = "/apis/rbac.authorization.k8s.io/v1/namespaces/prod-apps/rolebindings/";

  FakeKubeApi api;
  ApiClient client;
  ClusterState identities;

  @BeforeEach
  void start() {
    api = FakeKubeApi.start().addNamespace("prod-apps");
    client = new ClientBuilder().setBasePath(api.baseUrl()).build();
    identities = ClusterState.empty("prod");
    api.putObject(
        "clusterroles",
        "",
        """
        {"metadata":{"name":"view"},
         "rules":[{"apiGroups":[""],"resources":["pods"],"verbs":["get","list","watch"]}]}""");
  }

  @AfterEach
  void stop() {
    api.close();
  }

  ClusterAccess cluster(KubernetesRbacBackend rbac) {
    return ClusterAccess.builder()
        .clusterName("prod")
        .identities(Fakes.awsAuth(identities))
        .rbac(rbac)
        .retryPolicy(RetryPolicy.of(5, Duration.ofMillis(1), Duration.ofMillis(5)))
        .build();
  }

  String bindingName(Plan plan) {
    return plan.changes().stream()
        .filter(c -> c.object().startsWith("RoleBinding prod-apps/"))
        .map(c -> c.object().substring("RoleBinding prod-apps/".length()))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void createsABindingAgainstItsAbsenceAndReapplyingChangesNothing() {
    ClusterAccess prod = cluster(Rbac.backend(client));
    Plan plan = prod.plan(DEVS_VIEW);
    String name = bindingName(plan);

    plan.apply();

    assertThat(api.requests())
        .as("a create that loses to another creator is a 409, never an overwrite")
        .contains("POST " + RB.substring(0, RB.length() - 1));
    String stored = api.object("rolebindings", "prod-apps", name).orElseThrow();
    assertThat(stored)
        .contains("\"app.kubernetes.io/managed-by\":\"eks-access\"")
        .contains(
            "\"roleRef\":{\"apiGroup\":\"rbac.authorization.k8s.io\",\"kind\":\"ClusterRole\",\"name\":\"view\"}")
        .contains(
            "{\"apiGroup\":\"rbac.authorization.k8s.io\",\"kind\":\"Group\",\"name\":\"acme:devs\"}")
        .doesNotContain("\"finalizers\"")
        .doesNotContain("\"ownerReferences\"");
    assertThat(stored).contains("\"eks-access.dev/granted-for\":\"" + DEV.arn().value() + "\"");
    long writes = api.count("PATCH") + api.count("POST") + api.count("PUT");
    assertThat(prod.plan(DEVS_VIEW).isEmpty()).isTrue();
    prod.plan(DEVS_VIEW).apply();
    assertThat(api.count("PATCH") + api.count("POST") + api.count("PUT")).isEqualTo(writes);
    assertThat(
            RbacAuthorizer.of(Rbac.read(client))
                .decide(
                    KubernetesUser.of("anyone", "acme:devs"),
                    dev.eksaccess.api.Request.verb("list")
                        .resource("pods")
                        .inNamespace("prod-apps"))
                .allowed())
        .isTrue();
  }

  @Test
  void aRefusedWriteCarriesTheServersMessageAndTheAuditId() {
    ClusterAccess prod =
        ClusterAccess.builder()
            .clusterName("prod")
            .identities(Fakes.awsAuth(identities))
            .rbac(Rbac.backend(client))
            .retryPolicy(RetryPolicy.none())
            .build();
    api.inject("POST", KubeFault.status(403));

    BackendException e = catchThrowableOfType(BackendException.class, prod.plan(DEVS_VIEW)::apply);

    assertThat(e.statusCode()).isEqualTo(403);
    assertThat(e.requestId()).isPresent();
    assertThat(e.retryable()).isFalse();
    assertThat(e.getMessage())
        .startsWith("write RoleBinding prod-apps/")
        .contains("failed with HTTP 403: injected fault.")
        .contains("would need bind/escalate");
  }

  @Test
  void aDefinedAggregatedClusterRoleIsAppliedWithoutRulesAndReplansEmpty() {
    ClusterAccess prod = cluster(Rbac.backend(client));
    Grant grant =
        ClusterAccess.grant(DEV)
            .asGroup("acme:monitoring")
            .bind(
                ClusterRoleDefinition.aggregating(
                    "acme-monitoring", Map.of("acme.example.com/aggregate-to-monitoring", "true")))
            .clusterWide();

    prod.plan(grant).apply();

    String stored = api.object("clusterroles", "", "acme-monitoring").orElseThrow();
    assertThat(stored)
        .contains(
            "\"aggregationRule\":{\"clusterRoleSelectors\":[{\"matchLabels\":"
                + "{\"acme.example.com/aggregate-to-monitoring\":\"true\"}}]}")
        .doesNotContain("\"rules\"")
        .contains("\"app.kubernetes.io/managed-by\":\"eks-access\"");
    assertThat(prod.plan(grant).isEmpty()).isTrue();
  }

  @Test
  void revokeDeletesOnlyTheBindingsEksAccessOwns() {
    ClusterAccess prod = cluster(Rbac.backend(client));
    String name = bindingName(prod.plan(DEVS_VIEW));
    prod.plan(DEVS_VIEW).apply();

    prod.planRevoke(DEV).apply();

    assertThat(api.requests()).contains("DELETE " + RB + name);
    assertThat(api.object("rolebindings", "prod-apps", name)).isEmpty();
    assertThat(api.object("clusterroles", "", "view")).isPresent();
  }

  @Test
  void aChangedRoleRefNeedsADeleteAndACreateInOneBatch() {
    KubernetesRbacBackend rbac = Rbac.backend(client);
    RbacBinding before =
        new RbacBinding(
            "prod-apps",
            "eks-access-devs",
            ClusterRole.VIEW,
            List.of(RbacSubject.group("acme:devs")),
            Map.of());
    rbac.write(RbacChanges.of(List.of(new RbacChange.PutBinding(before))));
    RbacBinding after =
        new RbacBinding(
            "prod-apps", "eks-access-devs", ClusterRole.EDIT, before.subjects(), Map.of());

    var refused =
        catchThrowableOfType(
            InvalidInputException.class,
            () -> rbac.write(RbacChanges.of(List.of(new RbacChange.PutBinding(after)))));
    assertThat(refused.getMessage()).contains("cannot change once the binding exists");
    assertThat(api.count("DELETE")).isZero();

    rbac.write(
        RbacChanges.of(
            List.of(
                new RbacChange.DeleteBinding("prod-apps", "eks-access-devs"),
                new RbacChange.PutBinding(after))));

    assertThat(api.requests())
        .containsSubsequence("DELETE " + RB + "eks-access-devs", "PATCH " + RB + "eks-access-devs");
    assertThat(api.object("rolebindings", "prod-apps", "eks-access-devs").orElseThrow())
        .contains("\"name\":\"edit\"");
  }

  @Test
  void anObjectItDoesNotOwnIsRefusedUnlessAdopted() {
    KubernetesRbacBackend rbac = Rbac.backend(client);
    api.putObject(
        "rolebindings",
        "prod-apps",
        """
        {"metadata":{"name":"team-devs","labels":{"owner":"platform"}},
         "roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"view"},
         "subjects":[{"kind":"Group","name":"acme:old"}]}""");
    RbacBinding want =
        new RbacBinding(
            "prod-apps",
            "team-devs",
            ClusterRole.VIEW,
            List.of(RbacSubject.group("acme:devs")),
            Map.of());
    RbacChanges put = RbacChanges.of(List.of(new RbacChange.PutBinding(want)));

    var e = catchThrowableOfType(InvalidInputException.class, () -> rbac.write(put));
    assertThat(e.getMessage())
        .contains("was not created by eks-access")
        .contains("Rbac.backend(client).adopting()");
    assertThat(api.count("PATCH")).isZero();

    KubernetesRbacBackend adopting = rbac.adopting();
    adopting.write(put);
    assertThat(api.object("rolebindings", "prod-apps", "team-devs").orElseThrow())
        .contains("\"app.kubernetes.io/managed-by\":\"eks-access\"")
        .contains("\"owner\":\"platform\"")
        .contains("acme:devs")
        .doesNotContain("acme:old");
  }

  @Test
  void aStaleObjectVersionIsRefusedAndAnUnrelatedWriteIsNoConflict() {
    KubernetesRbacBackend rbac = Rbac.backend(client);
    RbacBinding x =
        new RbacBinding(
            "prod-apps",
            "x",
            ClusterRole.VIEW,
            List.of(RbacSubject.group("g")),
            Map.of("app.kubernetes.io/managed-by", "eks-access"));
    rbac.write(RbacChanges.of(List.of(new RbacChange.PutBinding(x, Version.ABSENT))));
    RbacRef ref = RbacRef.of(x);
    Version old = rbac.read(RbacQuery.of(List.of(ref))).versionOf(ref);
    api.putObject(
        "clusterroles",
        "",
        """
        {"metadata":{"name":"auditor"},
         "rules":[{"apiGroups":[""],"resources":["events"],"verbs":["list"]}]}""");
    assertThat(rbac.read(RbacQuery.of(List.of(ref))).versionOf(ref))
        .as("another object's write leaves this one's version")
        .isEqualTo(old);
    rbac.write(
        RbacChanges.of(
            List.of(
                new RbacChange.PutBinding(
                    x.withAnnotations(Map.of("eks-access.dev/n", "1")), old))));

    var e =
        catchThrowableOfType(
            ConflictException.class,
            () ->
                rbac.write(
                    RbacChanges.of(List.of(new RbacChange.DeleteBinding("prod-apps", "x", old)))));
    assertThat(e.getMessage()).contains("changed by another writer since it was read");
    assertThat(api.object("rolebindings", "prod-apps", "x")).isPresent();

    ClusterAccess prod = cluster(rbac);
    Plan plan = prod.plan(DEVS_VIEW);
    api.putObject(
        "clusterroles",
        "",
        """
        {"metadata":{"name":"auditor-2"},
         "rules":[{"apiGroups":[""],"resources":["events"],"verbs":["list"]}]}""");
    plan.apply();
    assertThat(api.object("rolebindings", "prod-apps", bindingName(plan))).isPresent();
    assertThat(api.object("clusterroles", "", "auditor-2")).isPresent();
  }

  @Test
  void namespacesAreListedEveryPageAndAForbiddenListMeansCannotTell() {
    String[] many = new String[600];
    for (int i = 0; i < many.length; i++) {
      many[i] = "team-" + i;
    }
    api.addNamespace(many);
    KubernetesRbacBackend rbac = Rbac.backend(client);
    int before = api.requests().size();

    assertThat(rbac.namespaces())
        .hasValueSatisfying(
            ns ->
                assertThat(ns)
                    .hasSize(api.namespaces().size())
                    .contains("prod-apps", "team-599", "default", "kube-system"));
    assertThat(api.requests().subList(before, api.requests().size()))
        .hasSize(2) // 500 a page
        .allMatch(r -> r.startsWith("GET /api/v1/namespaces"));

    api.inject("GET", KubeFault.status(403));
    assertThat(rbac.namespaces()).isEmpty();

    api.inject("GET", KubeFault.status(500));
    BackendException e = catchThrowableOfType(BackendException.class, rbac::namespaces);
    assertThat(e.getMessage()).contains("list namespaces");
  }
}
