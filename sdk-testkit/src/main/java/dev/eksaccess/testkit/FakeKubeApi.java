package dev.eksaccess.testkit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.http.QueryParameter;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import dev.eksaccess.testkit.KubeValidation.FieldError;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * A Kubernetes API server on a free loopback port, for code that uses the real Kubernetes client.
 * It keeps state and answers as kube-apiserver v1.20 does, word for word, for the objects
 * eks-access uses (ConfigMaps, Roles, ClusterRoles, RoleBindings, ClusterRoleBindings) and for
 * Namespaces:
 *
 * <ul>
 *   <li>get, list with {@code limit}, {@code continue} and an equality {@code labelSelector};
 *   <li>create (409 {@code AlreadyExists}; 404 {@code namespaces "x" not found} in a namespace that
 *       does not exist; the namespace of the path when the body has none), replace with a {@code
 *       resourceVersion} precondition (409 {@code Conflict}; RBAC objects may be created by a
 *       replace, ConfigMaps may not), delete with {@code preconditions} on {@code uid} and {@code
 *       resourceVersion} (409, the object kept), {@code dryRun=All};
 *   <li>merge patch, strategic merge patch and JSON patch; server-side apply ({@code
 *       application/apply-patch+yaml}) with field managers: map entries ({@code data}, labels,
 *       annotations) owned per key, other fields whole, an unforced apply that changes another
 *       manager's field refused with the API server's conflict, fields a manager stops applying
 *       removed;
 *   <li>the API server's defaulting and validation (1 MiB of ConfigMap values, names, label and
 *       data keys, RBAC roleRefs, subjects and rules, an immutable roleRef), with its {@code
 *       Status} reasons, messages and details (causes included);
 *   <li>a namespace registry seeded with {@code default}, {@code kube-system}, {@code kube-public}
 *       and {@code kube-node-lease}; {@link #addNamespace(String...)} adds more, and {@code
 *       /api/v1/namespaces} serves create, get, list and delete (which removes the namespace and
 *       everything in it at once, where a real server finalizes it within seconds).
 * </ul>
 *
 * <p>{@code KubeApiContract} holds it to the answers of a real kube-apiserver, request by request.
 * Faults can be queued per HTTP method.
 *
 * <pre>{@code
 * try (FakeKubeApi api = FakeKubeApi.start()) {
 *   api.putConfigMap("kube-system", "aws-auth", Map.of("mapRoles", "[]"));
 *   api.addNamespace("prod-apps");          // as on a real cluster, RoleBindings need it
 *   ApiClient client = new ClientBuilder().setBasePath(api.baseUrl()).build();
 *   api.inject("PUT", KubeFault.conflict());
 *   // ... run the code under test with client ...
 *   assertThat(api.requests()).contains("GET /api/v1/namespaces/kube-system/configmaps/aws-auth");
 * }
 * }</pre>
 *
 * <p>Thread-safe: requests are served one at a time against one state, as etcd orders them.
 */
public final class FakeKubeApi extends WireFake<KubeFault, FakeKubeApi> {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern PATH =
      Pattern.compile(
          "^/(api/v1|apis/rbac\\.authorization\\.k8s\\.io/v1)"
              + "(?:/namespaces/([^/]+))?/([a-z]+)(?:/([^/]+))?$");
  private static final String RBAC = KubeValidation.RBAC_GROUP;

  /** The namespaces every cluster starts with. */
  public static final List<String> DEFAULT_NAMESPACES =
      List.of("default", "kube-system", "kube-public", "kube-node-lease");

  /** Namespaces the API server refuses to delete. */
  private static final Set<String> IMMORTAL = Set.of("default", "kube-system", "kube-public");

  /** A resource this fake serves. */
  private record Kind(
      String plural, String kind, String group, boolean namespaced, String internalGroup) {
    String apiVersion() {
      return group.isEmpty() ? "v1" : group + "/v1";
    }

    /**
     * The resource as errors name it: {@code configmaps}, {@code roles.rbac.authorization.k8s.io}.
     */
    String resource() {
      return group.isEmpty() ? plural : plural + "." + group;
    }

    /** The kind as validation errors name it: {@code ConfigMap}, {@code Role.rbac...}. */
    String qualifiedKind() {
      return group.isEmpty() ? kind : kind + "." + group;
    }

    boolean allowsCreateOnUpdate() {
      return group.equals(RBAC);
    }
  }

  private static final Map<String, Kind> KINDS =
      Map.of(
          "configmaps", new Kind("configmaps", "ConfigMap", "", true, "core"),
          "namespaces", new Kind("namespaces", "Namespace", "", false, "core"),
          "roles", new Kind("roles", "Role", RBAC, true, "rbac"),
          "rolebindings", new Kind("rolebindings", "RoleBinding", RBAC, true, "rbac"),
          "clusterroles", new Kind("clusterroles", "ClusterRole", RBAC, false, "rbac"),
          "clusterrolebindings",
              new Kind("clusterrolebindings", "ClusterRoleBinding", RBAC, false, "rbac"));

  /** Kinds the API server's scheme knows in each API version, for its decoding errors. */
  private static final Map<String, Set<String>> SCHEME =
      Map.of(
          "v1",
          Set.of("ConfigMap", "Secret", "Namespace", "Pod", "Service", "ServiceAccount"),
          RBAC + "/v1",
          Set.of("Role", "RoleBinding", "ClusterRole", "ClusterRoleBinding"));

  // key: plural/namespace/name ("" namespace for cluster-scoped objects and namespaces)
  private final TreeMap<String, ObjectNode> objects = new TreeMap<>();
  // key → manager ("apply:NAME" or "update:NAME") → the fields it owns (".data.k", ".subjects")
  private final Map<String, Map<String, Set<String>>> managed = new HashMap<>();
  private long resourceVersion = 1000;

  private FakeKubeApi() {
    super("eks-access-fake-kube-api");
    for (String ns : DEFAULT_NAMESPACES) {
      storeNamespace(ns);
    }
  }

  /**
   * Starts a fake API server on a free loopback port, with the default namespaces and no other
   * objects.
   *
   * @return the running server; close it when done
   */
  public static FakeKubeApi start() {
    return new FakeKubeApi();
  }

