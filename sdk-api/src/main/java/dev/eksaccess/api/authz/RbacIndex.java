package dev.eksaccess.api.authz;

import dev.eksaccess.api.Request;
import dev.eksaccess.api.Role;
import dev.eksaccess.api.spi.PolicyRule;
import dev.eksaccess.api.spi.RbacBinding;
import dev.eksaccess.api.spi.RbacRole;
import dev.eksaccess.api.spi.RbacSnapshot;
import dev.eksaccess.api.spi.RbacSubject;
import dev.eksaccess.api.support.Texts;
import java.lang.ref.SoftReference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * kube-apiserver's RBAC authorizer over a snapshot, indexed by subject, so that a decision costs
 * the bindings of the user's own subjects rather than every binding, and indexed by role, so that
 * who-can checks each bound role once rather than every binding.
 *
 * <p>As {@code plugin/pkg/auth/authorizer/rbac} decides: ClusterRoleBindings apply everywhere;
 * RoleBindings only to requests in their namespace, so never to cluster-scoped resources or
 * non-resource URLs; a subject is a user by name, a group the user is in, or a ServiceAccount whose
 * username {@code system:serviceaccount:NS:NAME} is the user's (a RoleBinding's ServiceAccount
 * without a namespace is in the binding's namespace). A binding whose role does not exist grants
 * nothing. {@code system:masters} is not RBAC: callers check it first.
 *
 * <p>Built once per snapshot and immutable: hold one for many questions. {@link #of} also keeps the
 * last index it built, so that callers handed the same snapshot object again reuse it.
 */
final class RbacIndex {
  private static final String SA_PREFIX = "system:serviceaccount:";
  private static final int NO_ROLE = -1;

  /** The last index {@link #of} built; softly held, as a cache that memory pressure may clear. */
  private static volatile SoftReference<@Nullable RbacIndex> last = new SoftReference<>(null);

  private final RbacSnapshot snapshot;
  private final RbacBinding[] bindings; // the snapshot's, in its order: a binding's position
  private final RbacRole[] roles; // the snapshot's, in its order: a role's id
  private final int[] roleOfBinding; // the id of each binding's role, or NO_ROLE
  private final Map<String, Integer> clusterRoles = new HashMap<>();
  private final Map<String, Map<String, Integer>> namespacedRoles = new HashMap<>(); // ns → name
  private final Subjects clusterBindings = new Subjects();
  private final Map<String, Subjects> roleBindingsByNamespace = new HashMap<>();
  private final Subjects roleBindingsAnywhere = new Subjects();
  private volatile @Nullable Grants grants; // who-can's index, built on its first use

  /** Bindings by the raw name of each subject kind, so that a lookup builds no key strings. */
  private static final class Subjects {
    final Map<String, Bound> users = new HashMap<>();
    final Map<String, Bound> groups = new HashMap<>();
    final Map<String, Bound> serviceAccounts = new HashMap<>(); // "ns:name"

    void add(RbacBinding b, int position, int role, int[] roleOfBinding) {
      for (RbacSubject s : b.subjects()) {
        switch (s.kind()) {
          case USER -> add(users, s.name(), position, role, roleOfBinding);
          case GROUP -> add(groups, s.name(), position, role, roleOfBinding);
          case SERVICE_ACCOUNT -> {
            String ns = s.namespace().isEmpty() ? b.namespace() : s.namespace();
            if (!ns.isEmpty()) {
              add(serviceAccounts, ns + ":" + s.name(), position, role, roleOfBinding);
            }
          }
        }
      }
    }

    private static void add(
        Map<String, Bound> map, String key, int position, int role, int[] roleOfBinding) {
      map.computeIfAbsent(key, k -> new Bound()).add(position, role, roleOfBinding);
    }
  }

  /**
   * The bindings of one subject in one scope, in snapshot order, and among them the first binding
   * of each distinct existing role: a role that does not allow a request through its first binding
   * does not through any other, so a decision checks each role once.
   */
  private static final class Bound {
    final Ints all = new Ints();
    final Ints decisive = new Ints();
    private @Nullable Set<Integer> decisiveRoles; // only once there are many, to stay linear

    void add(int position, int role, int[] roleOfBinding) {
      if (all.size > 0 && all.values[all.size - 1] == position) {
        return; // a binding naming the same subject twice is listed once
      }
      all.add(position);
      if (role != NO_ROLE && isNew(role, roleOfBinding)) {
        decisive.add(position);
      }
    }

    private boolean isNew(int role, int[] roleOfBinding) {
      Set<Integer> seen = decisiveRoles;
      if (seen != null) {
        return seen.add(role);
      }
      for (int i = 0; i < decisive.size; i++) {
        if (roleOfBinding[decisive.values[i]] == role) {
          return false;
        }
      }
      if (decisive.size >= 8) {
        seen = new HashSet<>();
        for (int i = 0; i < decisive.size; i++) {
          seen.add(roleOfBinding[decisive.values[i]]);
        }
        seen.add(role);
        decisiveRoles = seen;
      }
      return true;
    }
  }

  /** A growable list of ints, to index positions and ids without boxing them. */
  private static final class Ints {
    int[] values = new int[2];
    int size;

    void add(int value) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = value;
    }
  }

  private RbacIndex(RbacSnapshot snapshot) {
    this.snapshot = snapshot;
    this.roles = snapshot.roles().toArray(new RbacRole[0]);
    for (int id = 0; id < roles.length; id++) {
      RbacRole r = roles[id];
      (r.isClusterRole()
              ? clusterRoles
              : namespacedRoles.computeIfAbsent(r.namespace(), k -> new HashMap<>()))
          .putIfAbsent(r.name(), id);
    }
    this.bindings = snapshot.bindings().toArray(new RbacBinding[0]);
    this.roleOfBinding = new int[bindings.length];
    for (int position = 0; position < bindings.length; position++) {
      RbacBinding b = bindings[position];
      int role = roleId(b);
      roleOfBinding[position] = role;
      if (b.isClusterRoleBinding()) {
        clusterBindings.add(b, position, role, roleOfBinding);
      } else {
        roleBindingsByNamespace
            .computeIfAbsent(b.namespace(), k -> new Subjects())
            .add(b, position, role, roleOfBinding);
        roleBindingsAnywhere.add(b, position, role, roleOfBinding);
      }
    }
  }

  /**
   * Indexes a snapshot: one pass over roles and bindings. The same snapshot object as the previous
   * call gets the same index back.
   */
  @SuppressWarnings("ReferenceEquality") // the same object: comparing two snapshots costs a build
  public static RbacIndex of(RbacSnapshot snapshot) {
    RbacIndex cached = last.get();
    if (cached != null && cached.snapshot == snapshot) {
      return cached;
    }
    RbacIndex built = new RbacIndex(snapshot);
    last = new SoftReference<>(built);
    return built;
  }

  /** The snapshot indexed. */
  public RbacSnapshot snapshot() {
    return snapshot;
  }

  /** The binding, role and rule that allow a request. */
  public record Match(RbacBinding binding, RbacRole role, PolicyRule rule) {
    @Override
    public String toString() {
      return binding + " → " + role + " → rule " + rule;
    }
  }

  /** The first binding (ClusterRoleBindings first, as the authorizer visits them) that allows. */
  public Optional<Match> allows(String user, Collection<String> groups, Request request) {
    String sa = serviceAccountOf(user);
    Match m = first(clusterBindings, user, groups, sa, request);
    if (m == null && !request.namespace().isEmpty() && !request.isNonResource()) {
      Subjects ns = roleBindingsByNamespace.get(request.namespace());
      m = ns == null ? null : first(ns, user, groups, sa, request);
    }
    return Optional.ofNullable(m);
  }

  /** The first match among this user's bindings, in user, groups, ServiceAccount order. */
  private @Nullable Match first(
      Subjects subjects,
      String user,
      Collection<String> groups,
      @Nullable String serviceAccount,
      Request request) {
    Match m = firstAllowing(subjects.users.get(user), request);
    if (m != null) {
      return m;
    }
    for (String g : groups) {
      m = firstAllowing(subjects.groups.get(g), request);
      if (m != null) {
        return m;
      }
    }
    return serviceAccount == null
        ? null
        : firstAllowing(subjects.serviceAccounts.get(serviceAccount), request);
  }

  private @Nullable Match firstAllowing(@Nullable Bound bound, Request request) {
    if (bound == null) {
      return null;
    }
    for (int i = 0; i < bound.decisive.size; i++) {
      int position = bound.decisive.values[i];
      RbacRole role = roles[roleOfBinding[position]];
      for (PolicyRule rule : role.rules()) {
        if (rule.allows(request)) {
          return new Match(bindings[position], role, rule);
        }
      }
    }
    return null;
  }

  /**
   * The bindings that apply to this user for this request, each once: every ClusterRoleBinding
   * naming one of its subjects, then the RoleBindings of the request's namespace.
   */
  public List<RbacBinding> bindingsFor(String user, Collection<String> groups, Request request) {
    String sa = serviceAccountOf(user);
    Set<RbacBinding> out = new LinkedHashSet<>();
    collect(clusterBindings, user, groups, sa, out);
    if (!request.namespace().isEmpty() && !request.isNonResource()) {
      Subjects ns = roleBindingsByNamespace.get(request.namespace());
      if (ns != null) {
        collect(ns, user, groups, sa, out);
      }
    }
    return List.copyOf(out);
  }

  private void collect(
      Subjects subjects,
      String user,
      Collection<String> groups,
      @Nullable String serviceAccount,
      Set<RbacBinding> out) {
    collect(subjects.users.get(user), out);
    for (String g : groups) {
      collect(subjects.groups.get(g), out);
    }
    if (serviceAccount != null) {
      collect(subjects.serviceAccounts.get(serviceAccount), out);
    }
  }

  private void collect(@Nullable Bound bound, Set<RbacBinding> out) {
    if (bound != null) {
      for (int i = 0; i < bound.all.size; i++) {
        out.add(bindings[bound.all.values[i]]);
      }
    }
  }

  /**
   * The ids ({@link #role(int)}) of the distinct existing roles bound to this user in a scope: the
   * roles of its ClusterRoleBindings, and for a namespace those of its RoleBindings there. What the
   * user may do in that scope is what the union of their rules allows.
   *
   * @param user the username
   * @param groups the groups, as the authorizer sees them
   * @param namespace the namespace, or {@code ""} for cluster scope (ClusterRoleBindings only)
   * @return the role ids, ascending, each once
   */
  public int[] roleIdsFor(String user, Collection<String> groups, String namespace) {
    String sa = serviceAccountOf(user);
    Ints ids = new Ints();
    roleIds(clusterBindings, user, groups, sa, ids);
    if (!namespace.isEmpty()) {
      Subjects ns = roleBindingsByNamespace.get(namespace);
      if (ns != null) {
        roleIds(ns, user, groups, sa, ids);
      }
    }
    int[] sorted = Arrays.copyOf(ids.values, ids.size);
    Arrays.sort(sorted);
    int distinct = 0;
    for (int i = 0; i < sorted.length; i++) {
      if (i == 0 || sorted[i] != sorted[i - 1]) {
        sorted[distinct++] = sorted[i];
      }
    }
    return Arrays.copyOf(sorted, distinct);
  }

  private void roleIds(
      Subjects subjects,
      String user,
      Collection<String> groups,
      @Nullable String serviceAccount,
      Ints out) {
    roleIds(subjects.users.get(user), out);
    for (String g : groups) {
      roleIds(subjects.groups.get(g), out);
    }
    if (serviceAccount != null) {
      roleIds(subjects.serviceAccounts.get(serviceAccount), out);
    }
  }

  private void roleIds(@Nullable Bound bound, Ints out) {
    if (bound != null) {
      for (int i = 0; i < bound.decisive.size; i++) {
        out.add(roleOfBinding[bound.decisive.values[i]]);
      }
    }
  }

  /**
   * Bindings that would allow the request if a subject they name were spelled as the caller's
   * username or one of its groups: one edit away ({@code acme:dev} for {@code acme:devs}), or the
   * same but for case. The commonest reason a mapped caller is still denied.
   */
  private List<String> misnamedSubjects(String user, Collection<String> groups, Request request) {
    List<String> out = new ArrayList<>();
    // only the bindings that would allow the request (who-can's index, checked once per role),
    // then their subjects' names: cheap however many bindings the cluster has
    for (Match m : bindingsAllowing(request)) {
      for (RbacSubject subject : m.binding().subjects()) {
        if (subject.kind() == RbacSubject.Kind.SERVICE_ACCOUNT) {
          continue;
        }
        boolean group = subject.kind() == RbacSubject.Kind.GROUP;
        for (String name : group ? groups : List.of(user)) {
          if (!name.equals(subject.name())
              && Math.abs(name.length() - subject.name().length()) <= 1
              && !Texts.differOnlyInDigits(name, subject.name())
              && Texts.editDistance(name, subject.name()) <= 1) {
            String kind = group ? "group" : "user";
            out.add(
                "near miss: "
                    + m.binding()
                    + " would allow it, but names the "
                    + kind
                    + " \""
                    + subject.name()
                    + "\", one letter away from the "
                    + kind
                    + " \""
                    + name
                    + "\" the caller has; Kubernetes compares names exactly. Fix the one that is"
                    + " misspelled.");
          }
        }
      }
    }
    return out;
  }

  /**
   * Why nothing allowed the request, closest first: bindings that apply but whose role lacks the
   * rule (with the nearest rule), bindings to missing roles, and RoleBindings of this user that
   * grant it in another namespace (or, for a cluster-scoped request, only in a namespace).
   */
  public List<String> nearMisses(String user, Collection<String> groups, Request request) {
    List<String> misses = new ArrayList<>();
    for (RbacBinding binding : bindingsFor(user, groups, request)) {
      Optional<RbacRole> role = roleOf(binding);
      if (role.isEmpty()) {
        misses.add(binding + " refers to " + binding.roleRef() + ", which does not exist.");
      } else if (!binding.name().startsWith("system:")) {
        misses.add(binding + " → " + role.get() + ": " + RuleMisses.closest(role.get(), request));
      }
    }
    Set<RbacBinding> elsewhere = new LinkedHashSet<>();
    collect(roleBindingsAnywhere, user, groups, serviceAccountOf(user), elsewhere);
    for (RbacBinding binding : elsewhere) {
      if (binding.namespace().equals(request.namespace())) {
        continue;
      }
      Optional<RbacRole> role = roleOf(binding);
      if (role.isPresent() && role.get().rules().stream().anyMatch(r -> r.allows(request))) {
        misses.add(
            binding
                + " grants this in namespace "
                + binding.namespace()
                + (request.namespace().isEmpty() || request.isNonResource()
                    ? ", but RoleBindings never grant cluster-scoped resources or non-resource"
                        + " URLs; a ClusterRoleBinding is needed."
                    : "; the request is in namespace " + request.namespace() + "."));
      }
    }
    misses.addAll(misnamedSubjects(user, groups, request));
    if (misses.isEmpty()) {
      misses.add(
          "no RoleBinding or ClusterRoleBinding names user \""
              + user
              + "\" or any of the groups "
              + groups
              + (request.namespace().isEmpty() ? "" : " in namespace " + request.namespace())
              + ".");
    }
    return misses;
  }

  /**
   * Every binding whose role allows the request, in snapshot order, each with its role and the
   * role's first rule that allows it: the ClusterRoleBindings, and for a namespaced resource
   * request the RoleBindings of its namespace. Each role bound in those scopes is checked once,
   * however many bindings name it; bindings whose role does not exist grant nothing.
   *
   * @param request the request
   * @return the allowing bindings, in snapshot order
   */
  public List<Match> bindingsAllowing(Request request) {
    Grants g = grants();
    List<Hit> hits = new ArrayList<>();
    g.cluster.allowing(roles, request, hits);
    if (!request.namespace().isEmpty() && !request.isNonResource()) {
      RolesBound ns = g.byNamespace.get(request.namespace());
      if (ns != null) {
        ns.allowing(roles, request, hits);
      }
    }
    hits.sort((a, b) -> Integer.compare(a.position, b.position));
    List<Match> out = new ArrayList<>(hits.size());
    for (Hit h : hits) {
      out.add(new Match(bindings[h.position], roles[roleOfBinding[h.position]], h.rule));
    }
    return out;
  }

  private record Hit(int position, PolicyRule rule) {}

  /** Who-can's index: each scope's bindings grouped by role. */
  private record Grants(RolesBound cluster, Map<String, RolesBound> byNamespace) {}

  /** The bindings of one scope, grouped by their (existing) role. */
  private static final class RolesBound {
    final int[] roles; // distinct role ids, in order of first binding
    final int[][] positions; // for each, its bindings' positions in snapshot order

    RolesBound(Map<Integer, Ints> byRole) {
      roles = new int[byRole.size()];
      positions = new int[byRole.size()][];
      int i = 0;
      for (Map.Entry<Integer, Ints> e : byRole.entrySet()) {
        roles[i] = e.getKey();
        positions[i++] = Arrays.copyOf(e.getValue().values, e.getValue().size);
      }
    }

    /** Each role checked once; the bindings of those that allow, with the first rule that does. */
    void allowing(RbacRole[] all, Request request, List<Hit> out) {
      for (int i = 0; i < roles.length; i++) {
        for (PolicyRule rule : all[roles[i]].rules()) {
          if (rule.allows(request)) {
            for (int position : positions[i]) {
              out.add(new Hit(position, rule));
            }
            break;
          }
        }
      }
    }
  }

  private Grants grants() {
    Grants g = grants;
    if (g == null) {
      Map<Integer, Ints> cluster = new LinkedHashMap<>();
      Map<String, Map<Integer, Ints>> byNamespace = new HashMap<>();
      for (int position = 0; position < bindings.length; position++) {
        int role = roleOfBinding[position];
        if (role == NO_ROLE) {
          continue;
        }
        RbacBinding b = bindings[position];
        (b.isClusterRoleBinding()
                ? cluster
                : byNamespace.computeIfAbsent(b.namespace(), k -> new LinkedHashMap<>()))
            .computeIfAbsent(role, r -> new Ints())
            .add(position);
      }
      Map<String, RolesBound> namespaces = new HashMap<>();
      byNamespace.forEach((ns, byRole) -> namespaces.put(ns, new RolesBound(byRole)));
      g = new Grants(new RolesBound(cluster), namespaces);
      grants = g; // built twice at worst, by racing threads, to the same content
    }
    return g;
  }

  /** How many roles the snapshot holds; their ids are 0 to this, exclusive. */
  public int roleCount() {
    return roles.length;
  }

  /** The role with this id: the snapshot's role at that position. */
  public RbacRole role(int id) {
    return roles[id];
  }

  /** The role a binding refers to: a Role in the binding's namespace, or a ClusterRole. */
  public Optional<RbacRole> roleOf(RbacBinding binding) {
    int id = roleId(binding);
    return id == NO_ROLE ? Optional.empty() : Optional.of(roles[id]);
  }

  private int roleId(RbacBinding binding) {
    Integer id;
    if (binding.roleRef() instanceof Role) {
      Map<String, Integer> inNamespace = namespacedRoles.get(binding.namespace());
      id = inNamespace == null ? null : inNamespace.get(binding.roleRef().name());
    } else {
      id = clusterRoles.get(binding.roleRef().name());
    }
    return id == null ? NO_ROLE : id;
  }

  /** {@code ns:name} of a ServiceAccount user, or null for any other user. */
  private static @Nullable String serviceAccountOf(String user) {
    if (!user.startsWith(SA_PREFIX)) {
      return null;
    }
    String rest = user.substring(SA_PREFIX.length());
    int colon = rest.indexOf(':');
    return colon > 0 && colon < rest.length() - 1 && rest.indexOf(':', colon + 1) < 0 ? rest : null;
  }

  /** Whether a binding's subjects include this user, one of its groups, or its ServiceAccount. */
  public static boolean applies(RbacBinding binding, String user, Collection<String> groups) {
    String sa = serviceAccountOf(user);
    for (RbacSubject s : binding.subjects()) {
      boolean match =
          switch (s.kind()) {
            case USER -> s.name().equals(user);
            case GROUP -> groups.contains(s.name());
            case SERVICE_ACCOUNT -> {
              String ns = s.namespace().isEmpty() ? binding.namespace() : s.namespace();
              yield sa != null
                  && !ns.isEmpty()
                  && sa.length() == ns.length() + 1 + s.name().length()
                  && sa.startsWith(ns)
                  && sa.charAt(ns.length()) == ':'
                  && sa.endsWith(s.name());
            }
          };
      if (match) {
        return true;
      }
    }
    return false;
  }

  /** Whether a binding's subjects include one of these subject keys ({@link #userKeys}). */
  static boolean applies(RbacBinding binding, List<String> keys) {
    for (String key : subjectKeys(binding)) {
      if (keys.contains(key)) {
        return true;
      }
    }
    return false;
  }

  /** The subject keys a user answers to. */
  static List<String> userKeys(String user, Collection<String> groups) {
    List<String> keys = new ArrayList<>(groups.size() + 2);
    keys.add("u:" + user);
    for (String g : groups) {
      keys.add("g:" + g);
    }
    String sa = serviceAccountOf(user);
    if (sa != null) {
      keys.add("sa:" + sa);
    }
    return keys;
  }

  private static List<String> subjectKeys(RbacBinding b) {
    List<String> keys = new ArrayList<>(b.subjects().size());
    for (RbacSubject s : b.subjects()) {
      switch (s.kind()) {
        case USER -> keys.add("u:" + s.name());
        case GROUP -> keys.add("g:" + s.name());
        case SERVICE_ACCOUNT -> {
          String ns = s.namespace().isEmpty() ? b.namespace() : s.namespace();
          if (!ns.isEmpty()) {
            keys.add("sa:" + ns + ":" + s.name());
          }
        }
      }
    }
    return keys;
  }
}
