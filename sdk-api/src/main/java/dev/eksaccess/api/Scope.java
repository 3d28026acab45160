package dev.eksaccess.api;

import dev.eksaccess.api.InvalidInputException.Problem;
import dev.eksaccess.api.support.Names;
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
 * Scope.namespaces("dev-*");   // EKS access policies only: every namespace starting with dev-
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
      // EKS access policy scopes may end in * ("dev-*"); RBAC bindings may not (the planner says
      // so)
      String name = isWildcard(ns) ? ns.substring(0, ns.length() - 1) + "x" : ns;
      Problem p = Names.namespace(name, "namespaces[" + i + "]");
      if (p != null) {
        p = new Problem(p.location(), ns, p.message());
      }
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
    if (isClusterWide()) {
      return true;
    }
    if (namespace.isEmpty()) {
      return false;
    }
    for (String ns : namespaces) {
      if (isWildcard(ns)
          ? namespace.startsWith(ns.substring(0, ns.length() - 1))
          : ns.equals(namespace)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether a namespace names several by a trailing {@code *}, as EKS access policy scopes may.
   *
   * @return true if any namespace ends in {@code *}
   */
  public boolean hasWildcard() {
    return namespaces.stream().anyMatch(Scope::isWildcard);
  }

  private static boolean isWildcard(String namespace) {
    return namespace.endsWith("*");
  }

  @Override
  public String toString() {
    return isClusterWide() ? "cluster-wide" : "in namespaces " + String.join(", ", namespaces);
  }
}