  /**
   * Adds namespaces, as {@code kubectl create namespace} would; one that exists is kept as it is.
   * Objects can be created in a namespace only once it exists, as on a real cluster.
   *
   * <pre>{@code
   * FakeKubeApi api = FakeKubeApi.start().addNamespace("prod-apps", "staging-apps");
   * }</pre>
   *
   * @param names the namespaces
   * @return this
   * @throws IllegalArgumentException if a name is not a DNS label, as the API server requires
   */
  public synchronized FakeKubeApi addNamespace(String... names) {
    for (String name : names) {
      List<String> errors = KubeValidation.dnsLabel(Objects.requireNonNull(name, "name"));
      if (!errors.isEmpty()) {
        throw new IllegalArgumentException(
            "namespace \"" + name + "\" is not a valid name: " + String.join("; ", errors));
      }
      if (!objects.containsKey(key("namespaces", "", name))) {
        storeNamespace(name);
      }
    }
    return this;
  }

  /**
   * The namespaces that exist now, sorted.
   *
   * @return their names
   */
  public synchronized List<String> namespaces() {
    List<String> out = new ArrayList<>();
    for (String key : objects.subMap("namespaces/", "namespaces0").keySet()) {
      out.add(key.substring("namespaces//".length()));
    }
    return out;
  }

  private void storeNamespace(String name) {
    ObjectNode ns = JSON.createObjectNode();
    ns.putObject("metadata").put("name", name);
    KubeValidation.applyDefaults("Namespace", ns);
    store(key("namespaces", "", name), kind("namespaces"), ns, null);
  }

  /**
   * Stores a ConfigMap, as if created or replaced by someone else (its namespace is created if it
   * does not exist yet).
   *
   * @param namespace the namespace
   * @param name the name
   * @param data the data keys and values
   * @return the new {@code resourceVersion}
   * @throws IllegalArgumentException if the API server would refuse the ConfigMap, with its reason
   */
  public synchronized String putConfigMap(String namespace, String name, Map<String, String> data) {
    ObjectNode cm = JSON.createObjectNode();
    cm.putObject("metadata").put("name", name).put("namespace", namespace);
    ObjectNode d = cm.putObject("data");
    new TreeMap<>(data).forEach(d::put);
    return seed(kind("configmaps"), namespace, cm);
  }

  /**
   * Stores any object eks-access's fake serves (a ConfigMap, Role, ClusterRole, RoleBinding or
   * ClusterRoleBinding), given as JSON, as if created or replaced by someone else: with the API
   * server's defaults, and its namespace created if it does not exist yet.
   *
   * <pre>{@code
   * api.putObject("clusterroles", "", """
   *     {"metadata":{"name":"reader"},"rules":[{"apiGroups":[""],"resources":["pods"],
   *      "verbs":["get"]}]}""");
   * }</pre>
   *
   * @param plural the resource, such as {@code clusterroles}
   * @param namespace the namespace, or {@code ""} for a cluster-scoped object
   * @param json the object; its {@code metadata.name} names it
   * @return the new {@code resourceVersion}
   * @throws IllegalArgumentException if the resource is unknown, the JSON is not an object with a
   *     name, or the API server would refuse the object (with its reason)
   */
  public synchronized String putObject(String plural, String namespace, String json) {
    Kind kind = KINDS.get(plural);
    if (kind == null || kind.namespaced() == namespace.isEmpty()) {
      throw new IllegalArgumentException(
          "FakeKubeApi serves "
              + new TreeSet<>(KINDS.keySet())
              + "; \""
              + plural
              + "\" in namespace \""
              + namespace
              + "\" is not one of them (cluster-scoped kinds take \"\").");
    }
    ObjectNode body;
    try {
      JsonNode n = JSON.readTree(json);
      if (!(n instanceof ObjectNode o) || o.path("metadata").path("name").asText("").isEmpty()) {
        throw new IllegalArgumentException("json must be an object with metadata.name: " + json);
      }
      body = o;
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("json is not JSON: " + e.getOriginalMessage(), e);
    }
    if (plural.equals("namespaces")) {
      addNamespace(body.path("metadata").path("name").asText());
      return Objects.requireNonNull(
              objects.get(key("namespaces", "", body.path("metadata").path("name").asText())))
          .path("metadata")
          .path("resourceVersion")
          .asText();
    }
    return seed(kind, namespace, body);
  }

  /** A write by "someone else": defaults, validation, the namespace made if needed. */
  private String seed(Kind kind, String namespace, ObjectNode body) {
    if (kind.namespaced()) {
      addNamespace(namespace);
      body.withObjectProperty("metadata").put("namespace", namespace);
    }
    KubeValidation.applyDefaults(kind.kind(), body);
    String name = body.path("metadata").path("name").asText();
    String key = key(kind.plural(), namespace, name);
    ObjectNode old = objects.get(key);
    List<FieldError> errors =
        old == null
            ? KubeValidation.create(kind.kind(), body)
            : KubeValidation.update(kind.kind(), body, old);
    if (!errors.isEmpty()) {
      throw new IllegalArgumentException(
          "the API server would refuse this object: "
              + kind.qualifiedKind()
              + " \""
              + name
              + "\" is invalid: "
              + KubeValidation.aggregate(errors));
    }
    ObjectNode stored = store(key, kind, body, old);
    own(key, "update:eks-access-testkit", old, stored);
    return stored.path("metadata").path("resourceVersion").asText();
  }

  /**
   * The data of a ConfigMap, as stored now.
   *
   * @param namespace the namespace
   * @param name the name
   * @return the data, or empty if there is no such ConfigMap
   */
  public synchronized Optional<Map<String, String>> configMapData(String namespace, String name) {
    ObjectNode cm = objects.get(key("configmaps", namespace, name));
    if (cm == null) {
      return Optional.empty();
    }
    Map<String, String> data = new LinkedHashMap<>();
    cm.path("data").properties().forEach(e -> data.put(e.getKey(), e.getValue().asText()));
    return Optional.of(data);
  }

