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
  private final Map<String, RbacRole> roles = new HashMap<>();
  private final Map<String, List<RbacBinding>> clusterBindings = new HashMap<>();
  private final Map<String, List<RbacBinding>> namespacedBindings = new HashMap<>();
  private final Map<String, List<RbacBinding>> roleBindingsAnywhere = new HashMap<>();

  private RbacIndex(RbacSnapshot snapshot) {
    this.snapshot = snapshot;
    for (RbacRole r : snapshot.roles()) {
      roles.putIfAbsent(roleKey(r.namespace(), r.isClusterRole(), r.name()), r);
    }
    for (RbacBinding b : snapshot.bindings()) {
      for (String key : subjectKeys(b)) {
        if (b.isClusterRoleBinding()) {
          clusterBindings.computeIfAbsent(key, k -> new ArrayList<>()).add(b);
        } else {
          namespacedBindings
              .computeIfAbsent(b.namespace() + "\0" + key, k -> new ArrayList<>())
              .add(b);
          roleBindingsAnywhere.computeIfAbsent(key, k -> new ArrayList<>()).add(b);
        }
      }
    }
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
    for (RbacBinding binding : bindingsFor(user, groups, request)) {
      Optional<RbacRole> role = roleOf(binding);
      if (role.isEmpty()) {
        continue;
      }
      for (PolicyRule rule : role.get().rules()) {
        if (RbacEvaluator.ruleAllows(rule, request)) {
          return Optional.of(new Match(binding, role.get(), rule));
        }
      }
    }
    return Optional.empty();
  }

  /**
   * The bindings that apply to this user for this request, each once: every ClusterRoleBinding
   * naming one of its subjects, then the RoleBindings of the request's namespace.
   */
  public List<RbacBinding> bindingsFor(String user, Collection<String> groups, Request request) {
    List<String> keys = userKeys(user, groups);
    Set<RbacBinding> out = new LinkedHashSet<>();
    for (String key : keys) {
      out.addAll(clusterBindings.getOrDefault(key, List.of()));
    }
    if (!request.namespace().isEmpty() && !request.isNonResource()) {
      for (String key : keys) {
        out.addAll(namespacedBindings.getOrDefault(request.namespace() + "\0" + key, List.of()));
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
    for (String key : userKeys(user, groups)) {
      elsewhere.addAll(roleBindingsAnywhere.getOrDefault(key, List.of()));
    }
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
    boolean cluster = !(binding.roleRef() instanceof Role);
    return Optional.ofNullable(
        roles.get(roleKey(cluster ? "" : binding.namespace(), cluster, binding.roleRef().name())));
  }

  /** Whether a binding's subjects include this user, one of its groups, or its ServiceAccount. */
  public static boolean applies(RbacBinding binding, String user, Collection<String> groups) {
    List<String> keys = userKeys(user, groups);
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

  private static String roleKey(String namespace, boolean cluster, String name) {
    return cluster ? "ClusterRole/" + name : "Role/" + namespace + "/" + name;
  }
}
