package dev.eksaccess.api.internal;

import dev.eksaccess.api.Principal;
import dev.eksaccess.api.Request;
import dev.eksaccess.api.Role;
import dev.eksaccess.api.authz.KubernetesUser;
import dev.eksaccess.api.authz.RbacAuthorizer;
import dev.eksaccess.api.spi.IdentityMapping;
import dev.eksaccess.api.spi.PolicyAssociation;
import dev.eksaccess.api.spi.PolicyRule;
import dev.eksaccess.api.spi.PrincipalMatching;
import dev.eksaccess.api.spi.RbacBinding;
import dev.eksaccess.api.spi.RbacChange;
import dev.eksaccess.api.spi.RbacRole;
import dev.eksaccess.api.spi.RbacSnapshot;
import dev.eksaccess.api.support.AccessPolicyRules;
import dev.eksaccess.api.support.PrincipalKeys;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * RBAC's escalation checks, ahead of the API server, for the identity applying the plan.
 *
 * <ul>
 *   <li>A Role or ClusterRole write needs {@code escalate} on it (any authorizer, EKS access
 *       policies included), or the applier's own RBAC rules must cover every rule it grants; an
 *       {@code aggregationRule} needs cluster-admin's rules as well, since it can gather anything.
 *   <li>A binding write needs {@code bind} on its role (any authorizer), or the applier's own RBAC
 *       rules must cover every rule of the role, as it will be once the plan's roles are written.
 * </ul>
 *
 * "Own rules" are RBAC's alone: the API server resolves them from bindings, never from a webhook
 * authorizer such as EKS access policies. The applier's username is known only when it holds no
 * session template, so a template-only username counts by its groups alone.
 */
final class EscalationCheck {
  private static final String RBAC_GROUP = "rbac.authorization.k8s.io";
  private static final List<PolicyRule> FULL_AUTHORITY =
      List.of(
          PolicyRule.resources(List.of("*"), List.of("*"), List.of("*")),
          PolicyRule.nonResourceUrls(List.of("*"), List.of("*")));

  private EscalationCheck() {}

  /** A warning per role or binding the applier could not write; empty when it could write all. */
  static List<String> warnings(
      Principal applier,
      PrincipalMatching matching,
      List<IdentityMapping> mappings,
      RbacSnapshot rbac,
      List<RbacChange> changes) {
    Optional<IdentityMapping> mapping =
        mappings.stream()
            .filter(
                m ->
                    PrincipalKeys.of(m.principal(), matching)
                        .equals(PrincipalKeys.of(applier, matching)))
            .reduce((a, b) -> b);
    if (mapping.isEmpty()) {
      return List.of(); // not mapped at all: the identity layer guards already say enough
    }
    Applier who = new Applier(applier, mapping.get());
    if (who.groups().contains(Planner.SYSTEM_MASTERS)) {
      return List.of();
    }
    RbacAuthorizer index = RbacAuthorizer.of(rbac);
    Map<String, RbacRole> planned = new HashMap<>();
    for (RbacChange c : changes) {
      if (c instanceof RbacChange.PutRole put) {
        planned.put(put.role().namespace() + "/" + put.role().name(), put.role());
      }
    }
    List<String> out = new ArrayList<>();
    for (RbacChange c : changes) {
      if (c instanceof RbacChange.PutRole put) {
        roleWarning(index, rbac, who, put.role()).ifPresent(out::add);
      } else if (c instanceof RbacChange.PutBinding put) {
        bindingWarning(index, who, rbac, planned, put.binding()).ifPresent(out::add);
      }
    }
    return out;
  }

  private static Optional<String> roleWarning(
      RbacAuthorizer index, RbacSnapshot rbac, Applier who, RbacRole role) {
    boolean exists =
        rbac.roles().stream()
            .anyMatch(r -> r.namespace().equals(role.namespace()) && r.name().equals(role.name()));
    Request escalate =
        Request.verb("escalate")
            .resource(role.isClusterRole() ? "clusterroles" : "roles")
            .inApiGroup(RBAC_GROUP);
    if (exists) { // a create's URL carries no name, so only an update is checked by name
      escalate = escalate.named(role.name());
    }
    if (!role.isClusterRole()) {
      escalate = escalate.inNamespace(role.namespace());
    }
    if (allowed(index, who, true, escalate)) {
      return Optional.empty();
    }
    Optional<Request> missing = firstUncovered(index, who, role.rules(), role.namespace());
    if (missing.isEmpty() && !role.aggregateFrom().isEmpty()) {
      missing = firstUncovered(index, who, FULL_AUTHORITY, "");
    }
    return missing.map(
        m ->
            "Applying "
                + role
                + " needs "
                + who
                + " to have escalate on it, or to hold every rule it grants"
                + (role.aggregateFrom().isEmpty()
                    ? ""
                    : " and, for its aggregationRule, every rule cluster-admin holds")
                + "; it lacks "
                + m
                + ", so the API server will refuse the role (403). Apply as an identity that holds"
                + " those rules, or grant it escalate on "
                + (role.isClusterRole() ? "clusterroles" : "roles")
                + ".");
  }