  /**
   * Deletes an object directly, as another client would; deleting a namespace deletes everything in
   * it.
   *
   * <pre>{@code
   * api.beforeNext("PUT", () -> api.deleteObject("configmaps", "kube-system", "aws-auth"));
   * }</pre>
   *
   * @param plural the resource, such as {@code configmaps} or {@code clusterrolebindings}
   * @param namespace the namespace, or {@code ""} for a cluster-scoped object
   * @param name the name
   * @return whether there was such an object
   */
  public synchronized boolean deleteObject(String plural, String namespace, String name) {
    String key = key(plural, namespace, name);
    if (!objects.containsKey(key)) {
      return false;
    }
    remove(key);
    if (plural.equals("namespaces")) {
      removeContentOf(name);
    }
    return true;
  }

  /**
   * An object as stored now, as JSON.
   *
   * @param plural the resource, such as {@code configmaps} or {@code clusterrolebindings}
   * @param namespace the namespace, or {@code ""} for a cluster-scoped object
   * @param name the name
   * @return the object, or empty if there is none
   */
  public synchronized Optional<String> object(String plural, String namespace, String name) {
    return Optional.ofNullable(objects.get(key(plural, namespace, name))).map(ObjectNode::toString);
  }

  /**
   * How many requests used this HTTP method.
   *
   * @param method the method
   * @return the count
   */
  public synchronized long count(String method) {
    String prefix = method.toUpperCase(Locale.ROOT) + " ";
    return requests().stream().filter(r -> r.startsWith(prefix)).count();
  }

  @Override
  public String toString() {
    return "FakeKubeApi[" + baseUrl() + ", " + objects.size() + " objects]";
  }

  private static String key(String plural, String namespace, String name) {
    return plural + "/" + namespace + "/" + name;
  }

  private static Kind kind(String plural) {
    return Objects.requireNonNull(KINDS.get(plural), plural);
  }

  // ---------------------------------------------------------------------------------------------
  // serving

  @Override
  String normalize(String method) {
    return method.toUpperCase(Locale.ROOT);
  }

  /**
   * A request is logged as {@code METHOD path}; faults and other writers are for the resources this
   * fake serves, not stray paths.
   */
  @Override
  Route route(Request request) {
    String path = URI.create(request.getUrl()).getPath();
    String method = request.getMethod().getName();
    String line = method + " " + path + (isDryRun(request) ? " (dryRun=All)" : "");
    Matcher m = PATH.matcher(path);
    Kind kind = m.matches() ? KINDS.get(m.group(3)) : null;
    boolean served = kind != null && (m.group(1).equals("api/v1") == kind.group().isEmpty());
    return new Route(line, served ? method : null);
  }

  @Override
  ResponseDefinition unknown(Request request) {
    return Status.noResource();
  }

  @Override
  ResponseDefinition answer(Request request, Route route, @Nullable KubeFault fault) {
    String path = URI.create(request.getUrl()).getPath();
    String method = request.getMethod().getName();
    Matcher m = PATH.matcher(path);
    if (!m.matches()) {
      return Status.noResource();
    }
    Kind kind = Objects.requireNonNull(KINDS.get(m.group(3)));
    String namespace = Objects.requireNonNullElse(m.group(2), "");
    @Nullable String name = m.group(4);
    if (!kind.namespaced() && !namespace.isEmpty()) {
      return Status.noResource();
    }
    if (kind.namespaced() && namespace.isEmpty() && name != null) {
      return Status.noResource();
    }
    if (fault == null) {
      return handle(request, method, kind, namespace, name);
    }
    return switch (fault.kind()) {
      case CONFLICT -> Status.conflict(kind, name == null ? "" : name);
      case STATUS ->
          Status.of(fault.status(), reason(fault.status()), "injected fault", null).response();
      case LATENCY ->
          ResponseDefinitionBuilder.like(handle(request, method, kind, namespace, name))
              .withFixedDelay((int) fault.delay().toMillis())
              .build();
      case STATUS_AFTER_COMMIT -> {
        handle(request, method, kind, namespace, name);
        yield Status.of(fault.status(), reason(fault.status()), "injected fault after commit", null)
            .response();
      }
      case DROPPED_AFTER_COMMIT -> {
        handle(request, method, kind, namespace, name);
        yield ResponseDefinitionBuilder.responseDefinition()
            .withFault(Fault.CONNECTION_RESET_BY_PEER)
            .build();
      }
    };
  }

  private ResponseDefinition handle(
      Request request, String method, Kind kind, String namespace, @Nullable String name) {
    boolean dryRun = isDryRun(request);
    if (name == null) {
      return switch (method) {
        case "GET" -> list(request, kind, namespace);
        case "POST" ->
            kind.namespaced() && namespace.isEmpty()
                ? Status.of(
                        405,
                        "MethodNotAllowed",
                        "the server does not allow this method on the requested resource",
                        JSON.createObjectNode())
                    .response()
                : create(request, kind, namespace, dryRun);
        default ->
            Status.of(
                    405,
                    "MethodNotAllowed",
                    "the server does not allow this method on the requested resource",
                    JSON.createObjectNode())
                .response();
      };
    }
    String key = key(kind.plural(), namespace, name);
    ObjectNode current = objects.get(key);
    return switch (method) {
      case "GET" -> current == null ? Status.notFound(kind, name) : ok(200, current);
      case "PUT" -> replace(request, kind, namespace, name, current, dryRun);
      case "DELETE" -> delete(request, kind, name, key, current, dryRun);
      case "PATCH" -> patch(request, kind, namespace, name, current, dryRun);
      default ->
          Status.of(
                  405,
                  "MethodNotAllowed",
                  "the server does not allow this method on the requested resource",
                  JSON.createObjectNode())
              .response();
    };
  }

  // ---- reads

