package dev.eksaccess.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The same HTTP requests, ordinary and edge, sent to a Kubernetes API server, each answer held to
 * what kube-apiserver v1.20 answers: status code, {@code Status} reason, message and details (with
 * their causes) word for word, and for objects the fields that matter (namespace, data, defaults,
 * resourceVersion). The expectations were recorded from a real kube-apiserver v1.20.2; {@link
 * FakeKubeApi} passes them in every build, and the real-server tier runs the same cases against a
 * real server, so a difference between the two is a failing test on one side.
 *
 * <p>Each case runs in a namespace of its own ({@code kac-<random>}), made through the API before
 * its requests and deleted after, with every cluster-scoped object it created; cluster-scoped names
 * carry the same random suffix, so runs against a shared server do not collide.
 *
 * <pre>{@code
 * class MyServerKubeApiContractTest extends KubeApiContract {
 *   @Override
 *   protected String baseUrl() {
 *     return "https://127.0.0.1:6443";
 *   }
 *
 *   @Override
 *   protected HttpRequest.Builder authorize(HttpRequest.Builder request) {
 *     return request.header("Authorization", "Bearer " + token);
 *   }
 *
 *   @Override
 *   protected HttpClient httpClient() {
 *     return HttpClient.newBuilder().sslContext(trustingTheClusterCa).build();
 *   }
 * }
 * }</pre>
 */
public abstract class KubeApiContract {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
  private static final HttpClient DEFAULT_CLIENT = HttpClient.newHttpClient();
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Pattern PLACEHOLDER =
      Pattern.compile("\\{(ns|s|(?:rv|uid|continue)@\\d+)\\}");

  static final String RBAC = "rbac.authorization.k8s.io";
  private static final String CM = "/api/v1/namespaces/{ns}/configmaps";
  private static final String RB =
      "/apis/rbac.authorization.k8s.io/v1/namespaces/{ns}/rolebindings";
  private static final String ROLES = "/apis/rbac.authorization.k8s.io/v1/namespaces/{ns}/roles";
  private static final String CRB = "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings";
  private static final String CR = "/apis/rbac.authorization.k8s.io/v1/clusterroles";
  private static final String NS = "/api/v1/namespaces";
  private static final String APPLY = "application/apply-patch+yaml";
  private static final String MERGE = "application/merge-patch+json";
  private static final String STRATEGIC = "application/strategic-merge-patch+json";
  private static final String JSON_PATCH = "application/json-patch+json";

  private static final String SUBDOMAIN =
      "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or"
          + " '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex"
          + " used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
  private static final String DNS_LABEL =
      "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and"
          + " must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc',"
          + " regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
  private static final String CONFIG_KEY =
      "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g."
          + " 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is"
          + " '[-._a-zA-Z0-9]+')";
  private static final String LABEL_KEY =
      "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end"
          + " with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex"
          + " used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
  private static final String MODIFIED =
      "the object has been modified; please apply your changes to the latest version and try again";
  private static final String SUBJECT_KINDS =
      "supported values: \"ServiceAccount\", \"User\", \"Group\"";
  private static final String REJECTED =
      "the server rejected our request due to an error in our request";
  private static final String NO_RESOURCE = "the server could not find the requested resource";

  /** Creates the contract. */
  protected KubeApiContract() {}

  /**
   * The API server's base URL, without a trailing slash.
   *
   * @return the URL, such as {@code https://127.0.0.1:6443} or a {@link FakeKubeApi#baseUrl()}
   */
  protected abstract String baseUrl();

  /**
   * The HTTP client the requests go through; override it to trust the server's CA.
   *
   * @return the client
   */
  protected HttpClient httpClient() {
    return DEFAULT_CLIENT;
  }

  /**
   * Adds the credentials to a request; the default adds none.
   *
   * @param request the request being built
   * @return the request, with credentials
   */
  protected HttpRequest.Builder authorize(HttpRequest.Builder request) {
    return request;
  }

  /**
   * How many cases the contract holds.
   *
   * @return the count
   */
  public static int size() {
    return CASES.size();
  }

  /**
   * Every case, one dynamic test each, named for the behaviour it checks.
   *
   * @return the tests
   */
  @TestFactory
  public Stream<DynamicTest> answersAsKubeApiserverDoes() {
    return CASES.stream().map(c -> DynamicTest.dynamicTest(c.name, () -> run(c)));
  }

  // ---------------------------------------------------------------------------------------------
  // the cases

  private static final List<Case> CASES = new ArrayList<>();

