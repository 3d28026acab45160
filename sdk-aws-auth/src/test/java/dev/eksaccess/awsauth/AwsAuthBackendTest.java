package dev.eksaccess.awsauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.eksaccess.api.BackendException;
import dev.eksaccess.api.ClusterAccess;
import dev.eksaccess.api.ClusterRole;
import dev.eksaccess.api.ConflictException;
import dev.eksaccess.api.ErrorCode;
import dev.eksaccess.api.Grant;
import dev.eksaccess.api.IamRole;
import dev.eksaccess.api.IamUser;
import dev.eksaccess.api.InvalidInputException;
import dev.eksaccess.api.RetryPolicy;
import dev.eksaccess.api.spi.IdentityChange;
import dev.eksaccess.api.spi.IdentityChanges;
import dev.eksaccess.api.spi.IdentityMapping;
import dev.eksaccess.api.spi.IdentitySnapshot;
import dev.eksaccess.api.spi.Version;
import dev.eksaccess.api.spi.WriteResult;
import dev.eksaccess.testkit.ClusterState;
import dev.eksaccess.testkit.FakeKubeApi;
import dev.eksaccess.testkit.Fakes;
import dev.eksaccess.testkit.KubeFault;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.ClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real Kubernetes client against a stateful, WireMock-served API server. */
class AwsAuthBackendTest {
  static final String GET = "GET /api/v1/namespaces/kube-system/configmaps/aws-auth";
  static final String PUT = "PUT /api/v1/namespaces/kube-system/configmaps/aws-auth";
  static final String POST = "POST /api/v1/namespaces/kube-system/configmaps";
  static final String MAP_ROLES =
      """
      # managed by the platform team; do not hand-edit
      - rolearn: arn:aws:iam::111122223333:role/NodeInstanceRole
        username: system:node:{{EC2PrivateDNSName}}
        groups:
          - system:bootstrappers   # nodes join with this
          - system:nodes
      - rolearn: arn:aws:iam::111122223333:role/Admin
        username: admin
        x-owner: platform          # a field eks-access does not model
        groups: [system:masters]
      """;

  /** Two entries for one role: EKS uses the first, the SDK deletes the first or both. */
  private static final String DEV_TWICE =
      """
      - rolearn: arn:aws:iam::111122223333:role/Dev
        username: first
      - rolearn: arn:aws:iam::111122223333:role/Dev
        username: second
      """;

  static final IamRole NODES = IamRole.of("arn:aws:iam::111122223333:role/NodeInstanceRole");
  static final IamRole ADMIN = IamRole.of("arn:aws:iam::111122223333:role/Admin");
  static final IamRole DEV = IamRole.of("arn:aws:iam::111122223333:role/DevTeamRole");
  static final RetryPolicy FAST = RetryPolicy.of(40, Duration.ofMillis(2), Duration.ofMillis(40));

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

  void seed() {
    api.putConfigMap(
        "kube-system",
        "aws-auth",
        Map.of("mapRoles", MAP_ROLES, "mapUsers", "[]\n", "x-notes", "kept as is\n"));
  }

  AwsAuthBackend backend() {
    return AwsAuth.builder(client).retryPolicy(FAST).build();
  }

  ClusterAccess cluster(AwsAuthBackend ids) {
    return ClusterAccess.builder()
        .clusterName("prod")
        .identities(ids)
        .rbac(Fakes.rbac(ClusterState.withDefaultRoles("prod")))
        .retryPolicy(FAST)
        .build();
  }

  static Grant view(IamRole role, String group) {
    return ClusterAccess.grant(role).asGroup(group).bind(ClusterRole.VIEW).inNamespace("apps");
  }

  static IdentityChanges changes(IdentityChange... c) {
    return IdentityChanges.of(List.of(c));
  }

  static IdentityChange put(IamRole role, String username, String... groups) {
    return new IdentityChange.Put(
        IdentityMapping.of(role).withUsername(username).withGroups(List.of(groups)));
  }

  String mapRoles() {
    return Objects.requireNonNull(data().get("mapRoles"));
  }

  Map<String, String> data() {
    return api.configMapData("kube-system", "aws-auth").orElseThrow();
  }

