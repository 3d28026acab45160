package dev.eksaccess.api;

import dev.eksaccess.api.support.Names;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A Kubernetes API request to explain: a verb on a resource (in a namespace, optionally a
 * subresource, a name and an API group), or a verb on a non-resource URL.
 *
 * <pre>{@code
 * Request.verb("get").resource("pods").inNamespace("prod-apps");
 * Request.verb("create").resource("pods").subresource("exec").named("web-0").inNamespace("prod");
 * Request.verb("list").resource("deployments").inApiGroup("apps").inNamespace("prod");
 * Request.verb("get").nonResourceUrl("/healthz");
 * }</pre>
 */
public final class Request {
  private final String verb;
  private final String apiGroup;
  private final String resource;
  private final String subresource;
  private final String name;
  private final String namespace;
  private final String nonResourceUrl;

  private Request(
      String verb,
      String apiGroup,
      String resource,
      String subresource,
      String name,
      String namespace,
      String nonResourceUrl) {
    this.verb = verb;
    this.apiGroup = apiGroup;
    this.resource = resource;
    this.subresource = subresource;
    this.name = name;
    this.namespace = namespace;
    this.nonResourceUrl = nonResourceUrl;
  }

  /**
   * Starts a request with its verb, such as {@code get}, {@code list}, {@code create} or {@code
   * delete}.
   *
   * @param verb the verb
   * @return the next step: a resource or a non-resource URL
   * @throws InvalidInputException ({@link ErrorCode#INVALID_REQUEST}) if the verb is empty or holds
   *     whitespace
   */
  public static VerbStep verb(String verb) {
    Objects.requireNonNull(verb, "verb");
    requireToken(verb, "verb", "get");
    requireLowerCase(
        verb,
        "verb",
        "Kubernetes verbs are lower case, and RBAC compares them exactly: write \""
            + verb.toLowerCase(Locale.ROOT)
            + "\".");
    return new VerbStep() {
      @Override
      public Request resource(String resource) {
        Objects.requireNonNull(resource, "resource");
        requireToken(resource, "resource", "pods");
        if (resource.contains("/")) {
          throw InvalidInputException.of(
              ErrorCode.INVALID_REQUEST,
              "resource",
              resource,
              "holds a '/'; name the subresource separately: resource(\"pods\").subresource(\"log\").");
        }
        int dot = resource.indexOf('.');
        if (dot > 0) {
          throw InvalidInputException.of(
              ErrorCode.INVALID_REQUEST,
              "resource",
              resource,
              "names its API group too; name the group separately: resource(\""
                  + resource.substring(0, dot)
                  + "\").inApiGroup(\""
                  + resource.substring(dot + 1)
                  + "\").");
        }
        requireLowerCase(
            resource,
            "resource",
            "resources are lower-case plurals, as RBAC rules name them: write \""
                + resource.toLowerCase(Locale.ROOT)
                + "\".");
        return new Request(verb, "", resource, "", "", "", "");
      }

      @Override
      public Request nonResourceUrl(String url) {
        Objects.requireNonNull(url, "url");
        if (!url.startsWith("/") || url.chars().anyMatch(Character::isWhitespace)) {
          throw InvalidInputException.of(
              ErrorCode.INVALID_REQUEST,
              "nonResourceUrl",
              url,
              "is not a URL path; write it as the API server sees it, such as /healthz.");
        }
        return new Request(verb, "", "", "", "", "", url);
      }
    };
  }

  /** After {@link #verb(String)}: what the verb acts on. A chain type, not for variables. */
  public interface VerbStep {
    /**
     * A resource of the core API group, cluster-scoped until {@link #inNamespace(String)}.
     *
     * @param resource the plural resource, such as {@code pods}
     * @return the request
     */
    Request resource(String resource);

    /**
     * A non-resource URL, such as {@code /healthz} or {@code /metrics}.
     *
     * @param url the path
     * @return the request
     */
    Request nonResourceUrl(String url);
  }

  /**
   * The same request in a namespace.
   *
   * @param namespace the namespace
   * @return a new request
   * @throws InvalidInputException if the namespace is not a DNS-1123 label, or this is a
   *     non-resource request
   */
  public Request inNamespace(String namespace) {
    requireResource("inNamespace");
    Names.require(Names.namespace(namespace, "namespace"), ErrorCode.INVALID_NAMESPACE);
    return new Request(verb, apiGroup, resource, subresource, name, namespace, nonResourceUrl);
  }

  /**
   * The same request in an API group, such as {@code apps}; the core group is {@code ""}.
   *
   * @param group the API group
   * @return a new request
   */
  public Request inApiGroup(String group) {
    requireResource("inApiGroup");
    Objects.requireNonNull(group, "group");
    if (!group.isEmpty()) {
      requireToken(group, "apiGroup", "apps");
      if (group.contains("/")) {
        throw InvalidInputException.of(
            ErrorCode.INVALID_REQUEST,
            "apiGroup",
            group,
            "has a version; RBAC names groups without one: inApiGroup(\""
                + group.substring(0, group.indexOf('/'))
                + "\").");
      }
      if (group.matches("v[0-9]+((alpha|beta)[0-9]+)?")) {
        throw InvalidInputException.of(
            ErrorCode.INVALID_REQUEST,
            "apiGroup",
            group,
            "is a version, not a group; the core group (pods, configmaps) is \"\", the default.");
      }
      requireLowerCase(group, "apiGroup", "API groups are lower case, such as \"apps\".");
    }
    return new Request(verb, group, resource, subresource, name, namespace, nonResourceUrl);
  }

