package dev.eksaccess.api;

import dev.eksaccess.api.InvalidInputException.Problem;
import dev.eksaccess.api.internal.Names;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;

/**
 * Where a binding applies: the whole cluster, or a set of namespaces.
 *
 * <pre>{@code
 * Scope.cluster();
 * Scope.namespaces("prod-apps", "prod-jobs");
 * }</pre>
 *
 * @param namespaces the namespaces, in order and without duplicates; empty means cluster-wide
 */
public record Scope(List<String> namespaces) {
  private static final Scope CLUSTER = new Scope(List.of());

  /**
   * Checks every namespace, reporting all bad ones.
   *
   * @throws InvalidInputException ({@link ErrorCode#INVALID_NAMESPACE}) naming each bad namespace
   */
  public Scope {
    Objects.requireNonNull(namespaces, "namespaces");
    List<Problem> problems = new ArrayList<>();
    for (int i = 0; i < namespaces.size(); i++) {
      String ns = Objects.requireNonNull(namespaces.get(i), "namespaces[" + i + "]");
      Problem p = Names.namespace(ns, "namespaces[" + i + "]");
      if (p != null) {
        problems.add(p);
      }
    }
    if (!problems.isEmpty()) {
      throw new InvalidInputException(ErrorCode.INVALID_NAMESPACE, problems);
    }
    namespaces = List.copyOf(new LinkedHashSet<>(namespaces));
  }

  /**
   * The whole cluster.
   *
   * @return the cluster scope
   */
  public static Scope cluster() {
    return CLUSTER;
  }

  /**
   * One or more namespaces.
   *
   * @param first a namespace
   * @param more further namespaces
   * @return the scope
   * @throws InvalidInputException if any namespace is not a DNS-1123 label
   */
  public static Scope namespaces(String first, String... more) {
    List<String> all = new ArrayList<>();
    all.add(first);
    all.addAll(List.of(more));
    return new Scope(all);
  }

  /**
   * Whether this is the whole cluster.
   *
   * @return true for the cluster scope
   */
  public boolean isClusterWide() {
    return namespaces.isEmpty();
  }

  /**
   * Whether a request in {@code namespace} falls inside this scope.
   *
   * @param namespace the request's namespace, or empty for a cluster-scoped request
   * @return true if covered
   */
  public boolean covers(String namespace) {
    return isClusterWide() || (!namespace.isEmpty() && namespaces.contains(namespace));
  }

  @Override
  public String toString() {
    return isClusterWide() ? "cluster-wide" : "in namespaces " + String.join(", ", namespaces);
  }
}
