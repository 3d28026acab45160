package dev.eksaccess.api.internal;

import dev.eksaccess.api.Request;
import dev.eksaccess.api.Role;
import dev.eksaccess.api.spi.PolicyRule;
import dev.eksaccess.api.spi.RbacBinding;
import dev.eksaccess.api.spi.RbacRole;
import dev.eksaccess.api.spi.RbacSnapshot;
import dev.eksaccess.api.spi.RbacSubject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * kube-apiserver's RBAC authorizer over a snapshot, indexed by subject, so that a decision costs
 * the bindings of the user's own subjects rather than every binding.
 *
 * <p>As {@code plugin/pkg/auth/authorizer/rbac} decides: ClusterRoleBindings apply everywhere;
 * RoleBindings only to requests in their namespace, so never to cluster-scoped resources or
 * non-resource URLs; a subject is a user by name, a group the user is in, or a ServiceAccount whose
 * username {@code system:serviceaccount:NS:NAME} is the user's (a RoleBinding's ServiceAccount
 * without a namespace is in the binding's namespace). A binding whose role does not exist grants
 * nothing. {@code system:masters} is not RBAC: callers check it first.
 */
public final class RbacIndex {
  private final RbacSnapshot snapshot;
  private final Map<String, RbacRole> clusterRoles = new HashMap<>();
  private final Map<String, Map<String, RbacRole>> roles = new HashMap<>(); // namespace → name
  private final Subjects clusterBindings = new Subjects();
  private final Map<String, Subjects> roleBindingsByNamespace = new HashMap<>();
  private final Subjects roleBindingsAnywhere = new Subjects();

  /** Bindings by the raw name of each subject kind, so that a lookup builds no key strings. */
  private static final class Subjects {
    final Map<String, List<RbacBinding>> users = new HashMap<>();
    final Map<String, List<RbacBinding>> groups = new HashMap<>();
    final Map<String, List<RbacBinding>> serviceAccounts = new HashMap<>(); // "ns:name"

    void add(RbacBinding b) {
      for (RbacSubject s : b.subjects()) {
        switch (s.kind()) {
          case USER -> add(users, s.name(), b);
          case GROUP -> add(groups, s.name(), b);
          case SERVICE_ACCOUNT -> {
            String ns = s.namespace().isEmpty() ? b.namespace() : s.namespace();
            if (!ns.isEmpty()) {
              add(serviceAccounts, ns + ":" + s.name(), b);
            }
          }
        }
      }
    }

    private static void add(Map<String, List<RbacBinding>> map, String key, RbacBinding b) {
      List<RbacBinding> list = map.computeIfAbsent(key, k -> new ArrayList<>(2));
      if (list.isEmpty() || !list.get(list.size() - 1).equals(b)) {
        list.add(b); // a binding naming the same subject twice is listed once
      }
    }

    /** The first match among this user's bindings, in user, groups, ServiceAccount order. */
    @Nullable Match first(
        RbacIndex index,
        String user,
        Collection<String> groups,
        @Nullable String serviceAccount,
        Request request) {
      Match m = index.firstAllowing(users.get(user), request);
      if (m != null) {
        return m;
      }
      for (String g : groups) {
        m = index.firstAllowing(this.groups.get(g), request);
        if (m != null) {
          return m;
        }
      }
      return serviceAccount == null
          ? null
          : index.firstAllowing(serviceAccounts.get(serviceAccount), request);
    }

    void collect(
        String user,
        Collection<String> groups,
        @Nullable String serviceAccount,
        Set<RbacBinding> out) {
      out.addAll(users.getOrDefault(user, List.of()));
      for (String g : groups) {
        out.addAll(this.groups.getOrDefault(g, List.of()));
      }
      if (serviceAccount != null) {
        out.addAll(serviceAccounts.getOrDefault(serviceAccount, List.of()));
      }
    }
  }

