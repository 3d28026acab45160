package dev.eksaccess.rbac;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.eksaccess.api.BackendException;
import dev.eksaccess.api.ClusterAccess;
import dev.eksaccess.api.ClusterRole;
import dev.eksaccess.api.IamRole;
import dev.eksaccess.api.IncompleteApplyException;
import dev.eksaccess.api.RetryPolicy;
import dev.eksaccess.api.spi.RbacBinding;
import dev.eksaccess.testkit.ClusterState;
import dev.eksaccess.testkit.FakeKubeApi;
import dev.eksaccess.testkit.Fakes;
import dev.eksaccess.testkit.FaultMatrix;
import dev.eksaccess.testkit.KubeFault;
import io.kubernetes.client.util.ClientBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every fault the fake API server can inject into the RBAC backend's reads, server-side applies and
 * deletes, through the real Kubernetes client and {@link ClusterAccess#plan}: the cluster's RBAC
 * ends as a run without the fault leaves it, with nothing duplicated or lost.
 */
class FaultMatrixTest {
  static final IamRole DEV = IamRole.of("arn:aws:iam::111122223333:role/DevTeamRole");
  static final IamRole OPS = IamRole.of("arn:aws:iam::111122223333:role/Ops");
  static final String THEIRS =
      """
      {"metadata":{"name":"theirs","namespace":"apps"},
       "roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"view"},
       "subjects":[{"kind":"Group","apiGroup":"rbac.authorization.k8s.io","name":"them"}]}""";

  final List<FakeKubeApi> fakes = new ArrayList<>();

  @AfterEach
  void stop() {
    fakes.forEach(FakeKubeApi::close);
  }

  FakeKubeApi seeded() {
    FakeKubeApi api = FakeKubeApi.start().addNamespace("apps", "ops");
    fakes.add(api);
    for (String role : List.of("view", "edit")) {
      api.putObject(
          "clusterroles",
          "",
          "{\"metadata\":{\"name\":\""
              + role
              + "\"},\"rules\":[{\"apiGroups\":[\"\"],\"resources\":[\"pods\"],"
              + "\"verbs\":[\"get\",\"list\"]}]}");
    }
    return api;
  }

  static final IamRole JANE = IamRole.of("arn:aws:iam::111122223333:role/Jane");

  /**
   * Two bindings created (one shared by two principals), then one principal revoked whole and the
   * other revoked off the shared binding: reads, creates, a record patched, and a delete.
   */
  static void run(FakeKubeApi api) {
    ClusterAccess prod =
        ClusterAccess.builder()
            .clusterName("prod")
            .identities(Fakes.awsAuth(ClusterState.empty("prod")))
            .rbac(Rbac.backend(new ClientBuilder().setBasePath(api.baseUrl()).build()))
            .retryPolicy(RetryPolicy.of(8, Duration.ofMillis(1), Duration.ofMillis(5)))
            .build();
    prod.plan(
            ClusterAccess.grant(DEV)
                .asGroup("acme:devs")
                .bind(ClusterRole.VIEW)
                .inNamespace("apps"),
            ClusterAccess.grant(OPS).asGroup("acme:ops").bind(ClusterRole.EDIT).inNamespace("ops"),
            ClusterAccess.grant(JANE)
                .asGroup("acme:devs")
                .bind(ClusterRole.VIEW)
                .inNamespace("apps"))
        .apply();
    prod.planRevoke(OPS).apply();
    prod.planRevoke(JANE).apply();
  }

  static Set<RbacBinding> bindings(FakeKubeApi api) {
    return new HashSet<>(
        Rbac.read(new ClientBuilder().setBasePath(api.baseUrl()).build()).bindings());
  }

  static Stream<FaultMatrix.Case<FakeKubeApi>> faults() {
    List<FaultMatrix.Case<FakeKubeApi>> out = new ArrayList<>();
    out.addAll(
        FaultMatrix.cases(
            List.of("POST", "PATCH", "DELETE"),
            KubeFault.everyKind(),
            (api, m) -> api.beforeNext(m, () -> api.putObject("rolebindings", "apps", THEIRS))));
    // another writer before the first read is no race, so reads meet only the faults
    out.addAll(FaultMatrix.faultsOnly(List.of("GET"), KubeFault.everyReadKind()));
    return out.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("faults")
  void theBindingsEndAsWithoutTheFault(FaultMatrix.Case<FakeKubeApi> c) {
    var runs =
        FaultMatrix.run(
            c,
            this::seeded,
            FaultMatrixTest::run,
            FaultMatrixTest::bindings,
            got -> {
              assertThat(got).as("their binding is kept").anyMatch(b -> b.name().equals("theirs"));
              Set<RbacBinding> ours = new HashSet<>(got);
              ours.removeIf(b -> b.name().equals("theirs"));
              return ours;
            });
    assertThat(bindings(runs.clean())).hasSize(1);
    assertThat(runs.clean().count(c.key())).as("the run sends " + c.key()).isPositive();
  }

  @ParameterizedTest(name = "expired credentials (401) on {0}")
  @MethodSource("methods")
  void expiredCredentialsStopWithAClearError(String method) {
    FakeKubeApi api = seeded();
    api.inject(method, KubeFault.status(401));

    Throwable thrown = catchThrowable(() -> run(api));

    if (method.equals("GET") || method.equals("POST")) {
      BackendException e = (BackendException) thrown;
      assertThat(e).as("a 401 is not retried").isNotNull();
      assertThat(e.retryable()).isFalse();
      assertThat(e.statusCode()).isEqualTo(401);
      assertThat(e.getMessage()).contains("HTTP 401");
      assertThat(bindings(api)).isEmpty(); // the read or the first create failed: nothing written
      return;
    }
    // a revoke's clean-up fails after its mapping went: the exception says what is left
    IncompleteApplyException e = (IncompleteApplyException) thrown;
    assertThat(e.retryable()).isFalse();
    assertThat(e.getCause())
        .isInstanceOfSatisfying(
            BackendException.class, c -> assertThat(c.statusCode()).isEqualTo(401));
    assertThat(e.leftOnCluster()).isNotEmpty();
    assertThat(e.getMessage())
        .contains("HTTP 401")
        .contains("Plan and apply the same revoke again");
    // and doing just that finishes the job
    FakeKubeApi clean = seeded();
    run(clean);
    run(api);
    assertThat(bindings(api)).isEqualTo(bindings(clean));
  }

  static Stream<String> methods() {
    return Stream.of("GET", "POST", "PATCH", "DELETE");
  }
}