  @Test
  void readsWhatEksUsesAndWritesABatchWithOneGetAndOnePut() {
    seed();
    AwsAuthBackend ids = backend();

    IdentitySnapshot snap = ids.read();
    List<IdentityChange> batch = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      batch.add(put(IamRole.of("arn:aws:iam::111122223333:role/team-" + i), "team-" + i, "t" + i));
    }
    WriteResult w = ids.write(IdentityChanges.of(batch), snap.version());

    assertThat(snap.mappings())
        .extracting(IdentityMapping::principal)
        .containsExactly(NODES, ADMIN);
    assertThat(w.writes()).isEqualTo(1);
    assertThat(api.requests()).containsExactly(GET, PUT);
    assertThat(ids.read().mappings()).hasSize(502);
    assertThat(w.version()).isNotEqualTo(snap.version());
  }

  @Test
  void aWriteKeepsUntouchedEntriesTheirTextOtherKeysAndMetadata() {
    seed();
    AwsAuthBackend ids = backend();

    cluster(ids).plan(view(DEV, "acme:devs")).apply();

    assertThat(mapRoles())
        .startsWith(MAP_ROLES)
        .contains("rolearn: arn:aws:iam::111122223333:role/DevTeamRole")
        .contains("acme:devs");
    assertThat(data()).containsEntry("x-notes", "kept as is\n").containsEntry("mapUsers", "[]\n");
    // no new finding: the same warnings (x-owner, system:masters) as before the write
    assertThat(AwsAuthDocument.parse(data()).findings())
        .extracting(Finding::code)
        .containsExactly(Finding.Code.UNKNOWN_KEY, Finding.Code.SYSTEM_MASTERS);
  }

  @Test
  void aMissingConfigMapIsCreated() {
    AwsAuthBackend ids = backend();

    assertThat(ids.read().version()).isEqualTo(Version.of(""));
    cluster(ids).plan(view(DEV, "acme:devs")).apply();

    assertThat(api.requests()).containsSubsequence(GET, POST);
    AwsAuthDocument doc = AwsAuthDocument.parse(data());
    assertThat(doc.roleMappings())
        .singleElement()
        .satisfies(e -> assertThat(e.groups()).containsExactly("acme:devs"));
  }

  @Test
  void aConfigMapCreatedByAnotherWriterBetweenPlanAndApplyIsEditedNotReplaced() {
    AwsAuthBackend ids = backend();
    var plan = cluster(ids).plan(view(DEV, "acme:devs"));
    seed(); // someone else creates aws-auth between plan and apply

    plan.apply();

    assertThat(api.requests()).doesNotContain(POST).endsWith(PUT);
    assertThat(mapRoles()).startsWith(MAP_ROLES).contains("role/DevTeamRole");
  }

  @Test
  void aCreateThatLosesTheRaceIsAConflictAndUpdateThenEditsTheWinnersConfigMap() {
    AwsAuthBackend ids = backend();
    Version absent = ids.read().version();
    seed(); // created by someone else after the read

    var e =
        catchThrowableOfType(
            ConflictException.class, () -> ids.write(changes(put(DEV, "dev", "devs")), absent));

    assertThat(e.getMessage()).contains("was created by someone else").contains("nothing");
    assertThat(api.requests()).endsWith(POST);
    assertThat(mapRoles()).isEqualTo(MAP_ROLES);

    ids.update(changes(put(DEV, "dev", "devs")));
    assertThat(mapRoles()).startsWith(MAP_ROLES).contains("role/DevTeamRole");
  }

  @Test
  void aStaleVersionIsRefusedAndNothingIsWritten() {
    seed();
    AwsAuthBackend ids = backend();
    Version old = ids.read().version();
    api.putConfigMap("kube-system", "aws-auth", Map.of("mapRoles", MAP_ROLES));

    var e =
        catchThrowableOfType(
            ConflictException.class, () -> ids.write(changes(put(DEV, "dev", "devs")), old));

    assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT);
    assertThat(e.getMessage()).contains("409 Conflict").contains("nothing was written");
    assertThat(mapRoles()).isEqualTo(MAP_ROLES);
    // without the cached read, the version check happens before any PUT
    var again =
        catchThrowableOfType(
            ConflictException.class, () -> backend().write(changes(put(DEV, "dev", "devs")), old));
    assertThat(again.getMessage()).contains("not " + old.value());
    assertThat(api.count("PUT")).isEqualTo(1);
  }

  @Test
  void aConflictOnTheFirstTryIsRetriedByReplanningAndLands() {
    seed();
    api.inject("PUT", KubeFault.conflict());
    AwsAuthBackend ids = backend();

    cluster(ids).plan(view(DEV, "acme:devs")).apply();

    // plan; check before the RBAC write; the lost PUT; the re-plan; the PUT that lands
    assertThat(api.requests()).containsExactly(GET, GET, PUT, GET, PUT);
    assertThat(AwsAuthDocument.parse(data()).roleMappings()).hasSize(3);
  }

  @Test
  void aConflictOnEveryFirstTryOfEveryWriterStillLandsEverything() {
    seed();
    AwsAuthBackend ids = backend();
    for (int i = 0; i < 5; i++) {
      api.inject("PUT", KubeFault.conflict());
      ids.update(changes(put(IamRole.of("arn:aws:iam::111122223333:role/r" + i), "r" + i)));
    }

    assertThat(api.count("PUT")).isEqualTo(10);
    assertThat(ids.read().mappings()).hasSize(7);
  }

  @Test
  void aServerErrorAfterTheWriteLandedIsNotRepeatedNorDuplicated() {
    seed();
    api.inject("PUT", KubeFault.afterCommit(500));
    AwsAuthBackend ids = backend();

    var result = cluster(ids).plan(view(DEV, "acme:devs")).apply();

    assertThat(api.count("PUT")).isEqualTo(1);
    assertThat(result.writes()).isEqualTo(1); // the RBAC binding; the aws-auth write was unknown
    assertThat(AwsAuthDocument.parse(data()).roleMappings())
        .filteredOn(e -> e.arn().endsWith("DevTeamRole"))
        .hasSize(1);
  }

  @Test
  void aDroppedConnectionAfterCommitIsRetriedWithoutDuplicatingThroughUpdate() {
    seed();
    api.inject("PUT", KubeFault.droppedAfterCommit());
    AwsAuthBackend ids = backend();

    ids.update(changes(put(DEV, "dev", "devs")));

    assertThat(AwsAuthDocument.parse(data()).roleMappings())
        .filteredOn(e -> e.arn().endsWith("DevTeamRole"))
        .hasSize(1);
    assertThat(mapRoles()).startsWith(MAP_ROLES);
  }

  @Test
  void sixteenConcurrentWritersAllLandAndNothingIsLost() throws Exception {
    seed();
    int writers = 16;
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    try {
      for (int i = 0; i < writers; i++) {
        IamRole role = IamRole.of("arn:aws:iam::111122223333:role/writer-" + i);
        String group = "team-" + i;
        // each writer has its own client and backend, as separate pipelines do
        done.add(
            pool.submit(
                () -> {
                  go.await();
                  return cluster(
                          AwsAuth.builder(new ClientBuilder().setBasePath(api.baseUrl()).build())
                              .retryPolicy(FAST)
                              .build())
                      .plan(view(role, group))
                      .apply();
                }));
      }
      go.countDown();
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    AwsAuthDocument doc = AwsAuthDocument.parse(data());
    assertThat(doc.roleMappings()).hasSize(2 + writers);
    for (int i = 0; i < writers; i++) {
      String arn = "arn:aws:iam::111122223333:role/writer-" + i;
      assertThat(doc.roleMappings())
          .filteredOn(e -> e.arn().equals(arn))
          .singleElement()
          .satisfies(e -> assertThat(e.groups()).hasSize(1));
    }
    assertThat(mapRoles()).startsWith(MAP_ROLES);
    assertThat(data()).containsEntry("x-notes", "kept as is\n");
    assertThat(api.count("PUT")).isGreaterThanOrEqualTo(writers);
  }

  @Test
  void aMalformedSectionIsNeverOverwrittenAndARepairNeedsTheExactDroppedList() {
    String broken =
        """
        - rolearn: arn:aws:iam::111122223333:role/Legacy
          groups:
        \t- acme:legacy
        """;
    api.putConfigMap("kube-system", "aws-auth", Map.of("mapRoles", broken, "mapUsers", "[]\n"));
    AwsAuthBackend ids = backend();

    var e =
        catchThrowableOfType(
            MalformedAwsAuthException.class, () -> ids.update(changes(put(DEV, "dev", "devs"))));
    assertThat(e.getMessage()).contains("never overwrites").contains("repair()");
    assertThat(e.line()).isEqualTo(3);
    assertThat(api.count("PUT")).isZero();

    AwsAuthRepair repair = ids.repair();
    assertThat(repair.isNeeded()).isTrue();
    assertThat(repair.dropped()).containsExactly("arn:aws:iam::111122223333:role/Legacy");
    assertThat(repair.toString()).contains("replace mapRoles with []").contains("role/Legacy");
    var wrong =
        catchThrowableOfType(InvalidInputException.class, () -> repair.confirmDropping(List.of()));
    assertThat(wrong.getMessage()).contains("is not the list this repair drops");
    assertThat(api.count("PUT")).isZero();

    repair.confirmDropping(List.of("arn:aws:iam::111122223333:role/Legacy"));
    assertThat(data()).containsEntry("mapRoles", "[]\n").containsEntry("mapUsers", "[]\n");
    ids.update(changes(put(DEV, "dev", "devs")));
    assertThat(ids.read().mappings()).extracting(IdentityMapping::principal).containsExactly(DEV);
  }

  @Test
  void aRepairShownBeforeSomeoneElseWroteIsRefused() {
    api.putConfigMap("kube-system", "aws-auth", Map.of("mapRoles", "- rolearn: [\n"));
    AwsAuthBackend ids = backend();
    AwsAuthRepair repair = ids.repair();
    api.putConfigMap("kube-system", "aws-auth", Map.of("mapRoles", "- rolearn: [ \n"));

    var e =
        catchThrowableOfType(
            ConflictException.class, () -> repair.confirmDropping(repair.dropped()));

    assertThat(e.getMessage()).contains("changed since the repair was shown");
    assertThat(data()).containsEntry("mapRoles", "- rolearn: [ \n");
  }

  @Test
  void serverDryRunSendsDryRunAndStoresNothing() {
    seed();
    AwsAuthBackend dry = backend().dryRun();

    var result = cluster(dry).plan(view(DEV, "acme:devs")).apply();

    assertThat(dry.isDryRun()).isTrue();
    assertThat(result.writes()).isEqualTo(2);
    assertThat(api.requests()).contains(PUT + " (dryRun=All)").doesNotContain(PUT);
    assertThat(mapRoles()).isEqualTo(MAP_ROLES);
  }

  @Test
  void eksctlStyleListCreateAndDelete() {
    seed();
    AwsAuthBackend ids = backend();
    IdentityMapping ops =
        IdentityMapping.of(IamRole.of("arn:aws:iam::111122223333:role/Ops"))
            .withUsername("ops")
            .withGroups(List.of("acme:ops"));

    assertThat(ids.createIdentityMapping(ops).writes()).isEqualTo(1);
    assertThat(ids.createIdentityMapping(ops).writes()).isZero();
    var different =
        catchThrowableOfType(
            InvalidInputException.class,
            () -> ids.createIdentityMapping(ops.withGroups(List.of("acme:admins"))));
    assertThat(different.getMessage())
        .contains("is already mapped")
        .contains("groups [acme:ops]")
        .contains("nothing was written");
    ids.update(changes(new IdentityChange.AddAccount("444455556666")));

    IdentityMappingTable table = ids.identityMappings();
    assertThat(table.rows())
        .extracting(IdentityMappingTable.Row::arn, IdentityMappingTable.Row::account)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(NODES.arn().value(), ""),
            org.assertj.core.groups.Tuple.tuple(ADMIN.arn().value(), ""),
            org.assertj.core.groups.Tuple.tuple("arn:aws:iam::111122223333:role/Ops", ""),
            org.assertj.core.groups.Tuple.tuple("", "444455556666"));
    assertThat(table.toString().lines().findFirst().orElseThrow())
        .matches("ARN +USERNAME +GROUPS +ACCOUNT");
    assertThat(table.toString())
        .contains("arn:aws:iam::111122223333:role/Ops")
        .containsPattern("ops +acme:ops");
    assertThat(table.toJson())
        .contains(
            "{\"arn\":\"arn:aws:iam::111122223333:role/Ops\",\"username\":\"ops\","
                + "\"groups\":[\"acme:ops\"]}")
        .contains("{\"account\":\"444455556666\"}");

    assertThat(ids.deleteIdentityMapping(ops.principal(), false).writes()).isEqualTo(1);
    assertThat(ids.deleteIdentityMapping(ops.principal(), false).writes()).isZero();
    assertThat(mapRoles()).startsWith(MAP_ROLES);
  }

  @Test
  void deleteRemovesTheFirstOrEveryDuplicate() {
    String dupes =
        """
        - rolearn: arn:aws:iam::111122223333:role/Dev
          username: first
        - rolearn: arn:aws:iam::111122223333:role/Other
          username: other
        - rolearn: arn:aws:iam::111122223333:role/DEV
          username: second
        - rolearn: arn:aws:iam::111122223333:role/Dev
          username: third
        """;
    api.putConfigMap("kube-system", "aws-auth", Map.of("mapRoles", dupes));
    AwsAuthBackend ids = backend();
    IamRole dev = IamRole.of("arn:aws:iam::111122223333:role/Dev");

    ids.deleteIdentityMapping(dev, false);
    assertThat(AwsAuthDocument.parse(data()).roleMappings())
        .extracting(e -> e.username().orElse(""))
        .containsExactly("other", "second", "third");

    ids.deleteIdentityMapping(dev, true);
    assertThat(AwsAuthDocument.parse(data()).roleMappings())
        .extracting(e -> e.username().orElse(""))
        .containsExactly("other");
  }

  @Test
  void deletingTheFirstDuplicateAfterADroppedCommitNeverDeletesTheSecond() {
    api.putConfigMap("kube-system", "aws-auth", Map.of("mapRoles", DEV_TWICE));
    api.inject("PUT", KubeFault.droppedAfterCommit());
    AwsAuthBackend ids = backend();

    assertThat(
            ids.deleteIdentityMapping(IamRole.of("arn:aws:iam::111122223333:role/Dev"), false)
                .writes())
        .isEqualTo(1);

    assertThat(AwsAuthDocument.parse(data()).roleMappings())
        .extracting(e -> e.username().orElse(""))
        .containsExactly("second");
  }

  @Test
  void aDeleteOfTheFirstDuplicateStopsWhenSomeoneElseChangesThoseEntriesMeanwhile() {
    api.putConfigMap("kube-system", "aws-auth", Map.of("mapRoles", DEV_TWICE));
    AwsAuthBackend ids = backend();
    // the first PUT fails; before the retry reads, another writer removes "first", adds "third"
    api.inject("PUT", KubeFault.status(503));
    api.beforeNext("GET", () -> {}); // the first read sees "first" and "second"
    api.beforeNext(
        "GET",
        () ->
            api.putConfigMap(
                "kube-system",
                "aws-auth",
                Map.of(
                    "mapRoles",
                    """
                    - rolearn: arn:aws:iam::111122223333:role/Dev
                      username: second
                    - rolearn: arn:aws:iam::111122223333:role/Dev
                      username: third
                    """)));

    var e =
        catchThrowableOfType(
            ConflictException.class,
            () ->
                ids.deleteIdentityMapping(IamRole.of("arn:aws:iam::111122223333:role/Dev"), false));

    assertThat(e.getMessage()).contains("changed the entries for").contains("nothing more");
    assertThat(AwsAuthDocument.parse(data()).roleMappings())
        .extracting(en -> en.username().orElse(""))
        .containsExactly("second", "third");
  }

  @Test
  void aConfigMapDeletedBetweenReadAndWriteIsALostRaceAndTheRetryCreatesIt() {
    seed();
    AwsAuthBackend ids = backend();
    Version read = ids.read().version();
    api.beforeNext("PUT", () -> api.deleteObject("configmaps", "kube-system", "aws-auth"));

    var lost =
        catchThrowableOfType(
            ConflictException.class, () -> ids.write(changes(put(DEV, "dev", "devs")), read));
    assertThat(lost.getMessage()).contains("was deleted by another writer");
    assertThat(api.configMapData("kube-system", "aws-auth")).isEmpty();

    ids.update(changes(put(DEV, "dev", "devs")));
    assertThat(AwsAuthDocument.parse(data()).roleMappings())
        .extracting(AwsAuthEntry::arn)
        .containsExactly(DEV.arn().value());
  }

  @Test
  void removingFromAMissingConfigMapWritesNothingAndCreatesNoEmptyOne() {
    AwsAuthBackend ids = backend();

    WriteResult r =
        ids.update(
            IdentityChanges.of(
                List.of(
                    new IdentityChange.Remove(DEV),
                    new IdentityChange.RemoveAccount("444455556666"))));

    assertThat(r.writes()).isZero();
    assertThat(api.configMapData("kube-system", "aws-auth")).isEmpty();
    assertThat(api.count("POST") + api.count("PUT")).isZero();
  }

  @Test
  void readFailuresAreBackendExceptionsThatSayWhatToDo() {
    seed();
    AwsAuthBackend ids = AwsAuth.builder(client).retryPolicy(RetryPolicy.none()).build();

    api.inject("GET", KubeFault.status(403));
    var forbidden = catchThrowableOfType(BackendException.class, ids::read);
    assertThat(forbidden.statusCode()).isEqualTo(403);
    assertThat(forbidden.retryable()).isFalse();
    assertThat(forbidden.getMessage())
        .contains("read ConfigMap kube-system/aws-auth failed with HTTP 403")
        .contains("may not get configmaps in kube-system");
    assertThat(forbidden.requestId()).isPresent();

    api.inject("GET", KubeFault.status(401));
    assertThat(catchThrowableOfType(BackendException.class, ids::read).getMessage())
        .contains("an EKS token lives 15 minutes");

    api.inject("PUT", KubeFault.status(503));
    var unavailable =
        catchThrowableOfType(
            BackendException.class, () -> ids.update(changes(put(DEV, "dev", "devs"))));
    assertThat(unavailable.retryable()).isTrue();
    assertThat(unavailable.statusCode()).isEqualTo(503);
    assertThat(mapRoles()).isEqualTo(MAP_ROLES);
  }

  @Test
  void aGiveUpAfterEveryAttemptLostSaysHowToAllowMore() {
    seed();
    AwsAuthBackend ids =
        AwsAuth.builder(client)
            .retryPolicy(RetryPolicy.of(3, Duration.ZERO, Duration.ZERO))
            .build();
    for (int i = 0; i < 3; i++) {
      api.inject("PUT", KubeFault.conflict());
    }

    var e =
        catchThrowableOfType(
            ConflictException.class, () -> ids.update(changes(put(DEV, "dev", "devs"))));

    assertThat(e.getMessage()).contains("on each of 3 attempts").contains("retryPolicy");
    assertThat(api.count("PUT")).isEqualTo(3);
    assertThat(mapRoles()).isEqualTo(MAP_ROLES);
  }

  @Test
  void anApiClientFromAKubeconfigContext(@TempDir Path dir) throws IOException {
    seed();
    Path kubeconfig = dir.resolve("config");
    Files.writeString(
        kubeconfig,
        """
        apiVersion: v1
        kind: Config
        current-context: other
        clusters:
        - name: prod
          cluster:
            server: %s
        - name: other
          cluster:
            server: http://127.0.0.1:9
        users:
        - name: jane
          user:
            token: not-a-real-token
        contexts:
        - name: prod
          context: {cluster: prod, user: jane}
        - name: other
          context: {cluster: other, user: jane}
        """
            .formatted(api.baseUrl()));

    AwsAuthBackend ids = AwsAuth.backend(kubeconfig, "prod");

    assertThat(ids.read().mappings()).hasSize(2);
    var missing =
        catchThrowableOfType(
            dev.eksaccess.api.InvalidInputException.class,
            () -> AwsAuth.apiClient(kubeconfig, "staging"));
    assertThat(missing.getMessage())
        .contains("has no context named \"staging\"")
        .contains("kubectl config get-contexts")
        .doesNotContain("not-a-real-token");
  }

  @Test
  void anExplicitEndpointMustBeHttps() {
    var e =
        catchThrowableOfType(
            dev.eksaccess.api.InvalidInputException.class,
            () -> AwsAuth.apiClient("http://example.com", new byte[0], () -> "token"));
    assertThat(e.getMessage()).contains("is not an https URL");
  }

  @Test
  void userMappingsAreReadToo() {
    api.putConfigMap(
        "kube-system",
        "aws-auth",
        Map.of(
            "mapUsers",
            """
            - userarn: arn:aws:iam::111122223333:user/jane
              username: jane
              groups: [acme:devs]
            """));

    assertThat(backend().read().mappings())
        .extracting(IdentityMapping::principal)
        .containsExactly(IamUser.of("arn:aws:iam::111122223333:user/jane"));
  }
}
