package dev.eksaccess.rbac.internal;

import java.util.List;
import java.util.Map;

/**
 * A ClusterRole's {@code aggregationRule}: the ClusterRoles whose labels match any selector give it
 * their rules, as the aggregation controller computes.
 */
public record Aggregation(List<Selector> selectors) {
  public Aggregation {
    selectors = List.copyOf(selectors);
  }

  /** A label selector: every matchLabels pair and every expression must hold. */
  public record Selector(Map<String, String> matchLabels, List<Expression> expressions) {
    public Selector {
      matchLabels = Map.copyOf(matchLabels);
      expressions = List.copyOf(expressions);
    }

    /** Whether Kubernetes can turn it into a label selector (every expression valid). */
    public boolean isValid() {
      return expressions.stream().allMatch(Expression::isValid);
    }

    /** Whether labels satisfy it; an empty selector matches every ClusterRole, as in Kubernetes. */
    public boolean matches(Map<String, String> labels) {
      for (Map.Entry<String, String> e : matchLabels.entrySet()) {
        if (!e.getValue().equals(labels.get(e.getKey()))) {
          return false;
        }
      }
      for (Expression x : expressions) {
        if (!x.matches(labels)) {
          return false;
        }
      }
      return true;
    }
  }

  /** One matchExpression: In, NotIn, Exists or DoesNotExist. */
  public record Expression(String key, String operator, List<String> values) {
    public Expression {
      values = List.copyOf(values);
    }

    /**
     * As Kubernetes' selector conversion accepts it: In and NotIn need values, Exists and
     * DoesNotExist take none, and no other operator exists.
     */
    boolean isValid() {
      return switch (operator) {
        case "In", "NotIn" -> !values.isEmpty();
        case "Exists", "DoesNotExist" -> values.isEmpty();
        default -> false;
      };
    }

    boolean matches(Map<String, String> labels) {
      String v = labels.get(key);
      return switch (operator) {
        case "In" -> v != null && values.contains(v);
        case "NotIn" -> v == null || !values.contains(v);
        case "Exists" -> v != null;
        case "DoesNotExist" -> v == null;
        default -> false;
      };
    }
  }

  /**
   * Whether the controller can use every selector; if one is invalid it fails for this role and
   * leaves its rules as they are.
   */
  public boolean isValid() {
    return selectors.stream().allMatch(Selector::isValid);
  }

  /** Whether any selector matches. */
  public boolean matches(Map<String, String> labels) {
    return selectors.stream().anyMatch(s -> s.matches(labels));
  }
}
