package dev.eksaccess.api.authz;

import dev.eksaccess.api.Request;
import dev.eksaccess.api.spi.PolicyRule;
import dev.eksaccess.api.spi.RbacRole;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.jspecify.annotations.Nullable;

/**
 * Access matrices over one snapshot: the rows (resources) are worked out once per snapshot and
 * scope kind, and each role's cells once, the first time a matrix needs that role. A matrix is then
 * the union of the cells of the roles bound to the user in that scope, which is what deciding each
 * cell through the authorizer gives: a cell's request is allowed if and only if some rule of some
 * role bound there allows it, and a cell's request has no name and no subresource.
 *
 * <p>Thread-safe: what is computed lazily may be computed twice by racing threads, to equal values.
 */
final class MatrixIndex {
  private final RbacIndex index;
  private final List<String> namespaced;
  private final List<String> clusterScoped;
  private final List<String> verbs;
  private final List<Set<String>> verbSets; // by bit mask over verbs
  private volatile @Nullable Rows namespaceRows;
  private volatile @Nullable Rows clusterRows;

  /**
   * A matrix index.
   *
   * @param index the snapshot's RBAC index
   * @param namespaced the built-in namespaced resources every matrix lists
   * @param clusterScoped the built-in cluster-scoped resources a cluster-scope matrix lists
   * @param verbs the columns, at most 8
   */
  public MatrixIndex(
      RbacIndex index, List<String> namespaced, List<String> clusterScoped, List<String> verbs) {
    if (verbs.size() > 8) {
      throw new IllegalArgumentException("at most 8 verbs: a row's cells are one byte");
    }
    this.index = index;
    this.namespaced = List.copyOf(namespaced);
    this.clusterScoped = List.copyOf(clusterScoped);
    this.verbs = List.copyOf(verbs);
    List<Set<String>> sets = new ArrayList<>(1 << verbs.size());
    for (int mask = 0; mask < 1 << verbs.size(); mask++) {
      Set<String> set = new LinkedHashSet<>();
      for (int v = 0; v < verbs.size(); v++) {
        if ((mask & 1 << v) != 0) {
          set.add(verbs.get(v));
        }
      }
      sets.add(Set.copyOf(set));
    }
    this.verbSets = List.copyOf(sets);
  }

  /**
   * For each resource, in name order, the verbs the user may use on it in a scope.
   *
   * @param user the username
   * @param groups the groups the authorizer sees
   * @param namespace the namespace, or {@code ""} for cluster scope
   * @param everything true for a member of {@code system:masters}, who may do everything
   * @return the rows, an unmodifiable map of unmodifiable sets of verbs
   */
  public Map<String, Set<String>> allowed(
      String user, Collection<String> groups, String namespace, boolean everything) {
    Rows rows = rows(namespace.isEmpty());
    byte[] cells = new byte[rows.names.length];
    if (everything) {
      Arrays.fill(cells, (byte) ((1 << verbs.size()) - 1));
    } else {
      for (int role : index.roleIdsFor(user, groups, namespace)) {
        byte[] granted = rows.cells(role);
        for (int r = 0; r < cells.length; r++) {
          cells[r] |= granted[r];
        }
      }
    }
    return new MatrixCells(rows.names, cells, verbSets);
  }

  private Rows rows(boolean clusterScope) {
    Rows rows = clusterScope ? clusterRows : namespaceRows;
    if (rows == null) {
      rows = new Rows(clusterScope);
      if (clusterScope) {
        clusterRows = rows;
      } else {
        namespaceRows = rows;
      }
    }
    return rows;
  }

  private static final int[] NONE = {};

  /** The rows of the matrices of one scope kind, and each role's cells in them. */
  private final class Rows {
    final String[] names;
    final Request[][] probes; // [row][verb]: the cell's request, without a namespace
    final Map<String, int[]> rowsOf = new HashMap<>(); // resource + '\0' + apiGroup → rows
    final AtomicReferenceArray<byte[]> cellsByRole;

    Rows(boolean clusterScope) {
      // the built-in resources, and every resource a rule names by name in a named group
      Set<String> resources = new LinkedHashSet<>(namespaced);
      if (clusterScope) {
        resources.addAll(clusterScoped);
      }
      for (int id = 0; id < index.roleCount(); id++) {
        for (PolicyRule rule : index.role(id).rules()) {
          for (String res : rule.resources()) {
            if (res.contains("*") || res.contains("/")) {
              continue;
            }
            for (String g : rule.apiGroups()) {
              if (!g.equals("*")) {
                String name = g.isEmpty() ? res : res + "." + g;
                if (clusterScope || !clusterScoped.contains(name)) {
                  resources.add(name);
                }
              }
            }
          }
        }
      }
      this.names = resources.stream().sorted().toArray(String[]::new);
      this.probes = new Request[names.length][];
      for (int r = 0; r < names.length; r++) {
        String name = names[r];
        int dot = name.indexOf('.');
        String res = dot < 0 ? name : name.substring(0, dot);
        String group = dot < 0 ? "" : name.substring(dot + 1);
        probes[r] = new Request[verbs.size()];
        for (int v = 0; v < verbs.size(); v++) {
          Request req = Request.verb(verbs.get(v)).resource(res);
          probes[r][v] = group.isEmpty() ? req : req.inApiGroup(group);
        }
        // "pods" and "pods." are two rows with the same requests
        rowsOf.merge(
            res + '\0' + group,
            new int[] {r},
            (a, b) -> {
              int[] both = Arrays.copyOf(a, a.length + 1);
              both[a.length] = b[0];
              return both;
            });
      }
      this.cellsByRole = new AtomicReferenceArray<>(index.roleCount());
    }

    byte[] cells(int role) {
      byte[] cells = cellsByRole.get(role);
      if (cells == null) {
        cells = compute(index.role(role));
        cellsByRole.set(role, cells);
      }
      return cells;
    }

    /**
     * A role's cells. Only the rows a rule can match are tried: a cell's request has no
     * subresource, so without a {@code *} among its groups or resources a rule can match only rows
     * whose resource and group it names.
     */
    private byte[] compute(RbacRole role) {
      byte[] cells = new byte[names.length];
      for (PolicyRule rule : role.rules()) {
        if (rule.apiGroups().contains("*") || rule.resources().contains("*")) {
          for (int r = 0; r < names.length; r++) {
            cells[r] |= allowedVerbs(rule, r);
          }
          continue;
        }
        for (String res : rule.resources()) {
          for (String g : rule.apiGroups()) {
            for (int r : rowsOf.getOrDefault(res + '\0' + g, NONE)) {
              cells[r] |= allowedVerbs(rule, r);
            }
          }
        }
      }
      return cells;
    }

    private byte allowedVerbs(PolicyRule rule, int row) {
      int mask = 0;
      for (int v = 0; v < verbs.size(); v++) {
        if (rule.allows(probes[row][v])) {
          mask |= 1 << v;
        }
      }
      return (byte) mask;
    }
  }
}