  private static Optional<String> bindingWarning(
      RbacAuthorizer index,
      Applier who,
      RbacSnapshot rbac,
      Map<String, RbacRole> planned,
      RbacBinding b) {
    Request bind =
        Request.verb("bind")
            .resource(b.roleRef() instanceof Role ? "roles" : "clusterroles")
            .inApiGroup(RBAC_GROUP)
            .named(b.roleRef().name());
    if (!b.namespace().isEmpty()) {
      bind = bind.inNamespace(b.namespace());
    }
    if (allowed(index, who, true, bind)) {
      return Optional.empty();
    }
    String key = (b.roleRef() instanceof Role ? b.namespace() : "") + "/" + b.roleRef().name();
    RbacRole plannedRole = planned.get(key);
    Optional<List<PolicyRule>> rules =
        plannedRole != null
            ? Optional.of(rulesOnceWritten(plannedRole, rbac, planned))
            : index.roleOf(b).map(RbacRole::rules);
    if (rules.isEmpty()) {
      return Optional.empty(); // the role is missing: the planner warns about that already
    }
    return firstUncovered(index, who, rules.get(), b.namespace())
        .map(
            m ->
                "Applying "
                    + b
                    + " needs "
                    + who
                    + " to hold every rule of "
                    + b.roleRef()
                    + " or to have bind on it; it lacks "
                    + m
                    + ", so the API server will refuse the binding (403). Apply as an identity"
                    + " that holds the role, or grant it bind on "
                    + b.roleRef()
                    + ".");
  }

  /**
   * A planned role's rules once written: its own, or for an aggregated ClusterRole the rules of
   * every ClusterRole its selectors match (the snapshot's, overridden by the plan's).
   */
  private static List<PolicyRule> rulesOnceWritten(
      RbacRole role, RbacSnapshot rbac, Map<String, RbacRole> planned) {
    if (role.aggregateFrom().isEmpty()) {
      return role.rules();
    }
    Map<String, RbacRole> clusterRoles = new LinkedHashMap<>();
    for (RbacRole r : rbac.roles()) {
      if (r.isClusterRole()) {
        clusterRoles.put(r.name(), r);
      }
    }
    planned.values().stream()
        .filter(RbacRole::isClusterRole)
        .forEach(r -> clusterRoles.put(r.name(), r));
    List<PolicyRule> rules = new ArrayList<>();
    for (RbacRole r : clusterRoles.values()) {
      boolean selected =
          !r.name().equals(role.name())
              && role.aggregateFrom().stream()
                  .anyMatch(sel -> r.labels().entrySet().containsAll(sel.entrySet()));
      if (selected) {
        rules.addAll(r.rules());
      }
    }
    return rules;
  }

  /** The applier as the API server sees it. */
  private record Applier(Principal principal, String user, List<String> groups, IdentityMapping m) {
    Applier(Principal principal, IdentityMapping m) {
      this(principal, m.username().filter(u -> !u.contains("{{")).orElse(""), groupsOf(m), m);
    }

    private static List<String> groupsOf(IdentityMapping m) {
      List<String> groups = new ArrayList<>(m.groups());
      groups.add("system:authenticated");
      return List.copyOf(groups);
    }

    @Override
    public String toString() {
      return principal
          + " (as "
          + (user.isEmpty() ? "" : "user \"" + user + "\", ")
          + "groups "
          + groups
          + ")";
    }
  }

  /** The first atom of {@code rules} the applier's own RBAC rules do not cover, if any. */
  private static Optional<Request> firstUncovered(
      RbacAuthorizer index, Applier who, List<PolicyRule> rules, String namespace) {
    for (PolicyRule rule : rules) {
      for (String verb : rule.verbs()) {
        if (!rule.nonResourceUrls().isEmpty()) {
          for (String url : rule.nonResourceUrls()) {
            Request r = Request.verb(verb).nonResourceUrl(url);
            if (!allowed(index, who, false, r)) {
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
              Request r = request(verb, group, resource, name, namespace);
              if (!allowed(index, who, false, r)) {
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

  /**
   * Whether the applier may make the request: by RBAC, and when {@code anyAuthorizer} also by its
   * EKS access policies (which the API server consults as an authorizer, never as held rules).
   */
  private static boolean allowed(
      RbacAuthorizer index, Applier who, boolean anyAuthorizer, Request r) {
    if (index.decide(new KubernetesUser(who.user(), who.groups(), false), r).allowed()) {
      return true;
    }
    if (!anyAuthorizer) {
      return false;
    }
    for (PolicyAssociation a : who.m().policies()) {
      if (AccessPolicyRules.inScope(a, r)
          && AccessPolicyRules.of(a.policy())
              .map(rules -> rules.stream().anyMatch(x -> x.allows(r)))
              .orElse(false)) {
        return true;
      }
    }
    return false;
  }
}
