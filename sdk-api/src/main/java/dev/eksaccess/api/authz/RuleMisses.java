package dev.eksaccess.api.authz;

import dev.eksaccess.api.Request;
import dev.eksaccess.api.spi.PolicyRule;
import dev.eksaccess.api.spi.RbacRole;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Why a role's rules do not allow a request: the nearest rule, as one sentence. */
final class RuleMisses {
  private RuleMisses() {}

  static String closest(RbacRole role, Request request) {
    String what = what(request);
    Set<String> verbs = new LinkedHashSet<>();
    for (PolicyRule r : role.rules()) {
      if (with(r, r.apiGroups(), r.resourceNames(), ALL).allows(request)) {
        verbs.addAll(r.verbs());
      }
    }
    if (!verbs.isEmpty()) {
      return "its rules allow " + verbs + " on " + what + ", not " + request.verb() + ".";
    }
    for (PolicyRule r : role.rules()) {
      if (!r.resourceNames().isEmpty()
          && with(r, r.apiGroups(), List.of(), r.verbs()).allows(request)) {
        return "a rule allows "
            + request.verb()
            + " "
            + what
            + " only for resourceNames "
            + r.resourceNames()
            + (request.name().isEmpty()
                ? "; the request names no object (a list, watch or create), so it never matches."
                : "; the request is for \"" + request.name() + "\".");
      }
    }
    if (!request.isNonResource()) {
      for (PolicyRule r : role.rules()) {
        if (with(r, ALL, r.resourceNames(), r.verbs()).allows(request)) {
          return "a rule allows "
              + request.verb()
              + " "
              + request.resource()
              + " in API groups "
              + r.apiGroups()
              + ", not \""
              + request.apiGroup()
              + "\".";
        }
      }
    }
    return "no rule allows " + request.verb() + " " + what + ".";
  }

  private static final List<String> ALL = List.of("*");

  private static PolicyRule with(
      PolicyRule r, List<String> apiGroups, List<String> names, List<String> verbs) {
    return r.nonResourceUrls().isEmpty()
        ? new PolicyRule(apiGroups, r.resources(), names, List.of(), verbs)
        : new PolicyRule(List.of(), List.of(), List.of(), r.nonResourceUrls(), verbs);
  }

  /** A request's target as RBAC names it: {@code pods/log}, {@code deployments.apps}, a URL. */
  static String what(Request request) {
    if (request.isNonResource()) {
      return request.nonResourceUrl().orElse("");
    }
    String r =
        request.subresource().isEmpty()
            ? request.resource()
            : request.resource() + "/" + request.subresource();
    return request.apiGroup().isEmpty() ? r : r + "." + request.apiGroup();
  }
}
