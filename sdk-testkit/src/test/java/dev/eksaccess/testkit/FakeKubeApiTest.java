package dev.eksaccess.testkit;

import static org.assertj.core.api.Assertions.assertThat;

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

    assertThat(
            send("PATCH", CRB + "/devs?fieldManager=me", apply, "application/merge-patch+json")
                .statusCode())
        .as("a merge patch of what does not exist")
        .isEqualTo(404);
    assertThat(send("PATCH", CRB + "/devs", apply, yaml).statusCode()).isEqualTo(400);
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
        subjects: [{kind: Group, name: devs}]
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
    send("PATCH", CRB + "/devs?fieldManager=other", first.replace("team: acme, ", ""), yaml);

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
}
