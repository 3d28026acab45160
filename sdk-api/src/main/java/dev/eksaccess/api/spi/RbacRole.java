package dev.eksaccess.api.spi;

import dev.eksaccess.api.ErrorCode;
import dev.eksaccess.api.support.Names;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A Role (with a namespace) or a ClusterRole (namespace {@code ""}).
 *
 * <pre>{@code
 * RbacRole view = RbacRole.clusterRole("view", List.of(
 *     PolicyRule.resources(List.of(""), List.of("pods"), List.of("get", "list", "watch"))));
 * }</pre>
 *
 * @param namespace the Role's namespace, or {@code ""} for a ClusterRole
 * @param name the name
 * @param rules the rules
 * @param labels the labels, sorted by key
 * @param aggregateFrom a ClusterRole's aggregation rule, as {@code matchLabels} selectors; empty
 *     for a role without one
 */
public record RbacRole(
    String namespace,
    String name,
    List<PolicyRule> rules,
    Map<String, String> labels,
    List<Map<String, String>> aggregateFrom) {
  /**
   * Checks the names.
   *
   * @throws dev.eksaccess.api.InvalidInputException if a name would be rejected
   */
  public RbacRole {
    Objects.requireNonNull(namespace, "namespace");
    Names.require(
        Names.rbacName(Objects.requireNonNull(name, "name"), "role.name"), ErrorCode.INVALID_NAME);
    if (!namespace.isEmpty()) {
      Names.require(Names.namespace(namespace, "role.namespace"), ErrorCode.INVALID_NAMESPACE);
    }
    rules = List.copyOf(rules);
    labels = java.util.Collections.unmodifiableMap(new TreeMap<>(labels));
    aggregateFrom = aggregateFrom.stream().map(Map::copyOf).toList();
  }

  /**
   * A role without an aggregation rule.
   *
   * @param namespace the Role's namespace, or {@code ""} for a ClusterRole
   * @param name the name
   * @param rules the rules
   * @param labels the labels
   */
  public RbacRole(
      String namespace, String name, List<PolicyRule> rules, Map<String, String> labels) {
    this(namespace, name, rules, labels, List.of());
  }

  /**
   * A ClusterRole.
   *
   * @param name the name
   * @param rules the rules
   * @return the role
   */
  public static RbacRole clusterRole(String name, List<PolicyRule> rules) {
    return new RbacRole("", name, rules, Map.of());
  }

  /**
   * A namespaced Role.
   *
   * @param namespace the namespace
   * @param name the name
   * @param rules the rules
   * @return the role
   */
  public static RbacRole role(String namespace, String name, List<PolicyRule> rules) {
    return new RbacRole(namespace, name, rules, Map.of());
  }

  /**
   * Whether this is a ClusterRole.
   *
   * @return true when it has no namespace
   */
  public boolean isClusterRole() {
    return namespace.isEmpty();
  }

  @Override
  public String toString() {
    return isClusterRole() ? "ClusterRole " + name : "Role " + namespace + "/" + name;
  }
}
