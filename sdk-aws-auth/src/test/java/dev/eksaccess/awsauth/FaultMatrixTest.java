package dev.eksaccess.awsauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.eksaccess.api.BackendException;
import dev.eksaccess.api.ClusterAccess;
import dev.eksaccess.api.ClusterRole;
import dev.eksaccess.api.IamRole;
import dev.eksaccess.api.RetryPolicy;
import dev.eksaccess.testkit.ClusterState;
import dev.eksaccess.testkit.FakeKubeApi;
import dev.eksaccess.testkit.Fakes;
import dev.eksaccess.testkit.FaultMatrix;
import dev.eksaccess.testkit.KubeFault;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.ClientBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every fault the fake API server can inject into a write of aws-auth, through the real Kubernetes
 * client and {@link ClusterAccess#plan}: the ConfigMap ends byte for byte as a run without the
 * fault leaves it, and a concurrent writer's entry lands beside ours.
 */
class FaultMatrixTest {
  static final String LEAVER = "arn:aws:iam::111122223333:role/Leaver";
  static final String THEIRS =
      """
      - rolearn: arn:aws:iam::111122223333:role/SomeoneElse
        username: them
        groups: [theirs]
      """;
  static final IamRole DEV = IamRole.of("arn:aws:iam::111122223333:role/DevTeamRole");
  static final IamRole OPS = IamRole.of("arn:aws:iam::111122223333:role/Ops");

  final List<FakeKubeApi> fakes = new ArrayList<>();

  @AfterEach
  void stop() {
    fakes.forEach(FakeKubeApi::close);
  }

  FakeKubeApi seeded() {
    FakeKubeApi api = FakeKubeApi.start();
    fakes.add(api);
    api.putConfigMap(
        "kube-system",
        "aws-auth",
        Map.of(
            "mapRoles",
            AwsAuthBackendTest.MAP_ROLES
                + "- rolearn: "
                + LEAVER
                + "\n  username: leaver\n  groups: [acme:old]\n",
            "mapUsers",
            "[]\n",
            "x-notes",
            "kept as is\n"));
    return api;
  }

  static Map<String, String> data(FakeKubeApi api) {
    return api.configMapData("kube-system", "aws-auth").orElseThrow();
  }

  /** Two grants in one write, then a revoke in another. */
  static void run(FakeKubeApi api) {
    ApiClient client = new ClientBuilder().setBasePath(api.baseUrl()).build();
    ClusterAccess prod =
        ClusterAccess.builder()
            .clusterName("prod")
            .identities(AwsAuth.backend(client))
            .rbac(Fakes.rbac(ClusterState.withDefaultRoles("prod")))
            .retryPolicy(RetryPolicy.of(8, Duration.ofMillis(1), Duration.ofMillis(5)))
            .build();
    prod.plan(
            ClusterAccess.grant(DEV)
                .asGroup("acme:devs")
                .bind(ClusterRole.VIEW)
                .inNamespace("apps"),
            ClusterAccess.grant(OPS).asGroup("acme:ops").bind(ClusterRole.EDIT).inNamespace("ops"))
        .apply();
    prod.planRevoke(IamRole.of(LEAVER)).apply();
  }

  /** Another writer appends its own mapping to aws-auth, as a second pipeline would. */
  static void otherWriter(FakeKubeApi api) {
    Map<String, String> d = new HashMap<>(data(api));
    d.put("mapRoles", Objects.requireNonNull(d.get("mapRoles")) + THEIRS);
    api.putConfigMap("kube-system", "aws-auth", d);
  }

  static Stream<FaultMatrix.Case<FakeKubeApi>> faults() {
    List<FaultMatrix.Case<FakeKubeApi>> out = new ArrayList<>();
    out.addAll(
        FaultMatrix.cases(
            List.of("PUT"),
            KubeFault.everyKind(),
            (api, m) -> api.beforeNext(m, () -> otherWriter(api))));
    // another writer before the first read is no race, so reads meet only the faults
    out.addAll(FaultMatrix.faultsOnly(List.of("GET"), KubeFault.everyReadKind()));
    return out.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("faults")
  void theConfigMapEndsAsWithoutTheFault(FaultMatrix.Case<FakeKubeApi> c) {
    var runs =
        FaultMatrix.run(
            c,
            this::seeded,
            FaultMatrixTest::run,
            api -> (Map<String, String>) new HashMap<>(data(api)),
            got -> {
              String roles = Objects.requireNonNull(got.get("mapRoles"));
              assertThat(roles).as("their entry landed too").contains(THEIRS);
              Map<String, String> ours = new HashMap<>(got);
              ours.put("mapRoles", roles.replace(THEIRS, ""));
              return ours;
            });
    assertThat(data(runs.clean()).get("mapRoles"))
        .contains("DevTeamRole")
        .contains("Ops")
        .doesNotContain(LEAVER);
    assertThat(runs.faulted().count(c.key())).isGreaterThanOrEqualTo(runs.clean().count(c.key()));
  }

  @ParameterizedTest(name = "expired credentials (401) on {0}")
  @MethodSource("methods")
  void expiredCredentialsStopWithAClearErrorAndChangeNothing(String method) {
    FakeKubeApi api = seeded();
    Map<String, String> before = data(api);
    api.inject(method, KubeFault.status(401));

    BackendException e = catchThrowableOfType(BackendException.class, () -> run(api));

    assertThat(e).as("a 401 is not retried").isNotNull();
    assertThat(e.retryable()).isFalse();
    assertThat(e.statusCode()).isEqualTo(401);
    assertThat(e.getMessage()).contains("HTTP 401").contains("an EKS token lives 15 minutes");
    assertThat(data(api)).isEqualTo(before);
  }

  static Stream<String> methods() {
    return Stream.of("GET", "PUT");
  }

  @Test
  void theEntriesEksAccessDoesNotModelAreKeptThroughEveryFault() {
    FakeKubeApi api = seeded();
    api.inject("PUT", KubeFault.droppedAfterCommit())
        .inject("PUT", KubeFault.conflict())
        .inject("PUT", KubeFault.afterCommit(500));

    run(api);

    assertThat(data(api).get("mapRoles"))
        .contains("# managed by the platform team; do not hand-edit")
        .contains("x-owner: platform          # a field eks-access does not model")
        .contains("- system:bootstrappers   # nodes join with this");
    assertThat(data(api)).containsEntry("x-notes", "kept as is\n");
  }
}
