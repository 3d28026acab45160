package dev.eksaccess.api.internal;

import dev.eksaccess.api.Principal;
import dev.eksaccess.api.Request;
import dev.eksaccess.api.Role;
import dev.eksaccess.api.spi.IdentityMapping;
import dev.eksaccess.api.spi.PolicyAssociation;
import dev.eksaccess.api.spi.PolicyRule;
import dev.eksaccess.api.spi.PrincipalMatching;
import dev.eksaccess.api.spi.RbacBinding;
import dev.eksaccess.api.spi.RbacChange;
import dev.eksaccess.api.spi.RbacSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * RBAC's escalation check, ahead of the API server: creating a binding needs {@code bind} on its
 * role, or the creator must already hold every rule the role grants (in the binding's namespace, or
 * everywhere for a ClusterRoleBinding). The check is for the identity applying the plan; its
 * username is known only when it holds no session template, so a template-only username counts by
 * its groups (and access policies) alone.
 */
final class EscalationCheck {
  private static final String RBAC_GROUP = "rbac.authorization.k8s.io";

  private EscalationCheck() {}

  /** A warning per binding the applier could not create; empty when it could create them all. */
  static List<String> warnings(
      Principal applier,
      PrincipalMatching matching,
      List<IdentityMapping> mappings,
      RbacSnapshot rbac,
      List<RbacChange> changes) {
    Optional<IdentityMapping> mapping =
        mappings.stream()
            .filter(
                m -> Planner.key(m.principal(), matching).equals(Planner.key(applier, matching)))
            .reduce((a, b) -> b);
    if (mapping.isEmpty()) {
      return List.of(); // not mapped at all: the identity layer guards already say enough
    }
    String user = mapping.get().username().filter(u -> !u.contains("{{")).orElse("");
    List<String> groups = new ArrayList<>(mapping.get().groups());
    groups.add("system:authenticated");
    if (groups.contains(Planner.SYSTEM_MASTERS)) {
      return List.of();
    }
    RbacIndex index = RbacIndex.of(rbac);
    List<String> out = new ArrayList<>();
    for (RbacChange c : changes) {
      if (!(c instanceof RbacChange.PutBinding put)) {
        continue;
      }
      RbacBinding b = put.binding();
      Request bind =
          Request.verb("bind")
              .resource(b.roleRef() instanceof Role ? "roles" : "clusterroles")
              .inApiGroup(RBAC_GROUP)
              .named(b.roleRef().name());
      if (!b.namespace().isEmpty()) {
        bind = bind.inNamespace(b.namespace());
      }
      if (allowed(index, user, groups, mapping.get().policies(), bind)) {
        continue;
      }
      Optional<List<PolicyRule>> rules =
          index.roleOf(b).map(r -> r.rules()).or(() -> Optional.empty());
      if (rules.isEmpty()) {
        continue; // the role is missing: the planner warns about that already
      }
      Optional<Request> missing =
          firstUncovered(index, user, groups, mapping.get(), rules.get(), b);
      if (missing.isPresent()) {
        out.add(
            "Applying "
                + b
                + " needs "
                + applier
                + " (as "
                + (user.isEmpty() ? "" : "user \"" + user + "\", ")
                + "groups "
                + groups
                + ") to hold every rule of "
                + b.roleRef()
                + " or to have bind on it; it lacks "
                + missing.get()
                + ", so the API server will refuse the binding (403). Apply as an identity that"
                + " holds the role, or grant it bind on "
                + b.roleRef()
                + ".");
      }
    }
    return out;
  }

  private static Optional<Request> firstUncovered(
      RbacIndex index,
      String user,
      List<String> groups,
      IdentityMapping mapping,
      List<PolicyRule> rules,
      RbacBinding b) {
    for (PolicyRule rule : rules) {
      for (String verb : rule.verbs()) {
        if (!rule.nonResourceUrls().isEmpty()) {
          for (String url : rule.nonResourceUrls()) {
            Request r = Request.verb(verb).nonResourceUrl(url);
            if (!allowed(index, user, groups, mapping.policies(), r)) {
              return Optional.of(r);
            }
          }
          continue;
        }
        for (String group : rule.apiGroups()) {
          for (String resource : rule.resources()) {
            List<String> names =
                rule.resourceNames().isEmpty() ? List.of("") : rule.resourceNames();
            for (String name : names) {
              Request r = request(verb, group, resource, name, b.namespace());
              if (!allowed(index, user, groups, mapping.policies(), r)) {
                return Optional.of(r);
              }
            }
          }
        }
      }
    }
    return Optional.empty();
  }

  private static Request request(
      String verb, String group, String resource, String name, String namespace) {
    int slash = resource.indexOf('/');
    Request r = Request.verb(verb).resource(slash < 0 ? resource : resource.substring(0, slash));
    if (slash >= 0) {
      r = r.subresource(resource.substring(slash + 1));
    }
    if (!group.isEmpty()) {
      r = r.inApiGroup(group);
    }
    if (!name.isEmpty()) {
      r = r.named(name);
    }
    return namespace.isEmpty() ? r : r.inNamespace(namespace);
  }

  private static boolean allowed(
      RbacIndex index,
      String user,
      List<String> groups,
      List<PolicyAssociation> policies,
      Request r) {
    if (index.allows(user, groups, r).isPresent()) {
      return true;
    }
    for (PolicyAssociation a : policies) {
      if (AccessPolicyRules.inScope(a, r)
          && AccessPolicyRules.of(a.policy())
              .map(rules -> rules.stream().anyMatch(x -> RbacEvaluator.ruleAllows(x, r)))
              .orElse(false)) {
        return true;
      }
    }
    return false;
  }
}