  private ResponseDefinition list(Request request, Kind kind, String namespace) {
    String prefix = kind.plural() + "/" + (namespace.isEmpty() ? "" : namespace + "/");
    String selectorText = query(request, "labelSelector");
    List<Requirement> selector = selector(selectorText);
    if (selector == null) {
      return Status.of(
              400,
              "BadRequest",
              "unable to parse requirement: found '"
                  + selectorText
                  + "', expected: a label selector",
              null)
          .response();
    }
    String after = query(request, "continue");
    String limitText = query(request, "limit");
    long limit;
    try {
      limit = limitText == null ? 0 : Long.parseLong(limitText);
    } catch (NumberFormatException e) {
      return Status.of(400, "BadRequest", "limit: invalid value \"" + limitText + "\"", null)
          .response();
    }
    if (limit <= 0) {
      limit = Long.MAX_VALUE; // the server treats 0 and below as no limit
    }
    ArrayNode items = JSON.createArrayNode();
    @Nullable String next = null;
    String lastKey = "";
    Iterator<Map.Entry<String, ObjectNode>> it =
        (after == null
                ? objects.tailMap(prefix, true)
                : objects.tailMap(
                    new String(Base64.getUrlDecoder().decode(after), StandardCharsets.UTF_8),
                    false))
            .entrySet()
            .iterator();
    while (it.hasNext()) {
      Map.Entry<String, ObjectNode> e = it.next();
      if (!e.getKey().startsWith(prefix)) {
        break;
      }
      if (!matches(e.getValue(), selector)) {
        continue;
      }
      if (items.size() == limit) {
        next = lastKey;
        break;
      }
      items.add(e.getValue());
      lastKey = e.getKey();
    }
    ObjectNode body = JSON.createObjectNode();
    body.put("kind", kind.kind() + "List").put("apiVersion", kind.apiVersion());
    ObjectNode meta = body.putObject("metadata").put("resourceVersion", "" + resourceVersion);
    if (next != null) {
      // the token names the last item served, so the next page starts after it
      meta.put(
          "continue",
          Base64.getUrlEncoder()
              .withoutPadding()
              .encodeToString(next.getBytes(StandardCharsets.UTF_8)));
    }
    body.set("items", items);
    return ok(200, body);
  }

  // ---- writes

  /** The body of a create or replace, or the API server's 400 for it. */
  private static Object decode(Request request, Kind kind) {
    JsonNode n;
    try {
      n = JSON.readTree(request.getBodyAsString());
    } catch (JsonProcessingException e) {
      return unrecognized(kind, e.getOriginalMessage());
    }
    if (!(n instanceof ObjectNode body)) {
      return unrecognized(kind, "the body is not a JSON object");
    }
    String bodyKind = body.path("kind").asText("");
    String bodyVersion = body.path("apiVersion").asText("");
    if ((!bodyKind.isEmpty() && !bodyKind.equals(kind.kind()))
        || (!bodyVersion.isEmpty() && !bodyVersion.equals(kind.apiVersion()))) {
      String k = bodyKind.isEmpty() ? kind.kind() : bodyKind;
      String v = bodyVersion.isEmpty() ? kind.apiVersion() : bodyVersion;
      String version = v.substring(v.indexOf('/') + 1);
      String why =
          SCHEME.getOrDefault(v, Set.of()).contains(k)
              ? "converting ("
                  + version
                  + "."
                  + k
                  + ") to ("
                  + kind.internalGroup()
                  + "."
                  + kind.kind()
                  + "): unknown conversion"
              : "no kind \""
                  + k
                  + "\" is registered for version \""
                  + v
                  + "\" in scheme \"k8s.io/kubernetes/pkg/api/legacyscheme/scheme.go:30\"";
      return Status.of(
              400,
              "BadRequest",
              k
                  + " in version \""
                  + version
                  + "\" cannot be handled as a "
                  + kind.kind()
                  + ": "
                  + why,
              null)
          .response();
    }
    return body;
  }

  private static ResponseDefinition unrecognized(Kind kind, String why) {
    return Status.of(
            400,
            "BadRequest",
            "the object provided is unrecognized (must be of type "
                + kind.kind()
                + "): couldn't get version/kind; json parse error: "
                + why,
            null)
        .response();
  }

  private ResponseDefinition create(Request request, Kind kind, String namespace, boolean dryRun) {
    Object decoded = decode(request, kind);
    if (decoded instanceof ResponseDefinition refused) {
      return refused;
    }
    ObjectNode body = (ObjectNode) decoded;
    ObjectNode meta = body.withObjectProperty("metadata");
    String bodyNamespace = meta.path("namespace").asText("");
    if (kind.namespaced() && !bodyNamespace.isEmpty() && !bodyNamespace.equals(namespace)) {
      return Status.namespaceMismatch();
    }
    if (!meta.path("resourceVersion").asText("").isEmpty()) {
      return Status.of(
              500, null, "resourceVersion should not be set on objects to be created", null)
          .response();
    }
    return createAs(kind, namespace, body, dryRun, manager(request));
  }

  /** Admission (the namespace must exist), defaults, validation, then the store. */
  private ResponseDefinition createAs(
      Kind kind, String namespace, ObjectNode body, boolean dryRun, String manager) {
    ObjectNode meta = body.withObjectProperty("metadata");
    if (kind.namespaced()) {
      if (!objects.containsKey(key("namespaces", "", namespace))) {
        return Status.notFound(kind("namespaces"), namespace);
      }
      meta.put("namespace", namespace);
    } else {
      meta.remove("namespace");
    }
    meta.remove("resourceVersion");
    KubeValidation.applyDefaults(kind.kind(), body);
    String name = meta.path("name").asText("");
    List<FieldError> errors = KubeValidation.create(kind.kind(), body);
    if (!errors.isEmpty()) {
      return Status.invalid(kind, name, errors);
    }
    String key = key(kind.plural(), namespace, name);
    if (objects.containsKey(key)) {
      return Status.alreadyExists(kind, name);
    }
    if (dryRun) {
      return ok(201, stamp(body, kind, null, ""));
    }
    ObjectNode stored = store(key, kind, body, null);
    own(key, manager, null, stored);
    return ok(201, stored);
  }

  private ResponseDefinition replace(
      Request request,
      Kind kind,
      String namespace,
      String name,
      @Nullable ObjectNode current,
      boolean dryRun) {
    Object decoded = decode(request, kind);
    if (decoded instanceof ResponseDefinition refused) {
      return refused;
    }
    ObjectNode body = (ObjectNode) decoded;
    ObjectNode meta = body.withObjectProperty("metadata");
    if (!meta.path("name").asText("").equals(name)) {
      return Status.nameMismatch(meta.path("name").asText(""), name);
    }
    String bodyNamespace = meta.path("namespace").asText("");
    if (kind.namespaced() && !bodyNamespace.isEmpty() && !bodyNamespace.equals(namespace)) {
      return Status.namespaceMismatch();
    }
    if (current == null) {
      if (!kind.allowsCreateOnUpdate()) {
        return Status.notFound(kind, name);
      }
      return createAs(kind, namespace, body, dryRun, manager(request));
    }
    String expected = meta.path("resourceVersion").asText("");
    if (!expected.isEmpty() && !expected.equals(version(current))) {
      return Status.conflict(kind, name);
    }
    return update(kind, name, current, body, dryRun, manager(request), false);
  }

