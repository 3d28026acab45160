package dev.eksaccess.api.spi;

import dev.eksaccess.api.ErrorCode;
import dev.eksaccess.api.InvalidInputException;
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
}
