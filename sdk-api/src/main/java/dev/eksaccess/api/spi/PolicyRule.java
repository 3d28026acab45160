package dev.eksaccess.api.spi;

import dev.eksaccess.api.ErrorCode;
import dev.eksaccess.api.InvalidInputException;
import dev.eksaccess.api.Request;
import java.util.List;

/**
 * One RBAC rule: verbs on resources of API groups (optionally only some names), or verbs on
 * non-resource URLs.
 *
 * <pre>{@code
 * PolicyRule read = PolicyRule.resources(List.of(""), List.of("pods", "pods/log"), List.of("get", "list"));
 * PolicyRule health = PolicyRule.nonResourceUrls(List.of("/healthz"), List.of("get"));
 * }</pre>
 *
 * @param apiGroups the API groups ({@code ""} is core, {@code *} is all)
 * @param resources the resources, {@code res/sub} for subresources, {@code *} for all
 * @param resourceNames names the rule is limited to; empty for all
 * @param nonResourceUrls URL paths, a trailing {@code *} matching a prefix
 * @param verbs the verbs, {@code *} for all
 */
public record PolicyRule(
    List<String> apiGroups,
    List<String> resources,
    List<String> resourceNames,
    List<String> nonResourceUrls,
    List<String> verbs) {
  /**
   * Checks the rule's shape as the API server does.
   *
   * @throws InvalidInputException ({@link ErrorCode#INVALID_NAME}) for a rule with no verbs, or one
   *     that mixes resources and non-resource URLs
   */
  public PolicyRule {
    apiGroups = List.copyOf(apiGroups);
    resources = List.copyOf(resources);
    resourceNames = List.copyOf(resourceNames);
    nonResourceUrls = List.copyOf(nonResourceUrls);
    verbs = List.copyOf(verbs);
    if (verbs.isEmpty()) {
      throw InvalidInputException.of(
          ErrorCode.INVALID_NAME, "rule.verbs", null, "is empty; a rule needs at least one verb.");
    }
    if (!nonResourceUrls.isEmpty() && !(resources.isEmpty() && apiGroups.isEmpty())) {
      throw InvalidInputException.of(
          ErrorCode.INVALID_NAME,
          "rule.nonResourceURLs",
          String.join(",", nonResourceUrls),
          "cannot be mixed with resources or apiGroups in one rule; write two rules.");
    }
    if (nonResourceUrls.isEmpty() && resources.isEmpty()) {
      throw InvalidInputException.of(
          ErrorCode.INVALID_NAME,
          "rule.resources",
          null,
          "is empty; a rule names resources (and apiGroups) or nonResourceURLs.");
    }
  }

  /**
   * A resource rule.
   *
   * @param apiGroups the API groups
   * @param resources the resources
   * @param verbs the verbs
   * @return the rule
   */
  public static PolicyRule resources(
      List<String> apiGroups, List<String> resources, List<String> verbs) {
    return new PolicyRule(apiGroups, resources, List.of(), List.of(), verbs);
  }

  /**
   * A non-resource URL rule.
   *
   * @param urls the URL paths
   * @param verbs the verbs
   * @return the rule
   */
  public static PolicyRule nonResourceUrls(List<String> urls, List<String> verbs) {
    return new PolicyRule(List.of(), List.of(), List.of(), urls, verbs);
  }

  /**
   * A copy limited to these object names.
   *
   * @param names the names
   * @return the copy
   */
  public PolicyRule withResourceNames(List<String> names) {
    return new PolicyRule(apiGroups, resources, names, nonResourceUrls, verbs);
  }

  @Override
  public String toString() {
    if (!nonResourceUrls.isEmpty()) {
      return verbs + " on " + nonResourceUrls;
    }
    return verbs
        + " on "
        + resources
        + " in apiGroups "
        + apiGroups.stream().map(g -> g.isEmpty() ? "\"\"" : g).toList()
        + (resourceNames.isEmpty() ? "" : " named " + resourceNames);
  }

  /**
   * Whether this rule allows a request, exactly as kube-apiserver's {@code RuleAllows} decides:
   * verbs, API groups and resources match exactly or by {@code *}; {@code *}{@code /sub} matches a
   * subresource of any resource; {@code resourceNames}, when given, must name the object; a
   * non-resource URL matches exactly or by a trailing {@code *} prefix. Whether a binding puts the
   * rule in the request's scope is the authorizer's question, not the rule's.
   *
   * <pre>{@code
   * PolicyRule.resources(List.of(""), List.of("pods"), List.of("get"))
   *     .allows(Request.verb("get").resource("pods").inNamespace("a"));   // true
   * }</pre>
   *
   * @param request the request
   * @return whether this rule covers it
   */
  public boolean allows(Request request) {
    PolicyRule rule = this;
    if (!matches(rule.verbs(), request.verb())) {
      return false;
    }
    if (request.isNonResource()) {
      String url = request.nonResourceUrl().orElse("");
      for (String pattern : rule.nonResourceUrls()) {
        if (pattern.equals("*") || pattern.equals(url) || prefixMatches(pattern, url)) {
          return true;
        }
      }
      return false;
    }
    if (!matches(rule.apiGroups(), request.apiGroup())) {
      return false;
    }
    String resource = request.resource();
    String subresource = request.subresource();
    boolean resourceOk = false;
    for (String r : rule.resources()) {
      if (r.equals("*") || resourceMatches(r, resource, subresource)) {
        resourceOk = true;
        break;
      }
    }
    if (!resourceOk) {
      return false;
    }
    return rule.resourceNames().isEmpty() || rule.resourceNames().contains(request.name());
  }

  /**
   * Whether a rule's resource {@code r} is {@code resource}, {@code resource/subresource}, or
   * {@code *}{@code /subresource}: ResourceMatches without building the combined strings, since a
   * decision runs this for every rule it looks at.
   */
  private static boolean resourceMatches(String r, String resource, String subresource) {
    if (subresource.isEmpty()) {
      return r.equals(resource);
    }
    int n = resource.length();
    int s = subresource.length();
    if (r.length() == n + 1 + s
        && r.startsWith(resource)
        && r.charAt(n) == '/'
        && r.endsWith(subresource)) {
      return true; // r is resource + "/" + subresource
    }
    return r.length() == s + 2 && r.startsWith("*/") && r.endsWith(subresource);
  }

  /**
   * A pattern ending in {@code *} matches every URL that starts with it, all its trailing stars
   * taken off, as Go's {@code strings.HasPrefix(url, strings.TrimRight(pattern, "*"))}.
   */
  private static boolean prefixMatches(String pattern, String url) {
    int end = pattern.length();
    if (end == 0 || pattern.charAt(end - 1) != '*') {
      return false;
    }
    while (end > 0 && pattern.charAt(end - 1) == '*') {
      end--;
    }
    return url.regionMatches(0, pattern, 0, end);
  }

  private static boolean matches(List<String> allowed, String value) {
    return allowed.contains("*") || allowed.contains(value);
  }
}