  static {
    // ---- ConfigMaps: create, read, names, namespaces
    kase("a ConfigMap created without metadata.namespace reads back with its path's namespace")
        .send("POST", CM, "{\"metadata\":{\"name\":\"a\"},\"data\":{\"k\":\"v\"}}")
        .expect(201)
        .field("/kind", "\"ConfigMap\"")
        .field("/metadata/namespace", "\"{ns}\"")
        .send("GET", CM + "/a")
        .expect(200)
        .field("/metadata/namespace", "\"{ns}\"")
        .field("/data", "{\"k\":\"v\"}");
    kase("creating a ConfigMap that exists is 409 AlreadyExists")
        .send("POST", CM, "{\"metadata\":{\"name\":\"a\"}}")
        .expect(201)
        .send("POST", CM, "{\"metadata\":{\"name\":\"a\"}}")
        .fails(
            409,
            "AlreadyExists",
            "configmaps \"a\" already exists",
            details("a", "", "configmaps"));
    kase("reading a ConfigMap that does not exist is 404 NotFound")
        .send("GET", CM + "/missing")
        .fails(
            404,
            "NotFound",
            "configmaps \"missing\" not found",
            details("missing", "", "configmaps"));
    kase("a ConfigMap name that is not a DNS subdomain is 422 Invalid")
        .send("POST", CM, "{\"metadata\":{\"name\":\"Bad_Name\"}}")
        .fails(
            422,
            "Invalid",
            "ConfigMap \"Bad_Name\" is invalid: metadata.name: Invalid value: \"Bad_Name\": "
                + SUBDOMAIN,
            details(
                "Bad_Name",
                "",
                "ConfigMap",
                cause(
                    "FieldValueInvalid",
                    "Invalid value: \"Bad_Name\": " + SUBDOMAIN,
                    "metadata.name")));
    kase("a ConfigMap without a name is 422 Required value")
        .send("POST", CM, "{\"metadata\":{}}")
        .fails(
            422,
            "Invalid",
            "ConfigMap \"\" is invalid: metadata.name: Required value: name or generateName is"
                + " required",
            details(
                "",
                "",
                "ConfigMap",
                cause(
                    "FieldValueRequired",
                    "Required value: name or generateName is required",
                    "metadata.name")));
    kase("a body naming another namespace than its path is 400 BadRequest")
        .send("POST", CM, "{\"metadata\":{\"name\":\"a\",\"namespace\":\"kube-system\"}}")
        .fails(
            400,
            "BadRequest",
            "the namespace of the provided object does not match the namespace sent on the request",
            null);
    kase("creating in a namespace that does not exist is 404 namespaces not found")
        .send("POST", "/api/v1/namespaces/none-{s}/configmaps", "{\"metadata\":{\"name\":\"a\"}}")
        .fails(
            404,
            "NotFound",
            "namespaces \"none-{s}\" not found",
            details("none-{s}", "", "namespaces"))
        .send("GET", "/api/v1/namespaces/none-{s}/configmaps")
        .expect(200)
        .names("/items");
    kase("server-side apply in a namespace that does not exist is 404 namespaces not found")
        .send(
            "PATCH",
            "/api/v1/namespaces/none-{s}/configmaps/a?fieldManager=contract",
            "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"a\"}}",
            APPLY)
        .fails(
            404,
            "NotFound",
            "namespaces \"none-{s}\" not found",
            details("none-{s}", "", "namespaces"));
    kase("a ConfigMap is never created by a PUT")
        .send("PUT", CM + "/a", "{\"metadata\":{\"name\":\"a\"}}")
        .fails(404, "NotFound", "configmaps \"a\" not found", details("a", "", "configmaps"));
    kase("a PUT whose body names another object is 400 BadRequest")
        .send("POST", CM, "{\"metadata\":{\"name\":\"a\"}}")
        .expect(201)
        .send("PUT", CM + "/a", "{\"metadata\":{\"name\":\"b\"}}")
        .fails(
            400,
            "BadRequest",
            "the name of the object (b) does not match the name on the URL (a)",
            null);
    kase("a PUT with a stale resourceVersion is 409 Conflict and changes nothing")
        .send("POST", CM, "{\"metadata\":{\"name\":\"a\"},\"data\":{\"k\":\"1\"}}")
        .expect(201)
        .send(
            "PUT",
            CM + "/a",
            "{\"metadata\":{\"name\":\"a\",\"resourceVersion\":\"{rv@1}\"},\"data\":{\"k\":\"2\"}}")
        .expect(200)
        .field("/data", "{\"k\":\"2\"}")
        .send(
            "PUT",
            CM + "/a",
            "{\"metadata\":{\"name\":\"a\",\"resourceVersion\":\"{rv@1}\"},\"data\":{\"k\":\"3\"}}")
        .fails(
            409,
            "Conflict",
            "Operation cannot be fulfilled on configmaps \"a\": " + MODIFIED,
            details("a", "", "configmaps"))
        .send("GET", CM + "/a")
        .expect(200)
        .field("/data", "{\"k\":\"2\"}")
        .field("/metadata/resourceVersion", "\"{rv@2}\"");
    kase("a PUT that changes nothing keeps the resourceVersion")
        .send("POST", CM, "{\"metadata\":{\"name\":\"a\"},\"data\":{\"k\":\"1\"}}")
        .expect(201)
        .send(
            "PUT",
            CM + "/a",
            "{\"metadata\":{\"name\":\"a\",\"resourceVersion\":\"{rv@1}\"},\"data\":{\"k\":\"1\"}}")
        .expect(200)
        .field("/metadata/resourceVersion", "\"{rv@1}\"");
    kase("a ConfigMap whose values pass 1 MiB is 422 Too long")
        .send("POST", CM, configMapOfSize("big", 1048576, true))
        .fails(
            422,
            "Invalid",
            "ConfigMap \"big\" is invalid: []: Too long: must have at most 1048576 bytes",
            details(
                "big",
                "",
                "ConfigMap",
                cause("FieldValueTooLong", "Too long: must have at most 1048576 bytes", "[]")))
        .send("GET", CM + "/big")
        .fails(404, "NotFound", "configmaps \"big\" not found", details("big", "", "configmaps"));
    kase("a ConfigMap of exactly 1 MiB of values is accepted (keys do not count)")
        .send("POST", CM, configMapOfSize("big", 1048575, true))
        .expect(201)
        .field("/metadata/name", "\"big\"");
    kase("a data key with a space is 422 Invalid")
        .send("POST", CM, "{\"metadata\":{\"name\":\"a\"},\"data\":{\"bad key\":\"v\"}}")
        .fails(
            422,
            "Invalid",
            "ConfigMap \"a\" is invalid: data[bad key]: Invalid value: \"bad key\": " + CONFIG_KEY,
            details(
                "a",
                "",
                "ConfigMap",
                cause(
                    "FieldValueInvalid",
                    "Invalid value: \"bad key\": " + CONFIG_KEY,
                    "data[bad key]")));
    kase("a label key with a '!' is 422 Invalid")
        .send("POST", CM, "{\"metadata\":{\"name\":\"a\",\"labels\":{\"bad key!\":\"v\"}}}")
        .fails(
            422,
            "Invalid",
            "ConfigMap \"a\" is invalid: metadata.labels: Invalid value: \"bad key!\": "
                + LABEL_KEY,
            details(
                "a",
                "",
                "ConfigMap",
                cause(
                    "FieldValueInvalid",
                    "Invalid value: \"bad key!\": " + LABEL_KEY,
                    "metadata.labels")));
    kase("a dry-run create answers as a create and stores nothing")
        .send("POST", CM + "?dryRun=All", "{\"metadata\":{\"name\":\"a\"}}")
        .expect(201)
        .field("/metadata/namespace", "\"{ns}\"")
        .send("GET", CM + "/a")
        .fails(404, "NotFound", "configmaps \"a\" not found", details("a", "", "configmaps"));
    kase("creating an object that carries a resourceVersion is refused")
        .send("POST", CM, "{\"metadata\":{\"name\":\"a\",\"resourceVersion\":\"5\"}}")
        .fails(500, null, "resourceVersion should not be set on objects to be created", null);
    kase("a list filters by label and pages with limit and continue")
        .send("POST", CM, "{\"metadata\":{\"name\":\"a\",\"labels\":{\"l\":\"x\"}}}")
        .expect(201)
        .send("POST", CM, "{\"metadata\":{\"name\":\"b\",\"labels\":{\"l\":\"y\"}}}")
        .expect(201)
        .send("POST", CM, "{\"metadata\":{\"name\":\"c\",\"labels\":{\"l\":\"x\"}}}")
        .expect(201)
        .send("GET", CM + "?labelSelector=l%3Dx")
        .expect(200)
        .field("/kind", "\"ConfigMapList\"")
        .names("/items", "a", "c")
        .send("GET", CM + "?limit=2")
        .expect(200)
        .names("/items", "a", "b")
        .send("GET", CM + "?limit=2&continue={continue@5}")
        .expect(200)
        .names("/items", "c");
    kase("an unknown resource is 404 with the server's own message")
        .send("GET", "/api/v1/namespaces/{ns}/widgets")
        .fails(404, "NotFound", NO_RESOURCE, details(null, null, null));
    kase("a body of another kind is 400 BadRequest")
        .send(
            "POST", CM, "{\"kind\":\"Secret\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"a\"}}")
        .fails(
            400,
            "BadRequest",
            "Secret in version \"v1\" cannot be handled as a ConfigMap: converting (v1.Secret) to"
                + " (core.ConfigMap): unknown conversion",
            null)
        .send(
            "POST",
            RB,
            "{\"kind\":\"ClusterRoleBinding\",\"apiVersion\":\"rbac.authorization.k8s.io/v1\","
                + "\"metadata\":{\"name\":\"a\"}}")
        .fails(
            400,
            "BadRequest",
            "ClusterRoleBinding in version \"v1\" cannot be handled as a RoleBinding: converting"
                + " (v1.ClusterRoleBinding) to (rbac.RoleBinding): unknown conversion",
            null);

    // ---- DELETE and its preconditions
    kase("a DELETE with a stale resourceVersion precondition is 409 and keeps the object")
        .send("POST", CM, "{\"metadata\":{\"name\":\"a\"}}")
        .expect(201)
        .send("DELETE", CM + "/a", "{\"preconditions\":{\"resourceVersion\":\"1\"}}")
        .fails(
            409,
            "Conflict",
            "Operation cannot be fulfilled on ConfigMap \"a\": the ResourceVersion in the"
                + " precondition (1) does not match the ResourceVersion in record ({rv@1}). The"
                + " object might have been modified",
            details("a", "", "ConfigMap"))
        .send("GET", CM + "/a")
        .expect(200)
        .field("/metadata/resourceVersion", "\"{rv@1}\"");
    kase("a DELETE with a stale uid precondition is 409 and keeps the object")
        .send("POST", CM, "{\"metadata\":{\"name\":\"a\"}}")
        .expect(201)
        .send(
            "DELETE",
            CM + "/a",
            "{\"preconditions\":{\"uid\":\"00000000-0000-0000-0000-000000000000\","
                + "\"resourceVersion\":\"1\"}}")
        .fails(
            409,
            "Conflict",
            "Operation cannot be fulfilled on ConfigMap \"a\": the UID in the precondition"
                + " (00000000-0000-0000-0000-000000000000) does not match the UID in record"
                + " ({uid@1}). The object might have been deleted and then recreated",
            details("a", "", "ConfigMap"))
        .send("GET", CM + "/a")
        .expect(200);
    kase("a DELETE with current preconditions deletes and names the object's uid")
        .send("POST", CM, "{\"metadata\":{\"name\":\"a\"}}")
        .expect(201)
        .send(
            "DELETE",
            CM + "/a",
            "{\"kind\":\"DeleteOptions\",\"apiVersion\":\"v1\",\"preconditions\":"
                + "{\"resourceVersion\":\"{rv@1}\",\"uid\":\"{uid@1}\"}}")
        .succeedsWith(200, detailsWithUid("a", "", "configmaps", "{uid@1}"))
        .send("GET", CM + "/a")
        .fails(404, "NotFound", "configmaps \"a\" not found", details("a", "", "configmaps"));
    kase("a DELETE of an object that does not exist is 404")
        .send("DELETE", CM + "/a")
        .fails(404, "NotFound", "configmaps \"a\" not found", details("a", "", "configmaps"));

    // ---- PATCH: merge, strategic merge, JSON patch
    kase("a merge patch merges data, and null removes a key")
        .send("POST", CM, "{\"metadata\":{\"name\":\"a\"},\"data\":{\"k\":\"v\",\"gone\":\"x\"}}")
        .expect(201)
        .send("PATCH", CM + "/a", "{\"data\":{\"n\":\"w\",\"gone\":null}}", MERGE)
        .expect(200)
        .field("/data", "{\"k\":\"v\",\"n\":\"w\"}")
        .field("/metadata/namespace", "\"{ns}\"");
    kase("a strategic merge patch merges data")
        .send("POST", CM, "{\"metadata\":{\"name\":\"a\"},\"data\":{\"k\":\"v\",\"gone\":\"x\"}}")
        .expect(201)
        .send("PATCH", CM + "/a", "{\"data\":{\"n\":\"w\",\"gone\":null}}", STRATEGIC)
        .expect(200)
        .field("/data", "{\"k\":\"v\",\"n\":\"w\"}");
    kase("a JSON patch adds, replaces and removes in order")
        .send("POST", CM, "{\"metadata\":{\"name\":\"a\"},\"data\":{\"k\":\"v\"}}")
        .expect(201)
        .send(
            "PATCH",
            CM + "/a",
            "[{\"op\":\"add\",\"path\":\"/data/n\",\"value\":\"w\"},"
                + "{\"op\":\"replace\",\"path\":\"/data/k\",\"value\":\"v2\"},"
                + "{\"op\":\"copy\",\"from\":\"/data/n\",\"path\":\"/data/m\"},"
                + "{\"op\":\"remove\",\"path\":\"/data/n\"},"
                + "{\"op\":\"test\",\"path\":\"/data/m\",\"value\":\"w\"}]",
            JSON_PATCH)
        .expect(200)
        .field("/data", "{\"k\":\"v2\",\"m\":\"w\"}");
    kase("a JSON patch whose test fails is 422 and changes nothing")
        .send("POST", CM, "{\"metadata\":{\"name\":\"a\"},\"data\":{\"k\":\"v\"}}")
        .expect(201)
        .send(
            "PATCH",
            CM + "/a",
            "[{\"op\":\"add\",\"path\":\"/data/n\",\"value\":\"w\"},"
                + "{\"op\":\"test\",\"path\":\"/data/k\",\"value\":\"nope\"}]",
            JSON_PATCH)
        .fails(422, "Invalid", REJECTED, details(null, null, null))
        .send("GET", CM + "/a")
        .expect(200)
        .field("/data", "{\"k\":\"v\"}")
        .field("/metadata/resourceVersion", "\"{rv@1}\"");
    kase("a JSON patch removing a path that is not there is 422")
        .send("POST", CM, "{\"metadata\":{\"name\":\"a\"},\"data\":{\"k\":\"v\"}}")
        .expect(201)
        .send("PATCH", CM + "/a", "[{\"op\":\"remove\",\"path\":\"/data/zzz\"}]", JSON_PATCH)
        .fails(422, "Invalid", REJECTED, details(null, null, null));
    kase("a merge patch of an object that does not exist is 404")
        .send("PATCH", CM + "/a", "{\"data\":{\"k\":\"v\"}}", MERGE)
        .fails(404, "NotFound", "configmaps \"a\" not found", details("a", "", "configmaps"));
    kase("a merge patch carrying a stale resourceVersion is 409 Conflict")
        .send("POST", CM, "{\"metadata\":{\"name\":\"a\"},\"data\":{\"k\":\"v\"}}")
        .expect(201)
        .send("PATCH", CM + "/a", "{\"data\":{\"k\":\"w\"}}", MERGE)
        .expect(200)
        .send(
            "PATCH",
            CM + "/a",
            "{\"metadata\":{\"resourceVersion\":\"{rv@1}\"},\"data\":{\"k\":\"x\"}}",
            MERGE)
        .fails(
            409,
            "Conflict",
            "Operation cannot be fulfilled on configmaps \"a\": " + MODIFIED,
            details("a", "", "configmaps"));
    kase("a patch of a media type the server does not take is 415")
        .send("POST", CM, "{\"metadata\":{\"name\":\"a\"}}")
        .expect(201)
        .send("PATCH", CM + "/a", "{\"data\":{\"k\":\"v\"}}", "text/plain")
        .fails(
            415, "UnsupportedMediaType", "415: Unsupported Media Type", details(null, null, null));

    // ---- server-side apply
    kase("server-side apply without a fieldManager is 422 Invalid")
        .send(
            "PATCH",
            CM + "/a",
            "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"a\"}}",
            APPLY)
        .fails(
            422,
            "Invalid",
            "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required"
                + " for apply patch",
            details(
                null,
                "meta.k8s.io",
                "PatchOptions",
                cause(
                    "FieldValueRequired",
                    "Required value: is required for apply patch",
                    "fieldManager")));
    kase("server-side apply creates, and the same apply again changes nothing")
        .send(
            "PATCH",
            CM + "/a?fieldManager=contract",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  k: v\n",
            APPLY)
        .expect(201)
        .field("/metadata/namespace", "\"{ns}\"")
        .field("/data", "{\"k\":\"v\"}")
        .send(
            "PATCH",
            CM + "/a?fieldManager=contract",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  k: v\n",
            APPLY)
        .expect(200)
        .field("/metadata/resourceVersion", "\"{rv@1}\"");
    kase("server-side apply carrying a stale resourceVersion is 409 Conflict")
        .send(
            "PATCH",
            CM + "/a?fieldManager=contract",
            "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"a\"},"
                + "\"data\":{\"k\":\"1\"}}",
            APPLY)
        .expect(201)
        .send(
            "PATCH",
            CM + "/a?fieldManager=contract",
            "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"a\"},"
                + "\"data\":{\"k\":\"2\"}}",
            APPLY)
        .expect(200)
        .send(
            "PATCH",
            CM + "/a?fieldManager=contract",
            "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"a\","
                + "\"resourceVersion\":\"{rv@1}\"},\"data\":{\"k\":\"3\"}}",
            APPLY)
        .fails(
            409,
            "Conflict",
            "Operation cannot be fulfilled on configmaps \"a\": " + MODIFIED,
            details("a", "", "configmaps"));
    kase("an unforced apply of another manager's field is 409; a forced one takes it")
        .send(
            "POST",
            CM + "?fieldManager=contract-writer",
            "{\"metadata\":{\"name\":\"a\"},\"data\":{\"k\":\"1\",\"l\":\"1\",\"m\":\"1\"}}")
        .expect(201)
        .send("PATCH", CM + "/a?fieldManager=contract", applyData("a", "k: \"2\""), APPLY)
        .fails(
            409,
            "Conflict",
            "Apply failed with 1 conflict: conflict with \"contract-writer\" using v1: .data.k",
            details(
                null,
                null,
                null,
                cause(
                    "FieldManagerConflict",
                    "conflict with \"contract-writer\" using v1",
                    ".data.k")))
        .send(
            "PATCH", CM + "/a?fieldManager=contract", applyData("a", "k: \"2\"", "l: \"2\""), APPLY)
        .fails(
            409,
            "Conflict",
            "Apply failed with 2 conflicts: conflicts with \"contract-writer\" using v1:\n- .data.k\n-"
                + " .data.l",
            details(
                null,
                null,
                null,
                cause(
                    "FieldManagerConflict",
                    "conflict with \"contract-writer\" using v1",
                    ".data.k"),
                cause(
                    "FieldManagerConflict",
                    "conflict with \"contract-writer\" using v1",
                    ".data.l")))
        .send(
            "PATCH", CM + "/a?fieldManager=contract&force=true", applyData("a", "k: \"2\""), APPLY)
        .expect(200)
        .field("/data", "{\"k\":\"2\",\"l\":\"1\",\"m\":\"1\"}")
        .send("PATCH", CM + "/a?fieldManager=contract", applyData("a", "m: \"1\""), APPLY)
        .expect(200)
        .field("/data", "{\"l\":\"1\",\"m\":\"1\"}");
    kase("server-side apply whose body names another object is 400 BadRequest")
        .send(
            "PATCH",
            CM + "/a?fieldManager=contract",
            "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"b\"}}",
            APPLY)
        .fails(
            400,
            "BadRequest",
            "the name of the object (b) does not match the name on the URL (a)",
            null);
    kase("server-side apply whose body names another namespace is 400 BadRequest")
        .send(
            "PATCH",
            CM + "/a?fieldManager=contract",
            "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\","
                + "\"metadata\":{\"name\":\"a\",\"namespace\":\"kube-system\"}}",
            APPLY)
        .fails(
            400,
            "BadRequest",
            "the namespace of the object (kube-system) does not match the namespace on the request"
                + " ({ns})",
            null);
    kase("server-side apply without apiVersion is 400 BadRequest")
        .send(
            "PATCH",
            CM + "/a?fieldManager=contract",
            "{\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"a\"}}",
            APPLY)
        .fails(
            400,
            "BadRequest",
            "Incorrect version specified in apply patch. Specified patch version: , expected: v1",
            null);

    // ---- RBAC validation, as the API server validates and defaults it
    kase("a RoleBinding with an empty roleRef.name is 422 Required value")
        .send("POST", RB, binding("b", "ClusterRole", "", "{\"kind\":\"Group\",\"name\":\"g\"}"))
        .fails(
            422,
            "Invalid",
            "RoleBinding.rbac.authorization.k8s.io \"b\" is invalid: roleRef.name: Required value",
            details(
                "b",
                RBAC,
                "RoleBinding",
                cause("FieldValueRequired", "Required value", "roleRef.name")));
    kase("a binding subject of an unknown kind is 422 Unsupported value")
        .send("POST", RB, binding("b", "ClusterRole", "view", "{\"kind\":\"Team\",\"name\":\"x\"}"))
        .fails(
            422,
            "Invalid",
            "RoleBinding.rbac.authorization.k8s.io \"b\" is invalid: subjects[0].kind: Unsupported"
                + " value: \"Team\": "
                + SUBJECT_KINDS,
            details(
                "b",
                RBAC,
                "RoleBinding",
                cause(
                    "FieldValueNotSupported",
                    "Unsupported value: \"Team\": " + SUBJECT_KINDS,
                    "subjects[0].kind")));
    kase("a User subject of another apiGroup is 422 Unsupported value")
        .send(
            "POST",
            RB,
            binding(
                "b",
                "ClusterRole",
                "view",
                "{\"kind\":\"User\",\"name\":\"u\",\"apiGroup\":\"wrong\"}"))
        .fails(
            422,
            "Invalid",
            "RoleBinding.rbac.authorization.k8s.io \"b\" is invalid: subjects[0].apiGroup:"
                + " Unsupported value: \"wrong\": supported values: \"rbac.authorization.k8s.io\"",
            details(
                "b",
                RBAC,
                "RoleBinding",
                cause(
                    "FieldValueNotSupported",
                    "Unsupported value: \"wrong\": supported values: \"rbac.authorization.k8s.io\"",
                    "subjects[0].apiGroup")));
    kase("a binding without a roleRef is 422 with every error")
        .send("POST", RB, "{\"metadata\":{\"name\":\"b\"}}")
        .fails(
            422,
            "Invalid",
            "RoleBinding.rbac.authorization.k8s.io \"b\" is invalid: [roleRef.kind: Unsupported"
                + " value: \"\": supported values: \"Role\", \"ClusterRole\", roleRef.name: Required"
                + " value]",
            details(
                "b",
                RBAC,
                "RoleBinding",
                cause(
                    "FieldValueNotSupported",
                    "Unsupported value: \"\": supported values: \"Role\", \"ClusterRole\"",
                    "roleRef.kind"),
                cause("FieldValueRequired", "Required value", "roleRef.name")));
    kase("a Group subject and a roleRef without apiGroup are given rbac.authorization.k8s.io")
        .send(
            "POST",
            RB,
            "{\"metadata\":{\"name\":\"b\"},\"roleRef\":{\"kind\":\"ClusterRole\",\"name\":\"view\"},"
                + "\"subjects\":[{\"kind\":\"Group\",\"name\":\"g\"},"
                + "{\"kind\":\"ServiceAccount\",\"name\":\"sa\"}]}")
        .expect(201)
        .field("/roleRef/apiGroup", "\"rbac.authorization.k8s.io\"")
        .field("/subjects/0/apiGroup", "\"rbac.authorization.k8s.io\"")
        .field("/subjects/1/apiGroup", null)
        .field("/subjects/1/namespace", null)
        .field("/metadata/namespace", "\"{ns}\"");
    kase("a ServiceAccount subject of a ClusterRoleBinding needs a namespace")
        .send(
            "POST",
            CRB,
            binding(
                "sa-{s}", "ClusterRole", "view", "{\"kind\":\"ServiceAccount\",\"name\":\"sa\"}"))
        .fails(
            422,
            "Invalid",
            "ClusterRoleBinding.rbac.authorization.k8s.io \"sa-{s}\" is invalid: subjects[0].namespace:"
                + " Required value",
            details(
                "sa-{s}",
                RBAC,
                "ClusterRoleBinding",
                cause("FieldValueRequired", "Required value", "subjects[0].namespace")));
    kase("a ServiceAccount subject's name must be a DNS subdomain")
        .send(
            "POST",
            RB,
            binding(
                "b",
                "ClusterRole",
                "view",
                "{\"kind\":\"ServiceAccount\",\"name\":\"bad:name\",\"namespace\":\"default\"}"))
        .fails(
            422,
            "Invalid",
            "RoleBinding.rbac.authorization.k8s.io \"b\" is invalid: subjects[0].name: Invalid"
                + " value: \"bad:name\": "
                + SUBDOMAIN,
            details(
                "b",
                RBAC,
                "RoleBinding",
                cause(
                    "FieldValueInvalid",
                    "Invalid value: \"bad:name\": " + SUBDOMAIN,
                    "subjects[0].name")));
    kase("a ClusterRoleBinding cannot reference a Role")
        .send("POST", CRB, binding("r-{s}", "Role", "view", null))
        .fails(
            422,
            "Invalid",
            "ClusterRoleBinding.rbac.authorization.k8s.io \"r-{s}\" is invalid: roleRef.kind:"
                + " Unsupported value: \"Role\": supported values: \"ClusterRole\"",
            details(
                "r-{s}",
                RBAC,
                "ClusterRoleBinding",
                cause(
                    "FieldValueNotSupported",
                    "Unsupported value: \"Role\": supported values: \"ClusterRole\"",
                    "roleRef.kind")));
    kase("a binding's roleRef.name may not hold a slash")
        .send("POST", RB, binding("b", "ClusterRole", "no/slash", null))
        .fails(
            422,
            "Invalid",
            "RoleBinding.rbac.authorization.k8s.io \"b\" is invalid: roleRef.name: Invalid value:"
                + " \"no/slash\": may not contain '/'",
            details(
                "b",
                RBAC,
                "RoleBinding",
                cause(
                    "FieldValueInvalid",
                    "Invalid value: \"no/slash\": may not contain '/'",
                    "roleRef.name")));
    kase("a binding's roleRef cannot change by PUT")
        .send("POST", RB, binding("b", "ClusterRole", "view", null))
        .expect(201)
        .send("PUT", RB + "/b", binding("b", "ClusterRole", "edit", null))
        .fails(
            422,
            "Invalid",
            "RoleBinding.rbac.authorization.k8s.io \"b\" is invalid: roleRef: Invalid value:"
                + " rbac.RoleRef{APIGroup:\"rbac.authorization.k8s.io\", Kind:\"ClusterRole\","
                + " Name:\"edit\"}: cannot change roleRef",
            details(
                "b",
                RBAC,
                "RoleBinding",
                cause(
                    "FieldValueInvalid",
                    "Invalid value: rbac.RoleRef{APIGroup:\"rbac.authorization.k8s.io\","
                        + " Kind:\"ClusterRole\", Name:\"edit\"}: cannot change roleRef",
                    "roleRef")));
    kase("a binding's roleRef cannot change by server-side apply or merge patch")
        .send(
            "PATCH",
            CRB + "/apply-{s}?fieldManager=contract",
            "{\"apiVersion\":\"rbac.authorization.k8s.io/v1\",\"kind\":\"ClusterRoleBinding\","
                + "\"metadata\":{\"name\":\"apply-{s}\"},\"roleRef\":{\"apiGroup\":"
                + "\"rbac.authorization.k8s.io\",\"kind\":\"ClusterRole\",\"name\":\"view\"}}",
            APPLY)
        .expect(201)
        .send(
            "PATCH",
            CRB + "/apply-{s}?fieldManager=contract",
            "{\"apiVersion\":\"rbac.authorization.k8s.io/v1\",\"kind\":\"ClusterRoleBinding\","
                + "\"metadata\":{\"name\":\"apply-{s}\"},\"roleRef\":{\"apiGroup\":"
                + "\"rbac.authorization.k8s.io\",\"kind\":\"ClusterRole\",\"name\":\"edit\"}}",
            APPLY)
        .fails(
            422,
            "Invalid",
            "ClusterRoleBinding.rbac.authorization.k8s.io \"apply-{s}\" is invalid: roleRef: Invalid"
                + " value: rbac.RoleRef{APIGroup:\"rbac.authorization.k8s.io\","
                + " Kind:\"ClusterRole\", Name:\"edit\"}: cannot change roleRef",
            details(
                "apply-{s}",
                RBAC,
                "ClusterRoleBinding",
                cause(
                    "FieldValueInvalid",
                    "Invalid value: rbac.RoleRef{APIGroup:\"rbac.authorization.k8s.io\","
                        + " Kind:\"ClusterRole\", Name:\"edit\"}: cannot change roleRef",
                    "roleRef")))
        .send("PATCH", CRB + "/apply-{s}", "{\"roleRef\":{\"name\":\"edit\"}}", MERGE)
        .fails(
            422,
            "Invalid",
            "ClusterRoleBinding.rbac.authorization.k8s.io \"apply-{s}\" is invalid: roleRef: Invalid"
                + " value: rbac.RoleRef{APIGroup:\"rbac.authorization.k8s.io\","
                + " Kind:\"ClusterRole\", Name:\"edit\"}: cannot change roleRef",
            details(
                "apply-{s}",
                RBAC,
                "ClusterRoleBinding",
                cause(
                    "FieldValueInvalid",
                    "Invalid value: rbac.RoleRef{APIGroup:\"rbac.authorization.k8s.io\","
                        + " Kind:\"ClusterRole\", Name:\"edit\"}: cannot change roleRef",
                    "roleRef")));
    kase("an update of a binding reports each subject error twice in causes, once in the message")
        .send("POST", RB, binding("b", "ClusterRole", "view", "{\"kind\":\"User\",\"name\":\"u\"}"))
        .expect(201)
        .send("PATCH", RB + "/b", "{\"subjects\":[{\"kind\":\"Bad\",\"name\":\"u\"}]}", MERGE)
        .fails(
            422,
            "Invalid",
            "RoleBinding.rbac.authorization.k8s.io \"b\" is invalid: subjects[0].kind: Unsupported"
                + " value: \"Bad\": "
                + SUBJECT_KINDS,
            details(
                "b",
                RBAC,
                "RoleBinding",
                cause(
                    "FieldValueNotSupported",
                    "Unsupported value: \"Bad\": " + SUBJECT_KINDS,
                    "subjects[0].kind"),
                cause(
                    "FieldValueNotSupported",
                    "Unsupported value: \"Bad\": " + SUBJECT_KINDS,
                    "subjects[0].kind")));
    kase("a merge patch replaces a binding's subjects; a JSON patch appends to them")
        .send("POST", RB, binding("b", "ClusterRole", "view", "{\"kind\":\"User\",\"name\":\"u\"}"))
        .expect(201)
        .send("PATCH", RB + "/b", "{\"subjects\":[{\"kind\":\"Group\",\"name\":\"g\"}]}", STRATEGIC)
        .expect(200)
        .field(
            "/subjects",
            "[{\"kind\":\"Group\",\"apiGroup\":\"rbac.authorization.k8s.io\",\"name\":\"g\"}]")
        .send(
            "PATCH",
            RB + "/b",
            "[{\"op\":\"add\",\"path\":\"/subjects/-\",\"value\":{\"kind\":\"User\",\"name\":\"v\"}}]",
            JSON_PATCH)
        .expect(200)
        .field(
            "/subjects",
            "[{\"kind\":\"Group\",\"apiGroup\":\"rbac.authorization.k8s.io\",\"name\":\"g\"},"
                + "{\"kind\":\"User\",\"apiGroup\":\"rbac.authorization.k8s.io\",\"name\":\"v\"}]");
    kase("a RoleBinding may be created by a PUT, but not in a namespace that does not exist")
        .send("PUT", RB + "/b", binding("b", "ClusterRole", "view", null))
        .expect(201)
        .field("/metadata/namespace", "\"{ns}\"")
        .send(
            "PUT",
            "/apis/rbac.authorization.k8s.io/v1/namespaces/none-{s}/rolebindings/b",
            binding("b", "ClusterRole", "view", null))
        .fails(
            404,
            "NotFound",
            "namespaces \"none-{s}\" not found",
            details("none-{s}", "", "namespaces"));
    kase("a Role rule without verbs is 422 Required value")
        .send(
            "POST",
            ROLES,
            "{\"metadata\":{\"name\":\"r\"},\"rules\":[{\"apiGroups\":[\"\"],\"resources\":[\"pods\"]}]}")
        .fails(
            422,
            "Invalid",
            "Role.rbac.authorization.k8s.io \"r\" is invalid: rules[0].verbs: Required value: verbs"
                + " must contain at least one value",
            details(
                "r",
                RBAC,
                "Role",
                cause(
                    "FieldValueRequired",
                    "Required value: verbs must contain at least one value",
                    "rules[0].verbs")));
    kase("a Role rule without apiGroups and resources is 422 with both errors")
        .send("POST", ROLES, "{\"metadata\":{\"name\":\"r\"},\"rules\":[{\"verbs\":[\"get\"]}]}")
        .fails(
            422,
            "Invalid",
            "Role.rbac.authorization.k8s.io \"r\" is invalid: [rules[0].apiGroups: Required value:"
                + " resource rules must supply at least one api group, rules[0].resources: Required"
                + " value: resource rules must supply at least one resource]",
            details(
                "r",
                RBAC,
                "Role",
                cause(
                    "FieldValueRequired",
                    "Required value: resource rules must supply at least one api group",
                    "rules[0].apiGroups"),
                cause(
                    "FieldValueRequired",
                    "Required value: resource rules must supply at least one resource",
                    "rules[0].resources")));
    kase("a Role cannot hold non-resource URLs")
        .send(
            "POST",
            ROLES,
            "{\"metadata\":{\"name\":\"r\"},\"rules\":[{\"verbs\":[\"get\"],\"nonResourceURLs\":[\"/x\"]}]}")
        .fails(
            422,
            "Invalid",
            "Role.rbac.authorization.k8s.io \"r\" is invalid: rules[0].nonResourceURLs: Invalid"
                + " value: []string{\"/x\"}: namespaced rules cannot apply to non-resource URLs",
            details(
                "r",
                RBAC,
                "Role",
                cause(
                    "FieldValueInvalid",
                    "Invalid value: []string{\"/x\"}: namespaced rules cannot apply to non-resource"
                        + " URLs",
                    "rules[0].nonResourceURLs")));
    kase("a ClusterRole rule cannot mix resources and non-resource URLs")
        .send(
            "POST",
            CR,
            "{\"metadata\":{\"name\":\"mix-{s}\"},\"rules\":[{\"verbs\":[\"get\"],"
                + "\"nonResourceURLs\":[\"/x\"],\"resources\":[\"pods\"]}]}")
        .fails(
            422,
            "Invalid",
            "ClusterRole.rbac.authorization.k8s.io \"mix-{s}\" is invalid: rules[0].nonResourceURLs:"
                + " Invalid value: []string{\"/x\"}: rules cannot apply to both regular resources"
                + " and non-resource URLs",
            details(
                "mix-{s}",
                RBAC,
                "ClusterRole",
                cause(
                    "FieldValueInvalid",
                    "Invalid value: []string{\"/x\"}: rules cannot apply to both regular resources"
                        + " and non-resource URLs",
                    "rules[0].nonResourceURLs")));
    kase("an aggregation rule needs a selector")
        .send(
            "POST",
            CR,
            "{\"metadata\":{\"name\":\"agg-{s}\"},\"aggregationRule\":{\"clusterRoleSelectors\":[]}}")
        .fails(
            422,
            "Invalid",
            "ClusterRole.rbac.authorization.k8s.io \"agg-{s}\" is invalid:"
                + " aggregationRule.clusterRoleSelectors: Required value: at least one"
                + " clusterRoleSelector required if aggregationRule is non-nil",
            details(
                "agg-{s}",
                RBAC,
                "ClusterRole",
                cause(
                    "FieldValueRequired",
                    "Required value: at least one clusterRoleSelector required if aggregationRule"
                        + " is non-nil",
                    "aggregationRule.clusterRoleSelectors")));
    kase("RBAC names are path segments: a colon is fine, '%' and '..' are not")
        .send("POST", CRB, binding("eks-access:{s}", "ClusterRole", "view", null))
        .expect(201)
        .send("POST", CRB, binding("a%{s}", "ClusterRole", "view", null))
        .fails(
            422,
            "Invalid",
            "ClusterRoleBinding.rbac.authorization.k8s.io \"a%{s}\" is invalid: metadata.name:"
                + " Invalid value: \"a%{s}\": may not contain '%'",
            details(
                "a%{s}",
                RBAC,
                "ClusterRoleBinding",
                cause(
                    "FieldValueInvalid",
                    "Invalid value: \"a%{s}\": may not contain '%'",
                    "metadata.name")))
        .send("POST", CRB, binding("..", "ClusterRole", "view", null))
        .fails(
            422,
            "Invalid",
            "ClusterRoleBinding.rbac.authorization.k8s.io \"..\" is invalid: metadata.name: Invalid"
                + " value: \"..\": may not be '..'",
            details(
                "..",
                RBAC,
                "ClusterRoleBinding",
                cause(
                    "FieldValueInvalid",
                    "Invalid value: \"..\": may not be '..'",
                    "metadata.name")));
    kase("RBAC errors name the resource with its group")
        .send("POST", CRB, binding("crb-{s}", "ClusterRole", "view", null))
        .expect(201)
        .send("POST", CRB, binding("crb-{s}", "ClusterRole", "view", null))
        .fails(
            409,
            "AlreadyExists",
            "clusterrolebindings.rbac.authorization.k8s.io \"crb-{s}\" already exists",
            details("crb-{s}", RBAC, "clusterrolebindings"))
        .send(
            "PUT",
            CRB + "/crb-{s}",
            "{\"metadata\":{\"name\":\"crb-{s}\",\"resourceVersion\":\"1\"},\"roleRef\":"
                + "{\"apiGroup\":\"rbac.authorization.k8s.io\",\"kind\":\"ClusterRole\",\"name\":\"view\"}}")
        .fails(
            409,
            "Conflict",
            "Operation cannot be fulfilled on clusterrolebindings.rbac.authorization.k8s.io"
                + " \"crb-{s}\": "
                + MODIFIED,
            details("crb-{s}", RBAC, "clusterrolebindings"))
        .send("GET", CRB + "/none-{s}")
        .fails(
            404,
            "NotFound",
            "clusterrolebindings.rbac.authorization.k8s.io \"none-{s}\" not found",
            details("none-{s}", RBAC, "clusterrolebindings"))
        .send("DELETE", CRB + "/crb-{s}", "{\"preconditions\":{\"resourceVersion\":\"1\"}}")
        .fails(
            409,
            "Conflict",
            "Operation cannot be fulfilled on ClusterRoleBinding.rbac.authorization.k8s.io"
                + " \"crb-{s}\": the ResourceVersion in the precondition (1) does not match the"
                + " ResourceVersion in record ({rv@1}). The object might have been modified",
            details("crb-{s}", RBAC, "ClusterRoleBinding"))
        .send("DELETE", CRB + "/crb-{s}")
        .succeedsWith(200, detailsWithUid("crb-{s}", RBAC, "clusterrolebindings", "{uid@1}"));
    kase("a namespaced kind on a cluster path takes no POST")
        .send(
            "POST",
            "/apis/rbac.authorization.k8s.io/v1/rolebindings",
            binding("b", "ClusterRole", "view", null))
        .fails(
            405,
            "MethodNotAllowed",
            "the server does not allow this method on the requested resource",
            details(null, null, null));

    // ---- namespaces
    kase("a namespace is created Active, once, and deleting it starts its termination")
        .send("POST", NS, "{\"metadata\":{\"name\":\"kac2-{s}\"}}")
        .expect(201)
        .field("/status/phase", "\"Active\"")
        .field("/spec/finalizers", "[\"kubernetes\"]")
        .send("POST", NS, "{\"metadata\":{\"name\":\"kac2-{s}\"}}")
        .fails(
            409,
            "AlreadyExists",
            "namespaces \"kac2-{s}\" already exists",
            details("kac2-{s}", "", "namespaces"))
        .send("DELETE", NS + "/kac2-{s}")
        .expect(200)
        .field("/kind", "\"Namespace\"")
        .field("/status/phase", "\"Terminating\"");
    kase("a namespace name must be a DNS label")
        .send("POST", NS, "{\"metadata\":{\"name\":\"Bad_NS\"}}")
        .fails(
            422,
            "Invalid",
            "Namespace \"Bad_NS\" is invalid: metadata.name: Invalid value: \"Bad_NS\": "
                + DNS_LABEL,
            details(
                "Bad_NS",
                "",
                "Namespace",
                cause(
                    "FieldValueInvalid",
                    "Invalid value: \"Bad_NS\": " + DNS_LABEL,
                    "metadata.name")));
    kase("the system namespaces may not be deleted")
        .send("DELETE", NS + "/kube-system")
        .fails(
            403,
            "Forbidden",
            "namespaces \"kube-system\" is forbidden: this namespace may not be deleted",
            details("kube-system", "", "namespaces"));
    kase("a namespace that does not exist is 404")
        .send("GET", NS + "/none-{s}")
        .fails(
            404,
            "NotFound",
            "namespaces \"none-{s}\" not found",
            details("none-{s}", "", "namespaces"))
        .send("DELETE", NS + "/none-{s}")
        .fails(
            404,
            "NotFound",
            "namespaces \"none-{s}\" not found",
            details("none-{s}", "", "namespaces"));
  }

