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
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * A Kubernetes API server on a free loopback port, for code that uses the real Kubernetes client.
 * It keeps state and answers as kube-apiserver does for the objects eks-access uses (ConfigMaps,
 * Roles, ClusterRoles, RoleBindings, ClusterRoleBindings): get, list with {@code limit} and {@code
 * continue} and an equality {@code labelSelector}, create (409 {@code AlreadyExists}), replace with
 * a {@code resourceVersion} precondition (409 {@code Conflict}), delete, 404 {@code NotFound},
 * {@code dryRun=All}, server-side apply ({@code application/apply-patch+yaml} for one field
 * manager; other patch types answer 415), and an immutable binding {@code roleRef} (422). Faults
 * can be queued per HTTP method.
 *
 * <pre>{@code
 * try (FakeKubeApi api = FakeKubeApi.start()) {
 *   api.putConfigMap("kube-system", "aws-auth", Map.of("mapRoles", "[]"));
 *   ApiClient client = new ClientBuilder().setBasePath(api.baseUrl()).build();
 *   api.inject("PUT", KubeFault.conflict());
 *   // ... run the code under test with client ...
 *   assertThat(api.requests()).contains("GET /api/v1/namespaces/kube-system/configmaps/aws-auth");
 * }
 * }</pre>
 *
 * <p>Thread-safe: requests are served one at a time against one state, as etcd orders them.
 */
