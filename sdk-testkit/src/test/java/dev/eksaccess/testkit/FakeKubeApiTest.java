package dev.eksaccess.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The fake API server answers as kube-apiserver does, checked over plain HTTP. */
class FakeKubeApiTest {
  static final String CM = "/api/v1/namespaces/kube-system/configmaps";
  static final String CRB = "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings";

  FakeKubeApi api;
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() {
    api = FakeKubeApi.start();
  }

  @AfterEach
  void stop() {
    api.close();
  }

  HttpResponse<String> send(String method, String path, String body, String type)
      throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create(api.baseUrl() + path))
            .method(method, HttpRequest.BodyPublishers.ofString(body))
            .header("Content-Type", type)
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> send(String method, String path, String body)
      throws IOException, InterruptedException {
    return send(method, path, body, "application/json");
  }

  @Test
  void createReplaceAndConflictsAsTheApiServer() throws Exception {
    String cm = "{\"metadata\":{\"name\":\"aws-auth\"},\"data\":{\"mapRoles\":\"[]\"}}";

    assertThat(send("POST", CM, cm).statusCode()).isEqualTo(201);
    HttpResponse<String> again = send("POST", CM, cm);
    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(again.body()).contains("\"reason\":\"AlreadyExists\"");

    String stale = "{\"metadata\":{\"name\":\"aws-auth\",\"resourceVersion\":\"1\"},\"data\":{}}";
    HttpResponse<String> conflict = send("PUT", CM + "/aws-auth", stale);
    assertThat(conflict.statusCode()).isEqualTo(409);
    assertThat(conflict.body())
        .contains("\"reason\":\"Conflict\"")
        .contains("the object has been modified");
    assertThat(api.configMapData("kube-system", "aws-auth")).contains(Map.of("mapRoles", "[]"));

    assertThat(send("PUT", CM + "/missing", "{\"metadata\":{\"name\":\"missing\"}}").statusCode())
        .isEqualTo(404);
    assertThat(send("POST", CM, "{\"metadata\":{\"name\":\"Bad_Name\"}}").statusCode())
        .isEqualTo(422);
    assertThat(send("POST", CM + "?dryRun=All", "{\"metadata\":{\"name\":\"dry\"}}").statusCode())
        .isEqualTo(201);
    assertThat(api.configMapData("kube-system", "dry")).isEmpty();
  }

  @Test
  void listsPageWithContinueAndFilterByLabel() throws Exception {
    for (int i = 0; i < 5; i++) {
      api.putObject(
          "clusterrolebindings",
          "",
          ("{\"metadata\":{\"name\":\"b%d\",\"labels\":{\"team\":\"%s\"}},"
                  + "\"roleRef\":{\"kind\":\"ClusterRole\",\"name\":\"view\"},\"subjects\":[]}")
              .formatted(i, i % 2 == 0 ? "a" : "b"));
    }

    HttpResponse<String> first = send("GET", CRB + "?limit=2", "");
    assertThat(first.body()).contains("\"b0\"").contains("\"b1\"").doesNotContain("\"b2\"");
    String token = first.body().replaceAll(".*\"continue\":\"([^\"]+)\".*", "$1");
    HttpResponse<String> second = send("GET", CRB + "?limit=2&continue=" + token, "");
    assertThat(second.body()).contains("\"b2\"").contains("\"b3\"").doesNotContain("\"b1\"");
    assertThat(send("GET", CRB + "?labelSelector=team%3Da", "").body())
        .contains("\"b0\"")
        .contains("\"b4\"")
        .doesNotContain("\"b1\"");
  }

  @Test
  void serverSideApplyNeedsItsContentTypeAndAFieldManagerAndKeepsRoleRef() throws Exception {
    String apply =
        """
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRoleBinding
        metadata: {name: devs}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
        subjects: [{kind: Group, name: devs}]
        """;
    String yaml = "application/apply-patch+yaml";

    assertThat(send("PATCH", CRB + "/devs?fieldManager=me", apply, "text/plain").statusCode())
        .isEqualTo(415);
    assertThat(
            send("PATCH", CRB + "/devs", "{\"subjects\":[]}", "application/merge-patch+json")
                .statusCode())
        .as("a merge patch is served, and needs the object")
        .isEqualTo(404);
    HttpResponse<String> noManager = send("PATCH", CRB + "/devs", apply, yaml);
    assertThat(noManager.statusCode()).isEqualTo(422);
    assertThat(noManager.body()).contains("fieldManager: Required value");
    assertThat(send("PATCH", CRB + "/devs?fieldManager=me", apply, yaml).statusCode())
        .isEqualTo(201);
    String version = api.object("clusterrolebindings", "", "devs").orElseThrow();
    assertThat(send("PATCH", CRB + "/devs?fieldManager=me", apply, yaml).statusCode())
        .isEqualTo(200);
    assertThat(api.object("clusterrolebindings", "", "devs")).contains(version);
    HttpResponse<String> changed =
        send(
            "PATCH",
            CRB + "/devs?fieldManager=me",
            apply.replace("name: view", "name: edit"),
            yaml);
    assertThat(changed.statusCode()).isEqualTo(422);
    assertThat(changed.body()).contains("cannot change roleRef");
  }

  @Test
  void faultsApplyToTheNextRequestOfTheirMethodInOrder() throws Exception {
    api.putConfigMap("kube-system", "aws-auth", Map.of());
    api.inject("GET", KubeFault.status(503)).inject("GET", KubeFault.conflict());

    assertThat(send("GET", CM + "/aws-auth", "").statusCode()).isEqualTo(503);
    assertThat(send("GET", CM + "/aws-auth", "").statusCode()).isEqualTo(409);
    assertThat(send("GET", CM + "/aws-auth", "").statusCode()).isEqualTo(200);
    assertThat(api.count("GET")).isEqualTo(3);
  }

  @Test
  void aStrayPathDoesNotUseUpAFault() throws Exception {
    api.putConfigMap("kube-system", "aws-auth", Map.of());
    api.inject("GET", KubeFault.status(503));

    assertThat(send("GET", "/api/v1/namespaces/kube-system/secrets/x", "").statusCode())
        .isEqualTo(404);
    assertThat(send("GET", CM + "/aws-auth", "").statusCode()).isEqualTo(503);
  }

  @Test
  void anInterleavedWriterChangesTheObjectJustBeforeTheNextRequest() throws Exception {
    api.putConfigMap("kube-system", "aws-auth", Map.of("mapRoles", "[]"));
    String read = send("GET", CM + "/aws-auth", "").body();
    String version = read.replaceAll("(?s).*\"resourceVersion\":\"([0-9]+)\".*", "$1");
    api.beforeNext("PUT", () -> api.putConfigMap("kube-system", "aws-auth", Map.of("x", "theirs")));

    HttpResponse<String> ours =
        send(
            "PUT",
            CM + "/aws-auth",
            "{\"metadata\":{\"name\":\"aws-auth\",\"resourceVersion\":\""
                + version
                + "\"},\"data\":{\"x\":\"ours\"}}");

    assertThat(ours.statusCode()).isEqualTo(409);
    assertThat(api.configMapData("kube-system", "aws-auth"))
        .hasValueSatisfying(d -> assertThat(d).containsEntry("x", "theirs"));
  }

  @Test
  void labelSelectorsAndLimitsReadAsTheServerReadsThem() throws Exception {
    for (int i = 0; i < 3; i++) {
      api.putObject(
          "clusterrolebindings",
          "",
          ("{\"metadata\":{\"name\":\"b%d\",\"labels\":{\"team\":\"%s\"}},"
                  + "\"roleRef\":{\"kind\":\"ClusterRole\",\"name\":\"view\"},\"subjects\":[]}")
              .formatted(i, i == 2 ? "" : "t" + i));
    }

    assertThat(send("GET", CRB + "?labelSelector=team%21%3Dt0", "").body())
        .doesNotContain("\"b0\"")
        .contains("\"b1\"")
        .contains("\"b2\"");
    assertThat(send("GET", CRB + "?labelSelector=team%3D", "").body())
        .as("an empty value matches only the empty value")
        .doesNotContain("\"b0\"")
        .contains("\"b2\"");
    assertThat(send("GET", CRB + "?labelSelector=%21team", "").body()).doesNotContain("\"b");
    assertThat(send("GET", CRB + "?labelSelector=team", "").body()).contains("\"b0\"");
    HttpResponse<String> bad = send("GET", CRB + "?labelSelector=team%20in%20%28a%29%3Dx", "");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("unable to parse requirement");
    assertThat(send("GET", CRB + "?limit=0", "").body())
        .as("limit=0 is no limit")
        .contains("\"b0\"")
        .contains("\"b2\"")
        .doesNotContain("continue\":\"");
  }

  @Test
  void rbacNamesArePathSegmentsAndAnUpdateMayCreateThem() throws Exception {
    String binding =
        "{\"metadata\":{\"name\":\"%s\"},"
            + "\"roleRef\":{\"kind\":\"ClusterRole\",\"name\":\"view\"},\"subjects\":[]}";

    assertThat(send("PUT", CRB + "/acme:readers", binding.formatted("acme:readers")).statusCode())
        .as("created by a PUT, with a colon in its name")
        .isEqualTo(201);
    assertThat(send("POST", CRB, binding.formatted("a%b")).statusCode()).isEqualTo(422);
    assertThat(
            send("PUT", CM + "/missing", "{\"metadata\":{\"name\":\"missing\"},\"data\":{}}")
                .statusCode())
        .as("a ConfigMap is never created by an update")
        .isEqualTo(404);
  }

  @Test
  void anUpdateThatChangesNothingKeepsTheResourceVersion() throws Exception {
    String version = api.putConfigMap("kube-system", "aws-auth", Map.of("mapRoles", "[]"));

    HttpResponse<String> same =
        send(
            "PUT",
            CM + "/aws-auth",
            "{\"metadata\":{\"name\":\"aws-auth\",\"namespace\":\"kube-system\",\"resourceVersion\":\""
                + version
                + "\"},\"data\":{\"mapRoles\":\"[]\"}}");

    assertThat(same.statusCode()).isEqualTo(200);
    assertThat(same.body()).contains("\"resourceVersion\":\"" + version + "\"");
  }

  @Test
  void serverSideApplyRemovesWhatTheSameManagerStoppedSending() throws Exception {
    String path = CRB + "/devs?fieldManager=eks-access";
    String yaml = "application/apply-patch+yaml";
    String first =
        """
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRoleBinding
        metadata: {name: devs, labels: {team: acme, tier: gold}}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
        subjects: [{kind: Group, apiGroup: rbac.authorization.k8s.io, name: devs}]
        """;
    String second =
        """
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRoleBinding
        metadata: {name: devs, labels: {team: acme}}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
        """;
    assertThat(send("PATCH", path, first, yaml).statusCode()).isEqualTo(201);
    // another manager owns "tier" too, so it stays
    assertThat(
            send("PATCH", CRB + "/devs?fieldManager=other", first.replace("team: acme, ", ""), yaml)
                .statusCode())
        .as("the same values applied by another manager: shared, no conflict")
        .isEqualTo(200);

    assertThat(send("PATCH", path, second, yaml).statusCode()).isEqualTo(200);

    String stored = api.object("clusterrolebindings", "", "devs").orElseThrow();
    assertThat(stored).contains("\"team\":\"acme\"").contains("\"tier\":\"gold\"");
    assertThat(stored).as("subjects are still the other manager's").contains("\"subjects\"");
    send(
        "PATCH",
        CRB + "/devs?fieldManager=other",
        second.replace("labels: {team: acme}", "labels: {}"),
        yaml);
    String after = api.object("clusterrolebindings", "", "devs").orElseThrow();
    assertThat(after).doesNotContain("tier").doesNotContain("\"subjects\"").contains("team");
  }

  @Test
  void theDefaultNamespacesExistAndOthersMustBeAddedBeforeUse() throws Exception {
    assertThat(api.namespaces())
        .containsExactly("default", "kube-node-lease", "kube-public", "kube-system");
    String rb = "/apis/rbac.authorization.k8s.io/v1/namespaces/apps/rolebindings";
    String binding =
        "{\"metadata\":{\"name\":\"b\"},\"roleRef\":{\"apiGroup\":\"rbac.authorization.k8s.io\","
            + "\"kind\":\"ClusterRole\",\"name\":\"view\"}}";

    HttpResponse<String> missing = send("POST", rb, binding);
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.body()).contains("namespaces \\\"apps\\\" not found");

    api.addNamespace("apps");
    assertThat(send("POST", rb, binding).statusCode()).isEqualTo(201);
    assertThat(api.object("rolebindings", "apps", "b"))
        .hasValueSatisfying(o -> assertThat(o).contains("\"namespace\":\"apps\""));
  }

  @Test
  void namespacesAreServedAndDeletingOneDeletesWhatIsInIt() throws Exception {
    assertThat(
            send("POST", "/api/v1/namespaces", "{\"metadata\":{\"name\":\"team\"}}").statusCode())
        .isEqualTo(201);
    api.putConfigMap("team", "settings", Map.of("k", "v"));
    assertThat(send("GET", "/api/v1/namespaces", "").body()).contains("\"team\"");

    HttpResponse<String> deleted = send("DELETE", "/api/v1/namespaces/team", "");

    assertThat(deleted.statusCode()).isEqualTo(200);
    assertThat(deleted.body()).contains("\"phase\":\"Terminating\"");
    assertThat(api.namespaces()).doesNotContain("team");
    assertThat(api.configMapData("team", "settings")).isEmpty();
    assertThat(send("DELETE", "/api/v1/namespaces/kube-system", "").statusCode()).isEqualTo(403);
  }

  @Test
  void seedingCreatesTheNamespaceAndRefusesWhatTheServerWouldRefuse() {
    api.putObject(
        "rolebindings",
        "seeded",
        "{\"metadata\":{\"name\":\"b\"},\"roleRef\":{\"kind\":\"ClusterRole\",\"name\":\"view\"},"
            + "\"subjects\":[{\"kind\":\"Group\",\"name\":\"g\"}]}");

    assertThat(api.namespaces()).contains("seeded");
    assertThat(api.object("rolebindings", "seeded", "b"))
        .as("defaulted as the API server defaults it")
        .hasValueSatisfying(
            o -> assertThat(o).contains("\"apiGroup\":\"rbac.authorization.k8s.io\""));
    assertThatThrownBy(
            () ->
                api.putObject(
                    "clusterrolebindings",
                    "",
                    "{\"metadata\":{\"name\":\"c\"},\"roleRef\":{\"kind\":\"ClusterRole\",\"name\":\"\"}}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("roleRef.name: Required value");
    assertThat(api.object("clusterrolebindings", "", "c")).isEmpty();
  }

  @Test
  void aConfigMapOverOneMebibyteIsRefusedAndNotStored() throws Exception {
    String big =
        "{\"metadata\":{\"name\":\"big\"},\"data\":{\"k\":\"" + "x".repeat(1048577) + "\"}}";

    HttpResponse<String> refused = send("POST", CM, big);

    assertThat(refused.statusCode()).isEqualTo(422);
    assertThat(refused.body()).contains("Too long: must have at most 1048576 bytes");
    assertThat(api.configMapData("kube-system", "big")).isEmpty();
  }

  @Test
  void aDeleteWithAStalePreconditionIsRefusedAndKeepsTheObject() throws Exception {
    String version = api.putConfigMap("kube-system", "aws-auth", Map.of("mapRoles", "[]"));
    api.putConfigMap("kube-system", "aws-auth", Map.of("mapRoles", "- theirs"));

    HttpResponse<String> refused =
        send(
            "DELETE",
            CM + "/aws-auth",
            "{\"preconditions\":{\"resourceVersion\":\"" + version + "\"}}");

    assertThat(refused.statusCode()).isEqualTo(409);
    assertThat(refused.body())
        .contains("the ResourceVersion in the precondition (" + version + ")");
    assertThat(api.configMapData("kube-system", "aws-auth"))
        .contains(Map.of("mapRoles", "- theirs"));
  }

  @Test
  void anObjectCreatedWithoutANamespaceReadsBackWithThatOfItsPath() throws Exception {
    assertThat(send("POST", CM, "{\"metadata\":{\"name\":\"plain\"}}").statusCode()).isEqualTo(201);

    assertThat(api.object("configmaps", "kube-system", "plain"))
        .hasValueSatisfying(o -> assertThat(o).contains("\"namespace\":\"kube-system\""));
  }

  @Test
  void mergeStrategicAndJsonPatchesAreServed() throws Exception {
    api.putConfigMap("kube-system", "p", Map.of("a", "1"));

    assertThat(
            send("PATCH", CM + "/p", "{\"data\":{\"b\":\"2\"}}", "application/merge-patch+json")
                .statusCode())
        .isEqualTo(200);
    assertThat(
            send(
                    "PATCH",
                    CM + "/p",
                    "{\"data\":{\"a\":null}}",
                    "application/strategic-merge-patch+json")
                .statusCode())
        .isEqualTo(200);
    assertThat(
            send(
                    "PATCH",
                    CM + "/p",
                    "[{\"op\":\"add\",\"path\":\"/data/c\",\"value\":\"3\"}]",
                    "application/json-patch+json")
                .statusCode())
        .isEqualTo(200);
    assertThat(api.configMapData("kube-system", "p")).contains(Map.of("b", "2", "c", "3"));
  }

  @Test
  void aPutOrApplyWithAStaleResourceVersionIsAConflict() throws Exception {
    String stale = api.putConfigMap("kube-system", "c", Map.of("a", "1"));
    api.putConfigMap("kube-system", "c", Map.of("a", "2"));

    assertThat(
            send(
                    "PUT",
                    CM + "/c",
                    "{\"metadata\":{\"name\":\"c\",\"resourceVersion\":\"" + stale + "\"}}")
                .statusCode())
        .isEqualTo(409);
    assertThat(
            send(
                    "PATCH",
                    CM + "/c?fieldManager=me&force=true",
                    "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"c\","
                        + "\"resourceVersion\":\""
                        + stale
                        + "\"},\"data\":{\"a\":\"3\"}}",
                    "application/apply-patch+yaml")
                .statusCode())
        .isEqualTo(409);
    assertThat(api.configMapData("kube-system", "c")).contains(Map.of("a", "2"));
  }

  /**
   * As on a real server: subjects are one atomic list, stored with the API group the server
   * defaults, so another manager applying them without it changes them, which is a conflict.
   */
  @Test
  void anApplyThatLeavesOutADefaultedFieldConflictsWithItsOwner() throws Exception {
    String apply =
        """
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRoleBinding
        metadata: {name: devs}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
        subjects: [{kind: Group, name: devs}]
        """;
    String yaml = "application/apply-patch+yaml";
    assertThat(send("PATCH", CRB + "/devs?fieldManager=first", apply, yaml).statusCode())
        .isEqualTo(201);

    HttpResponse<String> second = send("PATCH", CRB + "/devs?fieldManager=second", apply, yaml);

    assertThat(second.statusCode()).isEqualTo(409);
    assertThat(second.body())
        .contains("Apply failed with 1 conflict: conflict with \\\"first\\\": .subjects");
    assertThat(
            send("PATCH", CRB + "/devs?fieldManager=second&force=true", apply, yaml).statusCode())
        .isEqualTo(200);
  }
}