  /**
   * The same request on a subresource, such as {@code log}, {@code exec} or {@code status}.
   *
   * @param subresource the subresource
   * @return a new request
   */
  public Request subresource(String subresource) {
    requireResource("subresource");
    requireToken(subresource, "subresource", "log");
    return new Request(verb, apiGroup, resource, subresource, name, namespace, nonResourceUrl);
  }

  /**
   * The same request on one named object.
   *
   * @param name the object's name
   * @return a new request
   */
  public Request named(String name) {
    requireResource("named");
    requireToken(name, "name", "web-0");
    return new Request(verb, apiGroup, resource, subresource, name, namespace, nonResourceUrl);
  }

  private void requireResource(String method) {
    if (isNonResource()) {
      throw InvalidInputException.of(
          ErrorCode.INVALID_REQUEST,
          method,
          nonResourceUrl,
          "applies to resource requests only; a non-resource URL has no namespace, group,"
              + " subresource or name.");
    }
  }

  private static void requireLowerCase(String value, String location, String hint) {
    if (!value.equals(value.toLowerCase(Locale.ROOT))) {
      throw InvalidInputException.of(ErrorCode.INVALID_REQUEST, location, value, hint);
    }
  }

  private static void requireToken(String value, String location, String example) {
    Objects.requireNonNull(value, location);
    if (value.isEmpty() || value.chars().anyMatch(c -> Character.isWhitespace(c) || c < 0x20)) {
      throw InvalidInputException.of(
          ErrorCode.INVALID_REQUEST,
          location,
          value,
          "must be non-empty with no whitespace, such as \"" + example + "\".");
    }
  }

  /**
   * The verb.
   *
   * @return the verb
   */
  public String verb() {
    return verb;
  }

  /**
   * The API group; {@code ""} for the core group.
   *
   * @return the group
   */
  public String apiGroup() {
    return apiGroup;
  }

  /**
   * The resource; {@code ""} for a non-resource request.
   *
   * @return the resource
   */
  public String resource() {
    return resource;
  }

  /**
   * The subresource, if any.
   *
   * @return the subresource or {@code ""}
   */
  public String subresource() {
    return subresource;
  }

  /**
   * The object name, if any.
   *
   * @return the name or {@code ""}
   */
  public String name() {
    return name;
  }

  /**
   * The namespace; {@code ""} for a cluster-scoped request. A request for one namespace object
   * ({@code get namespaces prod-apps}) is in that namespace, as the API server's request info puts
   * it, so RoleBindings in {@code prod-apps} can allow it.
   *
   * <pre>{@code
   * Request.verb("get").resource("namespaces").named("prod-apps").namespace();  // "prod-apps"
   * }</pre>
   *
   * @return the namespace or {@code ""}
   */
  public String namespace() {
    if (namespace.isEmpty() && resource.equals("namespaces") && !name.isEmpty()) {
      return name;
    }
    return namespace;
  }

  /**
   * The non-resource URL, if this is a non-resource request.
   *
   * @return the URL
   */
  public Optional<String> nonResourceUrl() {
    return nonResourceUrl.isEmpty() ? Optional.empty() : Optional.of(nonResourceUrl);
  }

  /**
   * Whether this is a non-resource request.
   *
   * @return true for non-resource URLs
   */
  public boolean isNonResource() {
    return !nonResourceUrl.isEmpty();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Request r
        && verb.equals(r.verb)
        && apiGroup.equals(r.apiGroup)
        && resource.equals(r.resource)
        && subresource.equals(r.subresource)
        && name.equals(r.name)
        && namespace.equals(r.namespace)
        && nonResourceUrl.equals(r.nonResourceUrl);
  }

  @Override
  public int hashCode() {
    return Objects.hash(verb, apiGroup, resource, subresource, name, namespace, nonResourceUrl);
  }

  /** Reads like {@code "delete pods in namespace prod-apps"}. */
  @Override
  public String toString() {
    if (isNonResource()) {
      return verb + " " + nonResourceUrl;
    }
    StringBuilder s = new StringBuilder(verb).append(' ').append(resource);
    if (!subresource.isEmpty()) {
      s.append('/').append(subresource);
    }
    if (!apiGroup.isEmpty()) {
      s.append('.').append(apiGroup);
    }
    if (!name.isEmpty()) {
      s.append(" \"").append(name).append('"');
    }
    s.append(namespace().isEmpty() ? " (cluster-wide)" : " in namespace " + namespace());
    return s.toString();
  }
}