public final class FakeKubeApi implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern PATH =
      Pattern.compile(
          "^/(?:api/v1|apis/(rbac\\.authorization\\.k8s\\.io)/v1)"
              + "(?:/namespaces/([^/]+))?/([a-z]+)(?:/([^/]+))?$");
  private static final Pattern NAME =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  /** plural → kind, API version, and whether namespaced. */
  private record Kind(String kind, String apiVersion, boolean namespaced) {}

  private static final Map<String, Kind> KINDS =
      Map.of(
          "configmaps", new Kind("ConfigMap", "v1", true),
          "roles", new Kind("Role", "rbac.authorization.k8s.io/v1", true),
          "rolebindings", new Kind("RoleBinding", "rbac.authorization.k8s.io/v1", true),
          "clusterroles", new Kind("ClusterRole", "rbac.authorization.k8s.io/v1", false),
          "clusterrolebindings",
              new Kind("ClusterRoleBinding", "rbac.authorization.k8s.io/v1", false));

  private final LoopbackServer server;
  // key: plural/namespace/name ("" namespace for cluster-scoped objects)
  private final TreeMap<String, ObjectNode> objects = new TreeMap<>();
  private final Map<String, Deque<KubeFault>> faults = new HashMap<>();
  private final Map<String, Deque<Runnable>> interleaved = new HashMap<>();
  // key → field manager → the top-level fields and labels it last applied (server-side apply)
  private final Map<String, Map<String, Set<String>>> applied = new HashMap<>();
  private final List<String> log = new ArrayList<>();
  private long resourceVersion = 1000;

  private FakeKubeApi() {
    server = new LoopbackServer("eks-access-fake-kube-api", this::serve);
  }

  /**
   * Starts a fake API server on a free loopback port, with no objects.
   *
   * @return the running server; close it when done
   */
  public static FakeKubeApi start() {
    return new FakeKubeApi();
  }

  /**
   * Where the server listens, for {@code ClientBuilder.setBasePath(..)}.
   *
   * @return the base URL, such as {@code http://127.0.0.1:41234}
   */
  public String baseUrl() {
    return server.baseUrl();
  }

  /**
   * Stores a ConfigMap, as if created or replaced by someone else.
   *
   * @param namespace the namespace
   * @param name the name
   * @param data the data keys and values
   * @return the new {@code resourceVersion}
   */
  public synchronized String putConfigMap(String namespace, String name, Map<String, String> data) {
    ObjectNode cm = JSON.createObjectNode();
    cm.putObject("metadata").put("name", name).put("namespace", namespace);
    ObjectNode d = cm.putObject("data");
    new TreeMap<>(data).forEach(d::put);
    String key = key("configmaps", namespace, name);
    ObjectNode old = objects.get(key);
    return store(key, Objects.requireNonNull(KINDS.get("configmaps")), cm, old)
        .path("metadata")
        .path("resourceVersion")
        .asText();
  }

  /**
   * Stores any object eks-access's fake serves (a ConfigMap, Role, ClusterRole, RoleBinding or
   * ClusterRoleBinding), given as JSON, as if created or replaced by someone else.
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
   * @throws IllegalArgumentException if the resource is unknown, or the JSON is not an object with
   *     a name
   */
  public synchronized String putObject(String plural, String namespace, String json) {
    Kind kind = KINDS.get(plural);
    if (kind == null || kind.namespaced() == namespace.isEmpty()) {
      throw new IllegalArgumentException(
          "FakeKubeApi serves "
              + KINDS.keySet()
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
    if (!namespace.isEmpty()) {
      body.withObjectProperty("metadata").put("namespace", namespace);
    }
    String key = key(plural, namespace, body.path("metadata").path("name").asText());
    return store(key, kind, body, objects.get(key))
        .path("metadata")
        .path("resourceVersion")
        .asText();
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
   * Deletes an object directly, as another client would.
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
    return objects.remove(key(plural, namespace, name)) != null;
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
   * Queues a fault for the next request with this HTTP method; faults for one method are used in
   * the order queued.
   *
   * @param method {@code GET}, {@code POST}, {@code PUT}, {@code PATCH} or {@code DELETE}
   * @param fault the fault
   * @return this
   */
  public synchronized FakeKubeApi inject(String method, KubeFault fault) {
    faults
        .computeIfAbsent(method.toUpperCase(Locale.ROOT), m -> new ArrayDeque<>())
        .add(Objects.requireNonNull(fault, "fault"));
    return this;
  }

  /**
   * Runs another writer's change just before the next request with this HTTP method is served, so
   * that request meets it as in a real race: a replace carrying the old resourceVersion gets 409
   * Conflict, and a retry reads the other writer's state.
   *
   * <pre>{@code
   * api.beforeNext("PUT", () -> api.putConfigMap("kube-system", "aws-auth", theirs));
   * }</pre>
   *
   * @param method {@code GET}, {@code POST}, {@code PUT}, {@code PATCH} or {@code DELETE}
   * @param otherWriter the change, usually through {@link #putConfigMap} or {@link #putObject}
   * @return this
   */
  public synchronized FakeKubeApi beforeNext(String method, Runnable otherWriter) {
    interleaved
        .computeIfAbsent(method.toUpperCase(Locale.ROOT), m -> new ArrayDeque<>())
        .add(Objects.requireNonNull(otherWriter, "otherWriter"));
    return this;
  }

  /**
   * Every request served, as {@code METHOD path}, in order; queries are left out, but a server
   * dry-run is marked {@code (dryRun=All)}.
   *
   * @return the log
   */
  public synchronized List<String> requests() {
    return List.copyOf(log);
  }

  /**
   * How many requests used this HTTP method.
   *
   * @param method the method
   * @return the count
   */
  public synchronized long count(String method) {
    String prefix = method.toUpperCase(Locale.ROOT) + " ";
    return log.stream().filter(r -> r.startsWith(prefix)).count();
  }

  /** Stops the server. */
  @Override
  public void close() {
    server.stop();
  }

  /**
   * The injected faults and interleaved writers not used yet: zero after a test whose faults all
   * met a request, which is how a test shows that the fault it meant did happen.
   *
   * <pre>{@code
   * assertThat(api.pendingFaults()).isZero();
   * }</pre>
   *
   * @return how many are left
   */
  public synchronized int pendingFaults() {
    int n = 0;
    for (var q : faults.values()) {
      n += q.size();
    }
    for (var q : interleaved.values()) {
      n += q.size();
    }
    return n;
  }

  @Override
  public String toString() {
    return "FakeKubeApi[" + baseUrl() + ", " + objects.size() + " objects]";
  }

  private static String key(String plural, String namespace, String name) {
    return plural + "/" + namespace + "/" + name;
  }

  private synchronized ResponseDefinition serve(Request request) {
    String path = URI.create(request.getUrl()).getPath();
    String method = request.getMethod().getName();
    log.add(method + " " + path + (isDryRun(request) ? " (dryRun=All)" : ""));
    Matcher m = PATH.matcher(path);
    if (!m.matches() || !KINDS.containsKey(m.group(3))) {
      return status(404, "NotFound", "the server could not find the requested resource", null);
    }
    // Faults and interleaved writers are for the resources this fake serves, not stray paths.
    Deque<Runnable> others = interleaved.get(method);
    Runnable other = others == null ? null : others.poll();
    if (other != null) {
      other.run();
    }
    Deque<KubeFault> queued = faults.get(method);
    KubeFault fault = queued == null ? null : queued.poll();
    String plural = m.group(3);
    Kind kind = Objects.requireNonNull(KINDS.get(plural));
    String namespace = Objects.requireNonNullElse(m.group(2), "");
    @Nullable String name = m.group(4);
    if (kind.namespaced() == namespace.isEmpty() && !(name == null && method.equals("GET"))) {
      return status(404, "NotFound", "the server could not find the requested resource", null);
    }
    if (fault == null) {
      return handle(request, method, plural, kind, namespace, name);
    }
    return switch (fault.kind()) {
      case CONFLICT -> conflict(plural, name == null ? "" : name);
      case STATUS -> status(fault.status(), reason(fault.status()), "injected fault", null);
      case LATENCY ->
          ResponseDefinitionBuilder.like(handle(request, method, plural, kind, namespace, name))
              .withFixedDelay((int) fault.delay().toMillis())
              .build();
      case STATUS_AFTER_COMMIT -> {
        handle(request, method, plural, kind, namespace, name);
        yield status(fault.status(), reason(fault.status()), "injected fault after commit", null);
      }
      case DROPPED_AFTER_COMMIT -> {
        handle(request, method, plural, kind, namespace, name);
        yield ResponseDefinitionBuilder.responseDefinition()
            .withFault(Fault.CONNECTION_RESET_BY_PEER)
            .build();
      }
    };
  }

  private ResponseDefinition handle(
      Request request,
      String method,
      String plural,
      Kind kind,
      String namespace,
      @Nullable String name) {
    boolean dryRun = isDryRun(request);
    if (name == null) {
      return switch (method) {
        case "GET" -> list(request, plural, kind, namespace);
        case "POST" -> create(request, plural, kind, namespace, dryRun);
        default ->
            status(405, "MethodNotAllowed", method + " is not supported on a collection", null);
      };
    }
    String key = key(plural, namespace, name);
    ObjectNode current = objects.get(key);
    return switch (method) {
      case "GET" -> current == null ? notFound(plural, name) : ok(200, current);
      case "PUT" -> replace(request, plural, kind, namespace, name, current, dryRun);
      case "DELETE" -> {
        if (current == null) {
          yield notFound(plural, name);
        }
        String precondition = "";
        try {
          String body = request.getBodyAsString();
          if (body != null && !body.isBlank()) {
            precondition =
                JSON.readTree(body).path("preconditions").path("resourceVersion").asText("");
          }
        } catch (JsonProcessingException e) {
          yield status(400, "BadRequest", "the body is not JSON: " + e.getOriginalMessage(), null);
        }
        if (!precondition.isEmpty()
            && !precondition.equals(current.path("metadata").path("resourceVersion").asText())) {
          yield conflict(plural, name);
        }
        if (!dryRun) {
          objects.remove(key);
          applied.remove(key);
          resourceVersion++;
        }
        yield ok(200, statusBody(200, "Success", "", Map.of("name", name, "kind", plural)));
      }
      case "PATCH" ->
          String.valueOf(request.getHeader("Content-Type"))
                  .startsWith("application/merge-patch+json")
              ? mergePatch(request, plural, kind, namespace, name, current, dryRun)
              : apply(request, plural, kind, namespace, name, current, dryRun);
      default -> status(405, "MethodNotAllowed", method + " is not supported", null);
    };
  }

  /**
   * Server-side apply, for one field manager: a missing object is created; an existing one gets the
   * applied top-level fields and labels. A binding's roleRef cannot change (422), as in the API
   * server. Other patch types are not implemented and answer 415.
   */
  private ResponseDefinition apply(
      Request request,
      String plural,
      Kind kind,
      String namespace,
      String name,
      @Nullable ObjectNode current,
      boolean dryRun) {
    String type = String.valueOf(request.getHeader("Content-Type"));
    if (!type.startsWith("application/apply-patch+yaml")) {
      return status(
          415,
          "UnsupportedMediaType",
          "FakeKubeApi implements only server-side apply (application/apply-patch+yaml), not "
              + type,
          null);
    }
    String manager = query(request, "fieldManager");
    if (manager == null || manager.isEmpty()) {
      return status(
          400,
          "BadRequest",
          "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required"
              + " for apply patch",
          null);
    }
    ObjectNode body;
    try {
      Object yaml =
          new Load(LoadSettings.builder().build()).loadFromString(request.getBodyAsString());
      if (!(JSON.valueToTree(yaml) instanceof ObjectNode o)) {
        return status(400, "BadRequest", "the apply body is not an object", null);
      }
      body = o;
    } catch (RuntimeException e) {
      return status(400, "BadRequest", "the apply body is not YAML: " + e.getMessage(), null);
    }
    ObjectNode meta = body.withObjectProperty("metadata");
    if (!meta.path("name").asText("").equals(name)) {
      return nameMismatch(meta, name);
    }
    if (!body.path("kind").asText("").equals(kind.kind())
        || !body.path("apiVersion").asText("").equals(kind.apiVersion())) {
      return status(
          400,
          "BadRequest",
          "apply needs apiVersion " + kind.apiVersion() + " and kind " + kind.kind(),
          null);
    }
    ResponseDefinition invalid = validate(plural, kind, namespace, name, meta);
    if (invalid != null) {
      return invalid;
    }
    String key = key(plural, namespace, name);
    Set<String> fields = appliedFields(body);
    if (current == null) {
      if (!dryRun) {
        applied.computeIfAbsent(key, k -> new HashMap<>()).put(manager, fields);
      }
      return ok(201, dryRun ? stamp(body, kind, null, "") : store(key, kind, body, null));
    }
    if (current.has("roleRef") && !current.path("roleRef").equals(body.path("roleRef"))) {
      return status(
          422,
          "Invalid",
          kind.kind()
              + "."
              + "rbac.authorization.k8s.io \""
              + name
              + "\" is invalid: roleRef: Invalid value: "
              + body.path("roleRef")
              + ": cannot change roleRef",
          Map.of("name", name, "kind", plural));
    }
    ObjectNode merged = current.deepCopy();
    body.properties()
        .forEach(
            e -> {
              if (!e.getKey().equals("metadata")) {
                merged.set(e.getKey(), e.getValue());
              }
            });
    if (meta.path("labels").size() > 0) {
      ObjectNode labels = merged.withObjectProperty("metadata").withObjectProperty("labels");
      meta.path("labels").properties().forEach(e -> labels.set(e.getKey(), e.getValue()));
    }
    // A field this manager applied before and no longer sends is removed, unless another owns it.
    Map<String, Set<String>> owners = applied.computeIfAbsent(key, k -> new HashMap<>());
    for (String f : owners.getOrDefault(manager, Set.of())) {
      boolean ownedElsewhere =
          owners.entrySet().stream()
              .anyMatch(o -> !o.getKey().equals(manager) && o.getValue().contains(f));
      if (!fields.contains(f) && !ownedElsewhere) {
        if (f.startsWith("label:")) {
          merged.withObjectProperty("metadata").withObjectProperty("labels").remove(f.substring(6));
        } else {
          merged.remove(f.substring(6));
        }
      }
    }
    if (!dryRun) {
      owners.put(manager, fields);
    }
    if (merged.equals(current)) {
      return ok(200, current); // nothing changed: no new resourceVersion, as the server does
    }
    String now = current.path("metadata").path("resourceVersion").asText();
    return ok(200, dryRun ? stamp(merged, kind, current, now) : store(key, kind, merged, current));
  }

  /**
   * A JSON merge patch (RFC 7386), as the API server applies it: objects merge, a null removes a
   * key, anything else replaces; a {@code metadata.resourceVersion} in the patch is a precondition
   * (409 if stale); a binding's roleRef cannot change (422).
   */
  private ResponseDefinition mergePatch(
      Request request,
      String plural,
      Kind kind,
      String namespace,
      String name,
      @Nullable ObjectNode current,
      boolean dryRun) {
    if (current == null) {
      return notFound(plural, name);
    }
    ObjectNode patch;
    try {
      patch = parse(request);
    } catch (JsonProcessingException e) {
      return status(400, "BadRequest", "the body is not JSON: " + e.getOriginalMessage(), null);
    }
    String now = current.path("metadata").path("resourceVersion").asText();
    String expected = patch.path("metadata").path("resourceVersion").asText("");
    if (!expected.isEmpty() && !expected.equals(now)) {
      return conflict(plural, name);
    }
    ObjectNode merged = current.deepCopy();
    merge(merged, patch);
    if (current.has("roleRef") && !current.path("roleRef").equals(merged.path("roleRef"))) {
      return status(
          422,
          "Invalid",
          kind.kind()
              + " \""
              + name
              + "\" is invalid: roleRef: Invalid value: cannot change roleRef",
          Map.of("name", name, "kind", plural));
    }
    merged.withObjectProperty("metadata").put("resourceVersion", now);
    if (merged.equals(current)) {
      return ok(200, current);
    }
    String key = key(plural, namespace, name);
    return ok(200, dryRun ? stamp(merged, kind, current, now) : store(key, kind, merged, current));
  }

  private static void merge(ObjectNode target, JsonNode patch) {
    patch
        .properties()
        .forEach(
            e -> {
              JsonNode v = e.getValue();
              if (v.isNull()) {
                target.remove(e.getKey());
              } else if (v.isObject() && target.get(e.getKey()) instanceof ObjectNode t) {
                merge(t, v);
              } else if (v.isObject()) {
                ObjectNode fresh = JSON.createObjectNode();
                merge(fresh, v);
                target.set(e.getKey(), fresh);
              } else {
                target.set(e.getKey(), v);
              }
            });
  }

  /** The top-level fields and labels an apply body sets, as {@code field:x} and {@code label:y}. */
  private static Set<String> appliedFields(ObjectNode body) {
    Set<String> out = new HashSet<>();
    body.properties()
        .forEach(
            e -> {
              if (!List.of("metadata", "apiVersion", "kind").contains(e.getKey())) {
                out.add("field:" + e.getKey());
              }
            });
    body.path("metadata").path("labels").properties().forEach(e -> out.add("label:" + e.getKey()));
    return out;
  }

  private ResponseDefinition list(Request request, String plural, Kind kind, String namespace) {
    String prefix = plural + "/" + (namespace.isEmpty() ? "" : namespace + "/");
    String selectorText = query(request, "labelSelector");
    List<Requirement> selector = selector(selectorText);
    if (selector == null) {
      return status(
          400,
          "BadRequest",
          "unable to parse requirement: found '" + selectorText + "', expected: a label selector",
          null);
    }
    String after = query(request, "continue");
    String limitText = query(request, "limit");
    long limit;
    try {
      limit = limitText == null ? 0 : Long.parseLong(limitText);
    } catch (NumberFormatException e) {
      return status(400, "BadRequest", "limit: invalid value \"" + limitText + "\"", null);
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

  private ResponseDefinition create(
      Request request, String plural, Kind kind, String namespace, boolean dryRun) {
    ObjectNode body;
    try {
      body = parse(request);
    } catch (JsonProcessingException e) {
      return status(400, "BadRequest", "the body is not JSON: " + e.getOriginalMessage(), null);
    }
    ObjectNode meta = body.withObjectProperty("metadata");
    String name = meta.path("name").asText("");
    ResponseDefinition invalid = validate(plural, kind, namespace, name, meta);
    if (invalid != null) {
      return invalid;
    }
    String key = key(plural, namespace, name);
    if (objects.containsKey(key)) {
      return status(
          409,
          "AlreadyExists",
          plural + " \"" + name + "\" already exists",
          Map.of("name", name, "kind", plural));
    }
    return ok(201, dryRun ? stamp(body, kind, null, "") : store(key, kind, body, null));
  }

  private ResponseDefinition replace(
      Request request,
      String plural,
      Kind kind,
      String namespace,
      String name,
      @Nullable ObjectNode current,
      boolean dryRun) {
    ObjectNode body;
    try {
      body = parse(request);
    } catch (JsonProcessingException e) {
      return status(400, "BadRequest", "the body is not JSON: " + e.getOriginalMessage(), null);
    }
    ObjectNode meta = body.withObjectProperty("metadata");
    if (!meta.path("name").asText("").equals(name)) {
      return nameMismatch(meta, name);
    }
    ResponseDefinition invalid = validate(plural, kind, namespace, name, meta);
    if (invalid != null) {
      return invalid;
    }
    if (current == null) {
      if (plural.equals("configmaps")) {
        return notFound(plural, name);
      }
      // RBAC objects may be created by an update, as their REST strategy allows
      String key = key(plural, namespace, name);
      return ok(201, dryRun ? stamp(body, kind, null, "") : store(key, kind, body, null));
    }
    String expected = meta.path("resourceVersion").asText("");
    String now = current.path("metadata").path("resourceVersion").asText();
    if (!expected.isEmpty() && !expected.equals(now)) {
      return conflict(plural, name);
    }
    if (current.has("roleRef") && !current.path("roleRef").equals(body.path("roleRef"))) {
      return status(
          422,
          "Invalid",
          kind.kind() + " \"" + name + "\" is invalid: roleRef: cannot change roleRef",
          Map.of("name", name, "kind", plural));
    }
    String key = key(plural, namespace, name);
    if (stamp(body, kind, current, now).equals(current)) {
      return ok(200, current); // nothing changed: no new resourceVersion, as the server does
    }
    return ok(200, dryRun ? stamp(body, kind, current, now) : store(key, kind, body, current));
  }

  private @Nullable ResponseDefinition validate(
      String plural, Kind kind, String namespace, String name, ObjectNode meta) {
    if (name.isEmpty()) {
      return status(
          422, "Invalid", kind.kind() + " \"\" is invalid: metadata.name: Required value", null);
    }
    if (!plural.equals("configmaps")) {
      // RBAC objects only need a name that is a valid path segment (system:masters is fine)
      if (name.equals(".") || name.equals("..") || name.contains("/") || name.contains("%")) {
        return invalidName(
            kind, name, plural, "may not be '.' or '..' and may not contain '/' or '%'");
      }
    } else if (name.length() > 253 || !NAME.matcher(name).matches()) {
      return invalidName(
          kind,
          name,
          plural,
          "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-'"
              + " or '.', and must start and end with an alphanumeric character");
    }
    String bodyNamespace = meta.path("namespace").asText("");
    if (kind.namespaced() && !bodyNamespace.isEmpty() && !bodyNamespace.equals(namespace)) {
      return status(
          400,
          "BadRequest",
          "the namespace of the provided object does not match the namespace sent on the request",
          null);
    }
    return null;
  }

  private ObjectNode store(String key, Kind kind, ObjectNode body, @Nullable ObjectNode old) {
    resourceVersion++;
    ObjectNode stored = stamp(body, kind, old, Long.toString(resourceVersion));
    objects.put(key, stored);
    return stored;
  }

  /** Sets what the server owns: kind, uid, creation time, resourceVersion, namespace. */
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
    meta.put("resourceVersion", version);
    meta.remove("managedFields");
    return o;
  }

  private static ObjectNode parse(Request request) throws JsonProcessingException {
    JsonNode n = JSON.readTree(request.getBodyAsString());
    if (!(n instanceof ObjectNode o)) {
      throw new JsonProcessingException("expected an object") {
        private static final long serialVersionUID = 1L;
      };
    }
    return o;
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

  private static ResponseDefinition nameMismatch(JsonNode meta, String name) {
    return status(
        400,
        "BadRequest",
        "the name of the object ("
            + meta.path("name").asText("")
            + ") does not match the name on the URL ("
            + name
            + ")",
        null);
  }

  private static ResponseDefinition notFound(String plural, String name) {
    return status(
        404,
        "NotFound",
        plural + " \"" + name + "\" not found",
        Map.of("name", name, "kind", plural));
  }

  private static ResponseDefinition conflict(String plural, String name) {
    return status(
        409,
        "Conflict",
        "Operation cannot be fulfilled on "
            + plural
            + " \""
            + name
            + "\": the object has been modified; please apply your changes to the latest version"
            + " and try again",
        Map.of("name", name, "kind", plural));
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

  private static ResponseDefinition invalidName(Kind kind, String name, String plural, String why) {
    return status(
        422,
        "Invalid",
        kind.kind()
            + " \""
            + name
            + "\" is invalid: metadata.name: Invalid value: \""
            + name
            + "\": "
            + why,
        Map.of("name", name, "kind", plural));
  }

  private static ResponseDefinition status(
      int code, String reason, String message, @Nullable Map<String, String> details) {
    return ok(code, statusBody(code, reason, message, details));
  }

  private static ObjectNode statusBody(
      int code, String reason, String message, @Nullable Map<String, String> details) {
    ObjectNode s = JSON.createObjectNode();
    s.put("kind", "Status").put("apiVersion", "v1");
    s.putObject("metadata");
    s.put("status", code < 400 ? "Success" : "Failure");
    if (!message.isEmpty()) {
      s.put("message", message);
    }
    if (code >= 400) {
      s.put("reason", reason);
    }
    if (details != null) {
      ObjectNode d = s.putObject("details");
      details.forEach(d::put);
    }
    s.put("code", code);
    return s;
  }

  private static ResponseDefinition ok(int code, JsonNode body) {
    return ResponseDefinitionBuilder.responseDefinition()
        .withStatus(code)
        .withHeader("Content-Type", "application/json")
        .withHeader("Audit-Id", UUID.randomUUID().toString())
        .withBody(body.toString())
        .build();
  }
}