  // ---------------------------------------------------------------------------------------------
  // the case model

  private static Case kase(String name) {
    Case c = new Case(name);
    CASES.add(c);
    return c;
  }

  /** A binding body; {@code subject} is a JSON object or null for none. */
  private static String binding(
      String name, String roleKind, String role, @Nullable String subject) {
    return "{\"metadata\":{\"name\":\""
        + name
        + "\"},\"roleRef\":{\"apiGroup\":\"rbac.authorization.k8s.io\",\"kind\":\""
        + roleKind
        + "\",\"name\":\""
        + role
        + "\"}"
        + (subject == null ? "" : ",\"subjects\":[" + subject + "]")
        + "}";
  }

  /** A server-side apply body of a ConfigMap with these data lines ({@code k: v}). */
  private static String applyData(String name, String... lines) {
    StringBuilder b =
        new StringBuilder(
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: " + name + "\ndata:\n");
    for (String l : lines) {
      b.append("  ").append(l).append('\n');
    }
    return b.toString();
  }

  /**
   * A ConfigMap whose values hold {@code dataBytes} bytes, plus one byte of binaryData if asked.
   */
  private static String configMapOfSize(String name, int dataBytes, boolean oneBinaryByte) {
    return "{\"metadata\":{\"name\":\""
        + name
        + "\"},\"data\":{\"a-long-key-that-does-not-count\":\""
        + "x".repeat(dataBytes)
        + "\"}"
        + (oneBinaryByte ? ",\"binaryData\":{\"b\":\"eA==\"}" : "")
        + "}";
  }

  private static ObjectNode details(
      @Nullable String name, @Nullable String group, @Nullable String kind, ObjectNode... causes) {
    ObjectNode d = JSON.createObjectNode();
    if (name != null && !name.isEmpty()) {
      d.put("name", name);
    }
    if (group != null && !group.isEmpty()) {
      d.put("group", group);
    }
    if (kind != null) {
      d.put("kind", kind);
    }
    if (causes.length > 0) {
      ArrayNode a = d.putArray("causes");
      for (ObjectNode c : causes) {
        a.add(c);
      }
    }
    return d;
  }

  private static ObjectNode detailsWithUid(String name, String group, String kind, String uid) {
    return details(name, group, kind).put("uid", uid);
  }

  private static ObjectNode cause(String reason, String message, String field) {
    ObjectNode c = JSON.createObjectNode();
    c.put("reason", reason).put("message", message).put("field", field);
    return c;
  }

  /** One request and what the server must answer. */
  private static final class Step {
    final String method;
    final String path;
    final @Nullable String body;
    final String contentType;
    int status;
    boolean statusBody;
    @Nullable String reason;
    @Nullable String message;
    @Nullable ObjectNode details;
    final Map<String, @Nullable String> fields = new LinkedHashMap<>();
    final Map<String, List<String>> names = new LinkedHashMap<>();

    Step(String method, String path, @Nullable String body, String contentType) {
      this.method = method;
      this.path = path;
      this.body = body;
      this.contentType = contentType;
    }
  }

  /** A named sequence of requests, each checked. */
  private static final class Case {
    final String name;
    final List<Step> steps = new ArrayList<>();

    Case(String name) {
      this.name = name;
    }

    Case send(String method, String path) {
      return send(method, path, null, "application/json");
    }

    Case send(String method, String path, @Nullable String body) {
      return send(method, path, body, "application/json");
    }

    Case send(String method, String path, @Nullable String body, String contentType) {
      steps.add(new Step(method, path, body, contentType));
      return this;
    }

    private Step last() {
      return steps.get(steps.size() - 1);
    }

    /** The request succeeds with this status and an object. */
    Case expect(int status) {
      last().status = status;
      return this;
    }

    /** The request fails with a {@code Status} object. */
    Case fails(int status, @Nullable String reason, String message, @Nullable ObjectNode details) {
      Step s = last();
      s.status = status;
      s.statusBody = true;
      s.reason = reason;
      s.message = message;
      s.details = details;
      return this;
    }

    /** The request succeeds with a {@code Status} object (a DELETE). */
    Case succeedsWith(int status, ObjectNode details) {
      Step s = last();
      s.status = status;
      s.statusBody = true;
      s.details = details;
      return this;
    }

    /**
     * The answer's field at this JSON pointer is this JSON, or absent when {@code json} is null.
     */
    Case field(String pointer, @Nullable String json) {
      last().fields.put(pointer, json);
      return this;
    }

    /** The names of the items of the list at this pointer, in order. */
    Case names(String pointer, String... expected) {
      last().names.put(pointer, List.of(expected));
      return this;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // running a case

  private void run(Case c) throws IOException, InterruptedException {
    String suffix = Long.toString(RANDOM.nextLong() & 0xffffffffffL, 36);
    Map<String, String> vars = new HashMap<>();
    vars.put("s", suffix);
    vars.put("ns", "kac-" + suffix);
    List<String> cleanup = new ArrayList<>();
    Answer ns =
        send("POST", NS, "{\"metadata\":{\"name\":\"kac-" + suffix + "\"}}", "application/json");
    assertThat(ns.status)
        .as("the server creates the case's namespace kac-%s: %s", suffix, ns.text)
        .isEqualTo(201);
    try {
      for (int i = 0; i < c.steps.size(); i++) {
        Step step = c.steps.get(i);
        String path = fill(step.path, vars);
        Answer a =
            send(
                step.method,
                path,
                step.body == null ? null : fill(step.body, vars),
                step.contentType);
        remember(a, i + 1, vars, cleanup);
        assertThat(actualView(step, a))
            .as(
                "step %d of \"%s\": %s %s%nthe server answered: %s",
                i + 1,
                c.name,
                step.method,
                path,
                a.text.length() > 2000 ? a.text.substring(0, 2000) + "…" : a.text)
            .isEqualTo(expectedView(step, vars));
      }
    } finally {
      for (String path : cleanup) {
        send("DELETE", path, null, "application/json");
      }
      send("DELETE", NS + "/kac-" + suffix, null, "application/json");
    }
  }

  /** An answer: status code, body text and body JSON (missing if not JSON). */
  private record Answer(int status, String text, JsonNode json) {}

  private Answer send(String method, String path, @Nullable String body, String contentType)
      throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(baseUrl() + path))
            .header("Accept", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      b.header("Content-Type", contentType);
    }
    HttpResponse<String> r =
        httpClient().send(authorize(b).build(), HttpResponse.BodyHandlers.ofString());
    JsonNode json;
    try {
      json = JSON.readTree(r.body());
    } catch (JsonProcessingException e) {
      json = MissingNode.getInstance();
    }
    return new Answer(r.statusCode(), r.body(), json == null ? MissingNode.getInstance() : json);
  }

  /** Keeps the step's resourceVersion, uid and continue token; notes cluster objects to delete. */
  private static void remember(Answer a, int step, Map<String, String> vars, List<String> cleanup) {
    JsonNode meta = a.json.path("metadata");
    if (meta.has("resourceVersion")) {
      vars.put("rv@" + step, meta.path("resourceVersion").asText());
    }
    if (meta.has("uid")) {
      vars.put("uid@" + step, meta.path("uid").asText());
    }
    if (meta.has("continue")) {
      vars.put("continue@" + step, meta.path("continue").asText());
    }
    if (a.status == 201) {
      String name = meta.path("name").asText("");
      switch (a.json.path("kind").asText("")) {
        case "Namespace" -> cleanup.add(NS + "/" + name);
        case "ClusterRole" -> cleanup.add(CR + "/" + name);
        case "ClusterRoleBinding" -> cleanup.add(CRB + "/" + name);
        default -> {
          // namespaced objects go with the case's namespace
        }
      }
    }
  }

  private static String fill(String text, Map<String, String> vars) {
    Matcher m = PLACEHOLDER.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String v = vars.get(m.group(1));
      m.appendReplacement(out, Matcher.quoteReplacement(v == null ? "<no " + m.group(1) + ">" : v));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static String expectedView(Step s, Map<String, String> vars) {
    StringBuilder v = new StringBuilder("status " + s.status + "\n");
    if (s.statusBody) {
      v.append("kind Status\n");
      v.append("outcome ").append(s.status < 400 ? "Success" : "Failure").append('\n');
      v.append("reason ").append(s.reason == null ? "-" : s.reason).append('\n');
      v.append("message ").append(s.message == null ? "-" : fill(s.message, vars)).append('\n');
      v.append("details ")
          .append(s.details == null ? "-" : canonical(fillJson(s.details, vars)))
          .append('\n');
    }
    s.fields.forEach(
        (pointer, json) ->
            v.append(pointer)
                .append(' ')
                .append(json == null ? "<absent>" : canonical(parse(fill(json, vars))))
                .append('\n'));
    s.names.forEach(
        (pointer, names) -> v.append(pointer).append(" names ").append(names).append('\n'));
    return v.toString();
  }

  private static String actualView(Step s, Answer a) {
    StringBuilder v = new StringBuilder("status " + a.status + "\n");
    JsonNode j = a.json;
    if (s.statusBody) {
      v.append("kind ")
          .append(j.path("kind").asText("<not a Status: " + a.text + ">"))
          .append('\n');
      v.append("outcome ").append(j.path("status").asText("-")).append('\n');
      v.append("reason ").append(j.path("reason").asText("-")).append('\n');
      v.append("message ").append(j.path("message").asText("-")).append('\n');
      v.append("details ")
          .append(j.has("details") ? canonical(j.path("details")) : "-")
          .append('\n');
    }
    s.fields.forEach(
        (pointer, json) -> {
          JsonNode at = j.at(pointer);
          v.append(pointer)
              .append(' ')
              .append(at.isMissingNode() || at.isNull() ? "<absent>" : canonical(at))
              .append('\n');
        });
    s.names.forEach(
        (pointer, names) -> {
          List<String> got = new ArrayList<>();
          j.at(pointer).forEach(item -> got.add(item.path("metadata").path("name").asText()));
          v.append(pointer).append(" names ").append(got).append('\n');
        });
    return v.toString();
  }

  private static JsonNode fillJson(JsonNode node, Map<String, String> vars) {
    return parse(fill(node.toString(), vars));
  }

  private static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not JSON: " + json, e);
    }
  }

  private static String canonical(JsonNode node) {
    try {
      return JSON.writeValueAsString(JSON.treeToValue(node, Object.class));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + baseUrl().toLowerCase(Locale.ROOT) + "]";
  }
}