  private RbacIndex(RbacSnapshot snapshot) {
    this.snapshot = snapshot;
    for (RbacRole r : snapshot.roles()) {
      (r.isClusterRole()
              ? clusterRoles
              : roles.computeIfAbsent(r.namespace(), k -> new HashMap<>()))
          .putIfAbsent(r.name(), r);
    }
    for (RbacBinding b : snapshot.bindings()) {
      if (b.isClusterRoleBinding()) {
        clusterBindings.add(b);
      } else {
        roleBindingsByNamespace.computeIfAbsent(b.namespace(), k -> new Subjects()).add(b);
        roleBindingsAnywhere.add(b);
      }
    }
  }

  private @Nullable Match firstAllowing(@Nullable List<RbacBinding> bindings, Request request) {
    if (bindings == null) {
      return null;
    }
    for (RbacBinding binding : bindings) {
      RbacRole role = role(binding);
      if (role == null) {
        continue;
      }
      for (PolicyRule rule : role.rules()) {
        if (RbacEvaluator.ruleAllows(rule, request)) {
          return new Match(binding, role, rule);
        }
      }
    }
    return null;
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

  /** Indexes a snapshot: one pass over roles and bindings. */
  public static RbacIndex of(RbacSnapshot snapshot) {
    return new RbacIndex(snapshot);
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
    Match m = clusterBindings.first(this, user, groups, sa, request);
    if (m == null && !request.namespace().isEmpty() && !request.isNonResource()) {
      Subjects ns = roleBindingsByNamespace.get(request.namespace());
      m = ns == null ? null : ns.first(this, user, groups, sa, request);
    }
    return Optional.ofNullable(m);
  }

  /**
   * The bindings that apply to this user for this request, each once: every ClusterRoleBinding
   * naming one of its subjects, then the RoleBindings of the request's namespace.
   */
  public List<RbacBinding> bindingsFor(String user, Collection<String> groups, Request request) {
    String sa = serviceAccountOf(user);
    Set<RbacBinding> out = new LinkedHashSet<>();
    clusterBindings.collect(user, groups, sa, out);
    if (!request.namespace().isEmpty() && !request.isNonResource()) {
      Subjects ns = roleBindingsByNamespace.get(request.namespace());
      if (ns != null) {
        ns.collect(user, groups, sa, out);
      }
    }
    return List.copyOf(out);
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
    roleBindingsAnywhere.collect(user, groups, serviceAccountOf(user), elsewhere);
    for (RbacBinding binding : elsewhere) {
      if (binding.namespace().equals(request.namespace())) {
        continue;
      }
      Optional<RbacRole> role = roleOf(binding);
      if (role.isPresent()
          && role.get().rules().stream().anyMatch(r -> RbacEvaluator.ruleAllows(r, request))) {
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

  /** The role a binding refers to: a Role in the binding's namespace, or a ClusterRole. */
  public Optional<RbacRole> roleOf(RbacBinding binding) {
    return Optional.ofNullable(role(binding));
  }

  private @Nullable RbacRole role(RbacBinding binding) {
    if (binding.roleRef() instanceof Role) {
      Map<String, RbacRole> inNamespace = roles.get(binding.namespace());
      return inNamespace == null ? null : inNamespace.get(binding.roleRef().name());
    }
    return clusterRoles.get(binding.roleRef().name());
  }

  /** Whether a binding's subjects include this user, one of its groups, or its ServiceAccount. */
  public static boolean applies(RbacBinding binding, String user, Collection<String> groups) {
    return applies(binding, userKeys(user, groups));
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
    if (user.startsWith(SA_PREFIX)) {
      String rest = user.substring(SA_PREFIX.length());
      int colon = rest.indexOf(':');
      if (colon > 0 && colon < rest.length() - 1 && rest.indexOf(':', colon + 1) < 0) {
        keys.add("sa:" + rest);
      }
    }
    return keys;
  }

  private static final String SA_PREFIX = "system:serviceaccount:";

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