  /**
   * Defaults and update validation, then the store; an update that changes nothing is a no-op, but
   * {@code ownershipChanged} stores a new resourceVersion even when the object is the same, as the
   * API server does when only its managed fields change.
   */
  private ResponseDefinition update(
      Kind kind,
      String name,
      ObjectNode current,
      ObjectNode next,
      boolean dryRun,
      String manager,
      boolean ownershipChanged) {
    ObjectNode candidate = stamp(next, kind, current, version(current));
    KubeValidation.applyDefaults(kind.kind(), candidate);
    if (kind.kind().equals("Namespace")) {
      candidate.set("status", current.path("status").deepCopy());
    }
    List<FieldError> errors = KubeValidation.update(kind.kind(), candidate, current);
    if (!errors.isEmpty()) {
      return Status.invalid(kind, name, errors);
    }
    if (candidate.equals(current) && !ownershipChanged) {
      return ok(200, current); // nothing changed: no new resourceVersion, as the server does
    }
    if (dryRun) {
      return ok(200, candidate);
    }
    String key = key(kind.plural(), namespaceOf(current), name);
    ObjectNode stored = store(key, kind, candidate, current);
    if (!manager.startsWith("apply:")) {
      own(key, manager, current, stored);
    }
    return ok(200, stored);
  }

