package dev.eksaccess.api;

import dev.eksaccess.api.spi.PolicyRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A ClusterRole that a grant creates (and keeps up to date), with its own rules or, through an
 * aggregation rule, the rules of every ClusterRole whose labels match. Bind it like a {@link
 * ClusterRole}; eks-access creates it only because a grant defines it, and never changes a
 * same-named ClusterRole it did not create.
 *
 * <pre>{@code
 * ClusterRoleDefinition widgetReader = ClusterRoleDefinition.of("widget-reader",
 *     PolicyRule.resources(List.of("widgets.example.com"), List.of("widgets"),
 *         List.of("get", "list", "watch")));
 * Grant g = ClusterAccess.grant(role).asGroup("acme:devs").bind(widgetReader).clusterWide();
 *
 * ClusterRoleDefinition monitoring = ClusterRoleDefinition.aggregating("acme-monitoring",
 *     Map.of("acme.example.com/aggregate-to-monitoring", "true"));
 * }</pre>
 *
 * @param role the ClusterRole it defines
 * @param rules its rules; empty for an aggregated role
 * @param aggregateFrom the label selectors ({@code matchLabels}) of its aggregation rule; empty for
 *     a role with rules
 */
public record ClusterRoleDefinition(
    ClusterRole role, List<PolicyRule> rules, List<Map<String, String>> aggregateFrom)
    implements Bindable {
  private static final Set<String> BUILT_IN = Set.of("cluster-admin", "admin", "edit", "view");

  /**
   * Checks the definition.
   *
   * @throws InvalidInputException if it would redefine a built-in ClusterRole, or has both rules
   *     and an aggregation rule, or neither
   */
  public ClusterRoleDefinition {
    Objects.requireNonNull(role, "role");
    rules = List.copyOf(rules);
    List<Map<String, String>> selectors = new ArrayList<>();
    for (Map<String, String> s : aggregateFrom) {
      selectors.add(Map.copyOf(s));
    }
    aggregateFrom = List.copyOf(selectors);
    if (BUILT_IN.contains(role.name()) || role.name().startsWith("system:")) {
      throw InvalidInputException.of(
          ErrorCode.INVALID_GRANT,
          "clusterRole.name",
          role.name(),
          "is a built-in ClusterRole; bind it with ClusterRole.named(..) instead of defining it.");
    }
    if (rules.isEmpty() == aggregateFrom.isEmpty()) {
      throw InvalidInputException.of(
          ErrorCode.INVALID_GRANT,
          "clusterRole " + role.name(),
          null,
          rules.isEmpty()
              ? "has neither rules nor an aggregation rule; it would grant nothing."
              : "has both rules and an aggregation rule; the aggregation controller would replace"
                  + " the rules. Define one or the other.");
    }
    for (Map<String, String> s : aggregateFrom) {
      if (s.isEmpty()) {
        throw InvalidInputException.of(
            ErrorCode.INVALID_GRANT,
            "clusterRole " + role.name() + ".aggregateFrom",
            "{}",
            "is an empty selector, which matches every ClusterRole (cluster-admin included).");
      }
    }
  }

  /**
   * A ClusterRole with these rules.
   *
   * @param name the ClusterRole's name
   * @param first a rule
   * @param more more rules
   * @return the definition
   */
  public static ClusterRoleDefinition of(String name, PolicyRule first, PolicyRule... more) {
    List<PolicyRule> all = new ArrayList<>();
    all.add(Objects.requireNonNull(first, "first"));
    all.addAll(List.of(more));
    return new ClusterRoleDefinition(ClusterRole.named(name), all, List.of());
  }

  /**
   * An aggregated ClusterRole: the aggregation controller gives it the rules of every ClusterRole
   * whose labels match one of the selectors.
   *
   * @param name the ClusterRole's name
   * @param matchLabels a selector
   * @return the definition
   */
  public static ClusterRoleDefinition aggregating(String name, Map<String, String> matchLabels) {
    return new ClusterRoleDefinition(ClusterRole.named(name), List.of(), List.of(matchLabels));
  }

  @Override
  public String toString() {
    return role + (aggregateFrom.isEmpty() ? " " + rules : " aggregating " + aggregateFrom);
  }
}