  private ResponseDefinition delete(
      Request request,
      Kind kind,
      String name,
      String key,
      @Nullable ObjectNode current,
      boolean dryRun) {
    if (kind.kind().equals("Namespace") && IMMORTAL.contains(name)) {
      return Status.of(
              403,
              "Forbidden",
              "namespaces \"" + name + "\" is forbidden: this namespace may not be deleted",
              Status.details(name, "", "namespaces"))
          .response();
    }
    if (current == null) {
      return Status.notFound(kind, name);
    }
    JsonNode options;
    try {
      String text = request.getBodyAsString();
      options = text == null || text.isBlank() ? JSON.createObjectNode() : JSON.readTree(text);
    } catch (JsonProcessingException e) {
      return Status.of(
              400, "BadRequest", "the DeleteOptions are not JSON: " + e.getOriginalMessage(), null)
          .response();
    }
    JsonNode pre = options.path("preconditions");
    String uid = current.path("metadata").path("uid").asText();
    String wantUid = pre.path("uid").asText("");
    if (!wantUid.isEmpty() && !wantUid.equals(uid)) {
      return Status.preconditionFailed(
          kind,
          name,
          "the UID in the precondition ("
              + wantUid
              + ") does not match the UID in record ("
              + uid
              + "). The object might have been deleted and then recreated");
    }
    String wantVersion = pre.path("resourceVersion").asText("");
    if (!wantVersion.isEmpty() && !wantVersion.equals(version(current))) {
      return Status.preconditionFailed(
          kind,
          name,
          "the ResourceVersion in the precondition ("
              + wantVersion
              + ") does not match the ResourceVersion in record ("
              + version(current)
              + "). The object might have been modified");
    }
    if (kind.kind().equals("Namespace")) {
      // the real server answers with the namespace, Terminating; its content goes, then it does
      ObjectNode terminating = current.deepCopy();
      terminating
          .withObjectProperty("metadata")
          .put("deletionTimestamp", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
      terminating.withObjectProperty("status").put("phase", "Terminating");
      if (!dryRun) {
        remove(key);
        removeContentOf(name);
      }
      return ok(200, terminating);
    }
    if (!dryRun) {
      remove(key);
    }
    ObjectNode details = Status.details(name, kind.group(), kind.plural());
    details.put("uid", uid);
    return Status.of(200, null, null, details).response();
  }

  private void remove(String key) {
    objects.remove(key);
    managed.remove(key);
    resourceVersion++;
  }

  private void removeContentOf(String namespace) {
    for (Kind k : KINDS.values()) {
      if (k.namespaced()) {
        String prefix = k.plural() + "/" + namespace + "/";
        for (String key : new ArrayList<>(objects.subMap(prefix, prefix + "\uffff").keySet())) {
          remove(key);
        }
      }
    }
  }

  // ---- PATCH

  private ResponseDefinition patch(
      Request request,
      Kind kind,
      String namespace,
      String name,
      @Nullable ObjectNode current,
      boolean dryRun) {
    String type = String.valueOf(request.getHeader("Content-Type"));
    int semicolon = type.indexOf(';');
    String media = (semicolon < 0 ? type : type.substring(0, semicolon)).trim();
    switch (media) {
      case "application/apply-patch+yaml" -> {
        return apply(request, kind, namespace, name, current, dryRun);
      }
      case "application/merge-patch+json",
          "application/strategic-merge-patch+json",
          "application/json-patch+json" -> {
        // handled below
      }
      default -> {
        return Status.of(
                415, "UnsupportedMediaType", "415: Unsupported Media Type", JSON.createObjectNode())
            .response();
      }
    }
    if (current == null) {
      return Status.notFound(kind, name);
    }
    JsonNode patch;
    try {
      patch = JSON.readTree(request.getBodyAsString());
      if (patch == null) {
        throw new JsonProcessingException("empty patch") {
          private static final long serialVersionUID = 1L;
        };
      }
    } catch (JsonProcessingException e) {
      return Status.of(500, null, "Invalid JSON Patch", null).response();
    }
    JsonNode patched;
    if (media.equals("application/json-patch+json")) {
      try {
        patched = JsonPatches.apply(current, patch);
      } catch (JsonPatches.PatchFailedException e) {
        return Status.of(
                422,
                "Invalid",
                "the server rejected our request due to an error in our request",
                JSON.createObjectNode())
            .response();
      }
    } else {
      patched = JsonPatches.merge(current, patch);
    }
    if (!(patched instanceof ObjectNode next)) {
      return Status.of(
              422,
              "Invalid",
              "the server rejected our request due to an error in our request",
              JSON.createObjectNode())
          .response();
    }
    String expected = next.path("metadata").path("resourceVersion").asText("");
    if (!expected.isEmpty() && !expected.equals(version(current))) {
      return Status.conflict(kind, name);
    }
    next.withObjectProperty("metadata").put("name", name);
    return update(kind, name, current, next, dryRun, manager(request), false);
  }

  /**
   * Server-side apply: a missing object is created; on an existing one the applied fields are set
   * (map entries of {@code data}, labels and annotations one by one, other fields whole), an
   * unforced change of a field another manager owns is a conflict, and what this manager applied
   * before and no longer sends is removed unless another manager owns it too.
   */
  private ResponseDefinition apply(
      Request request,
      Kind kind,
      String namespace,
      String name,
      @Nullable ObjectNode current,
      boolean dryRun) {
    String managerName = query(request, "fieldManager");
    if (managerName == null || managerName.isEmpty()) {
      return Status.invalid(
          "PatchOptions",
          "meta.k8s.io",
          "",
          List.of(FieldError.required("fieldManager", "is required for apply patch")));
    }
    ObjectNode body;
    try {
      Object yaml =
          new Load(LoadSettings.builder().build()).loadFromString(request.getBodyAsString());
      if (!(JSON.valueToTree(yaml) instanceof ObjectNode o)) {
        return Status.of(400, "BadRequest", "error decoding YAML: the body is not an object", null)
            .response();
      }
      body = o;
    } catch (RuntimeException e) {
      return Status.of(
              400,
              "BadRequest",
              "error decoding YAML: error converting YAML to JSON: " + e.getMessage(),
              null)
          .response();
    }
    String version = body.path("apiVersion").asText("");
    if (!version.equals(kind.apiVersion())) {
      return Status.of(
              400,
              "BadRequest",
              "Incorrect version specified in apply patch. Specified patch version: "
                  + version
                  + ", expected: "
                  + kind.apiVersion(),
              null)
          .response();
    }
    if (body.path("kind").asText("").isEmpty()) {
      return Status.of(
              500,
              null,
              "failed to create typed patch object: no corresponding type for "
                  + (kind.group().isEmpty() ? "/v1" : kind.apiVersion())
                  + ", Kind=",
              null)
          .response();
    }
    if (!body.path("kind").asText("").equals(kind.kind())) {
      return Status.of(500, null, "failed to merge config: expected objects of the same type", null)
          .response();
    }
    ObjectNode meta = body.withObjectProperty("metadata");
    if (!meta.path("name").asText("").equals(name)) {
      return Status.nameMismatch(meta.path("name").asText(""), name);
    }
    String bodyNamespace = meta.path("namespace").asText("");
    if (kind.namespaced() && !bodyNamespace.isEmpty() && !bodyNamespace.equals(namespace)) {
      return Status.of(
              400,
              "BadRequest",
              "the namespace of the object ("
                  + bodyNamespace
                  + ") does not match the namespace on the request ("
                  + namespace
                  + ")",
              null)
          .response();
    }
    String manager = "apply:" + managerName;
    if (current == null) {
      return createAs(kind, namespace, body, dryRun, manager);
    }
    String expected = meta.path("resourceVersion").asText("");
    if (!expected.isEmpty() && !expected.equals(version(current))) {
      return Status.conflict(kind, name);
    }
    String key = key(kind.plural(), namespace, name);
    Map<String, Set<String>> owners = managed.computeIfAbsent(key, k -> new HashMap<>());
    Map<String, JsonNode> sent = fields(body);
    boolean force = "true".equals(query(request, "force"));
    // conflicts: a field another manager owns, set here to another value
    Map<String, List<String>> conflicts = new TreeMap<>();
    int conflictCount = 0;
    for (Map.Entry<String, JsonNode> f : sent.entrySet()) {
      JsonNode now = at(current, f.getKey());
      if (f.getValue().equals(now)) {
        continue;
      }
      for (Map.Entry<String, Set<String>> o : owners.entrySet()) {
        if (!o.getKey().equals(manager) && o.getValue().contains(f.getKey())) {
          conflicts.computeIfAbsent(o.getKey(), x -> new ArrayList<>()).add(f.getKey());
          conflictCount++;
        }
      }
    }
    if (conflictCount > 0 && !force) {
      return Status.applyConflict(conflicts, conflictCount, kind.apiVersion());
    }
    ObjectNode merged = current.deepCopy();
    for (Map.Entry<String, JsonNode> f : sent.entrySet()) {
      put(merged, f.getKey(), f.getValue());
    }
    for (String f : owners.getOrDefault(manager, Set.of())) {
      boolean ownedElsewhere =
          owners.entrySet().stream()
              .anyMatch(o -> !o.getKey().equals(manager) && o.getValue().contains(f));
      if (!sent.containsKey(f) && !ownedElsewhere) {
        drop(merged, f);
      }
    }
    // the owners after this apply: a forced apply takes what it sends from the others
    Map<String, Set<String>> after = new HashMap<>();
    for (Map.Entry<String, Set<String>> o : owners.entrySet()) {
      Set<String> theirs = new LinkedHashSet<>(o.getValue());
      if (force) {
        theirs.removeAll(sent.keySet());
      }
      after.put(o.getKey(), theirs);
    }
    after.put(manager, new LinkedHashSet<>(sent.keySet()));
    after.values().removeIf(Set::isEmpty);
    ResponseDefinition answer =
        update(kind, name, current, merged, dryRun, manager, !after.equals(owners));
    if (!dryRun && answer.getStatus() == 200) {
      Map<String, JsonNode> present = fields(Objects.requireNonNull(objects.get(key)));
      after.values().forEach(f -> f.retainAll(present.keySet()));
      after.values().removeIf(Set::isEmpty);
      managed.put(key, after);
    }
    return answer;
  }

  // ---- field ownership

  /** The manager of a write that is not an apply: its fieldManager, else its user agent's name. */
  private static String manager(Request request) {
    String m = query(request, "fieldManager");
    if (m == null || m.isEmpty()) {
      String agent = Objects.requireNonNullElse(request.getHeader("User-Agent"), "");
      int slash = agent.indexOf('/');
      m = slash < 0 ? agent : agent.substring(0, slash);
    }
    return "update:" + m;
  }

  /**
   * The fields an object sets, as the paths managed fields name: {@code .data.KEY}, {@code
   * .binaryData.KEY}, {@code .metadata.labels.KEY}, {@code .metadata.annotations.KEY}, and other
   * top-level fields whole ({@code .rules}, {@code .subjects}, {@code .roleRef}).
   */
  private static Map<String, JsonNode> fields(JsonNode o) {
    Map<String, JsonNode> out = new LinkedHashMap<>();
    o.properties()
        .forEach(
            e -> {
              String k = e.getKey();
              if (List.of("apiVersion", "kind", "metadata", "status").contains(k)) {
                return;
              }
              if ((k.equals("data") || k.equals("binaryData")) && e.getValue().isObject()) {
                e.getValue()
                    .properties()
                    .forEach(d -> out.put("." + k + "." + d.getKey(), d.getValue()));
              } else {
                out.put("." + k, e.getValue());
              }
            });
    for (String m : List.of("labels", "annotations")) {
      o.path("metadata")
          .path(m)
          .properties()
          .forEach(e -> out.put(".metadata." + m + "." + e.getKey(), e.getValue()));
    }
    return out;
  }

  /** The parent object and the last name of a field path such as {@code .data.k}. */
  private static String[] split(String field) {
    for (String prefix :
        List.of(".metadata.labels.", ".metadata.annotations.", ".data.", ".binaryData.")) {
      if (field.startsWith(prefix)) {
        return new String[] {
          prefix.substring(1, prefix.length() - 1), field.substring(prefix.length())
        };
      }
    }
    return new String[] {"", field.substring(1)};
  }

  private static @Nullable JsonNode at(JsonNode o, String field) {
    String[] p = split(field);
    JsonNode parent = p[0].isEmpty() ? o : o.at("/" + p[0].replace('.', '/'));
    return parent.get(p[1]);
  }

  private static void put(ObjectNode o, String field, JsonNode value) {
    String[] p = split(field);
    ObjectNode parent = o;
    if (!p[0].isEmpty()) {
      for (String step : p[0].split("\\.", -1)) {
        parent = parent.withObjectProperty(step);
      }
    }
    parent.set(p[1], value.deepCopy());
  }

  private static void drop(ObjectNode o, String field) {
    String[] p = split(field);
    JsonNode parent = p[0].isEmpty() ? o : o.at("/" + p[0].replace('.', '/'));
    if (parent instanceof ObjectNode po) {
      po.remove(p[1]);
    }
  }

  /** After a write that is not an apply: its manager owns what it set or changed. */
  private void own(String key, String manager, @Nullable ObjectNode before, ObjectNode after) {
    Map<String, Set<String>> owners = managed.computeIfAbsent(key, k -> new HashMap<>());
    Map<String, JsonNode> now = fields(after);
    Map<String, JsonNode> was = before == null ? Map.of() : fields(before);
    for (Set<String> theirs : owners.values()) {
      theirs.retainAll(now.keySet());
    }
    if (manager.startsWith("apply:")) {
      owners.computeIfAbsent(manager, m -> new LinkedHashSet<>()).addAll(now.keySet());
    } else {
      for (Map.Entry<String, JsonNode> f : now.entrySet()) {
        if (!f.getValue().equals(was.get(f.getKey()))) {
          for (Set<String> theirs : owners.values()) {
            theirs.remove(f.getKey());
          }
          owners.computeIfAbsent(manager, m -> new LinkedHashSet<>()).add(f.getKey());
        }
      }
    }
    owners.values().removeIf(Set::isEmpty);
  }

  // ---- storing

  private ObjectNode store(String key, Kind kind, ObjectNode body, @Nullable ObjectNode old) {
    resourceVersion++;
    ObjectNode stored = stamp(body, kind, old, Long.toString(resourceVersion));
    objects.put(key, stored);
    return stored;
  }

  /** Sets what the server owns: kind, uid, creation time, resourceVersion. */
  private static ObjectNode stamp(
      ObjectNode body, Kind kind, @Nullable ObjectNode old, String version) {
    ObjectNode o = body.deepCopy();
    o.put("kind", kind.kind()).put("apiVersion", kind.apiVersion());
    ObjectNode meta = o.withObjectProperty("metadata");
    JsonNode oldMeta = old == null ? JSON.createObjectNode() : old.path("metadata");
    meta.put("uid", oldMeta.path("uid").asText(UUID.randomUUID().toString()));
    meta.put(
        "creationTimestamp",
        oldMeta
            .path("creationTimestamp")
            .asText(Instant.now().truncatedTo(ChronoUnit.SECONDS).toString()));
    if (old != null && oldMeta.has("namespace")) {
      meta.put("namespace", oldMeta.path("namespace").asText());
    }
    meta.put("resourceVersion", version);
    meta.remove("managedFields");
    return o;
  }

  private static String version(JsonNode object) {
    return object.path("metadata").path("resourceVersion").asText();
  }

  private static String namespaceOf(JsonNode object) {
    return object.path("metadata").path("namespace").asText("");
  }

  private static boolean isDryRun(Request request) {
    return "All".equals(query(request, "dryRun"));
  }

  private static @Nullable String query(Request request, String name) {
    QueryParameter p = request.queryParameter(name);
    return p != null && p.isPresent() ? p.firstValue() : null;
  }

  /** One term of an equality-based label selector. */
  private record Requirement(String key, String op, String value) {
    boolean matches(JsonNode labels) {
      JsonNode v = labels.get(key);
      return switch (op) {
        case "=" -> v != null && v.asText().equals(value);
        case "!=" -> v == null || !v.asText().equals(value);
        case "exists" -> v != null;
        default -> v == null; // "!": does not exist
      };
    }
  }

  private static final Pattern TERM =
      Pattern.compile("\\s*(!?)\\s*([A-Za-z0-9./_-]+)\\s*(?:(==|=|!=)\\s*([A-Za-z0-9._-]*))?\\s*");

  /** The selector, or null if it does not parse (the server answers 400). */
  private static @Nullable List<Requirement> selector(@Nullable String text) {
    List<Requirement> out = new ArrayList<>();
    if (text == null || text.isBlank()) {
      return out;
    }
    for (String term : text.split(",", -1)) {
      Matcher m = TERM.matcher(term);
      if (!m.matches() || (!m.group(1).isEmpty() && m.group(3) != null)) {
        return null;
      }
      String key = m.group(2);
      if (m.group(3) == null) {
        out.add(new Requirement(key, m.group(1).isEmpty() ? "exists" : "!", ""));
      } else {
        out.add(new Requirement(key, m.group(3).equals("!=") ? "!=" : "=", m.group(4)));
      }
    }
    return out;
  }

  private static boolean matches(JsonNode object, List<Requirement> selector) {
    JsonNode labels = object.path("metadata").path("labels");
    return selector.stream().allMatch(r -> r.matches(labels));
  }

  private static String reason(int status) {
    return switch (status) {
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 429 -> "TooManyRequests";
      case 503 -> "ServiceUnavailable";
      case 504 -> "Timeout";
      default -> "InternalError";
    };
  }

  private static ResponseDefinition ok(int code, JsonNode body) {
    return ResponseDefinitionBuilder.responseDefinition()
        .withStatus(code)
        .withHeader("Content-Type", "application/json")
        .withHeader("Audit-Id", UUID.randomUUID().toString())
        .withBody(body.toString())
        .build();
  }

  /** The API server's {@code Status} answers, in its words. */
  private record Status(
      int code, @Nullable String reason, @Nullable String message, @Nullable ObjectNode details) {
    static Status of(
        int code, @Nullable String reason, @Nullable String message, @Nullable ObjectNode details) {
      return new Status(code, reason, message, details);
    }

    ResponseDefinition response() {
      ObjectNode s = JSON.createObjectNode();
      s.put("kind", "Status").put("apiVersion", "v1");
      s.putObject("metadata");
      s.put("status", code < 400 ? "Success" : "Failure");
      if (message != null && !message.isEmpty()) {
        s.put("message", message);
      }
      if (reason != null) {
        s.put("reason", reason);
      }
      if (details != null) {
        s.set("details", details);
      }
      s.put("code", code);
      return ok(code, s);
    }

    static ObjectNode details(String name, String group, String kind) {
      ObjectNode d = JSON.createObjectNode();
      if (!name.isEmpty()) {
        d.put("name", name);
      }
      if (!group.isEmpty()) {
        d.put("group", group);
      }
      d.put("kind", kind);
      return d;
    }

    static ResponseDefinition noResource() {
      return of(
              404,
              "NotFound",
              "the server could not find the requested resource",
              JSON.createObjectNode())
          .response();
    }

    static ResponseDefinition notFound(Kind kind, String name) {
      return of(
              404,
              "NotFound",
              kind.resource() + " \"" + name + "\" not found",
              details(name, kind.group(), kind.plural()))
          .response();
    }

    static ResponseDefinition alreadyExists(Kind kind, String name) {
      return of(
              409,
              "AlreadyExists",
              kind.resource() + " \"" + name + "\" already exists",
              details(name, kind.group(), kind.plural()))
          .response();
    }

    static ResponseDefinition conflict(Kind kind, String name) {
      return of(
              409,
              "Conflict",
              "Operation cannot be fulfilled on "
                  + kind.resource()
                  + " \""
                  + name
                  + "\": the object has been modified; please apply your changes to the latest"
                  + " version and try again",
              details(name, kind.group(), kind.plural()))
          .response();
    }

    static ResponseDefinition preconditionFailed(Kind kind, String name, String why) {
      return of(
              409,
              "Conflict",
              "Operation cannot be fulfilled on "
                  + kind.qualifiedKind()
                  + " \""
                  + name
                  + "\": "
                  + why,
              details(name, kind.group(), kind.kind()))
          .response();
    }

    static ResponseDefinition invalid(Kind kind, String name, List<FieldError> errors) {
      return invalid(kind.kind(), kind.group(), name, errors);
    }

    static ResponseDefinition invalid(
        String kind, String group, String name, List<FieldError> errors) {
      ObjectNode d = details(name, group, kind);
      ArrayNode causes = d.putArray("causes");
      for (FieldError f : errors) {
        causes.addObject().put("reason", f.type()).put("message", f.body()).put("field", f.field());
      }
      return of(
              422,
              "Invalid",
              (group.isEmpty() ? kind : kind + "." + group)
                  + " \""
                  + name
                  + "\" is invalid: "
                  + KubeValidation.aggregate(errors),
              d)
          .response();
    }

    static ResponseDefinition applyConflict(
        Map<String, List<String>> byManager, int count, String apiVersion) {
      ObjectNode d = JSON.createObjectNode();
      ArrayNode causes = d.putArray("causes");
      List<String> lines = new ArrayList<>();
      String single = "";
      for (Map.Entry<String, List<String>> e : byManager.entrySet()) {
        String who = printManager(e.getKey(), apiVersion);
        lines.add("conflicts with " + who + ":");
        for (String field : e.getValue()) {
          causes
              .addObject()
              .put("reason", "FieldManagerConflict")
              .put("message", "conflict with " + who)
              .put("field", field);
          lines.add("- " + field);
          single = "conflict with " + who + ": " + field;
        }
      }
      String message =
          count == 1
              ? "Apply failed with 1 conflict: " + single
              : "Apply failed with " + count + " conflicts: " + String.join("\n", lines);
      return of(409, "Conflict", message, d).response();
    }

    private static String printManager(String manager, String apiVersion) {
      String name = manager.substring(manager.indexOf(':') + 1);
      return manager.startsWith("update:")
          ? KubeValidation.quote(name) + " using " + apiVersion
          : KubeValidation.quote(name);
    }

    static ResponseDefinition nameMismatch(String bodyName, String name) {
      return of(
              400,
              "BadRequest",
              "the name of the object ("
                  + bodyName
                  + ") does not match the name on the URL ("
                  + name
                  + ")",
              null)
          .response();
    }

    static ResponseDefinition namespaceMismatch() {
      return of(
              400,
              "BadRequest",
              "the namespace of the provided object does not match the namespace sent on the"
                  + " request",
              null)
          .response();
    }
  }
}
