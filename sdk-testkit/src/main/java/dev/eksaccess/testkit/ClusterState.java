package dev.eksaccess.testkit;

import dev.eksaccess.api.BackendException;
import dev.eksaccess.api.Change;
import dev.eksaccess.api.ConflictException;
import dev.eksaccess.api.spi.IdentityMapping;
import dev.eksaccess.api.spi.RbacBinding;
import dev.eksaccess.api.spi.RbacRef;
import dev.eksaccess.api.spi.RbacRole;
import dev.eksaccess.api.spi.Version;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The in-memory world of one fake cluster: identity mappings, account mappings, RBAC objects, their
 * versions, and the log of requests. Thread-safe; the fakes read and write it under its lock.
 *
 * <pre>{@code
 * ClusterState world = ClusterState.empty("prod");
 * IdentityBackend ids = Fakes.accessEntries(world);
 * }</pre>
 */
public final class ClusterState {
  private final Map<Change.Layer, Deque<WriteFault>> faults = new EnumMap<>(Change.Layer.class);
  private final String clusterName;
  private final List<IdentityMapping> mappings = new ArrayList<>();
  private final List<String> accounts = new ArrayList<>();
  private final List<RbacRole> roles = new ArrayList<>();
  private final List<RbacBinding> bindings = new ArrayList<>();
  private final List<RecordedRequest> requests = new ArrayList<>();
  private long identityVersion = 1;
  private String authenticationMode = "API_AND_CONFIG_MAP";
  private final Map<String, String> nodeEntryTypes = new HashMap<>();
  private long rbacVersion = 1;
  // per-object versions, as resourceVersion is per object in the API server
  private final Map<RbacRef, Long> rbacObjectVersions = new HashMap<>();
  // per-principal versions of access entries (EKS has no version at all; a principal's entry is
  // compared whole), by PrincipalKeys.iamPrincipal
  private final Map<String, Long> entryVersions = new HashMap<>();
  // when each access entry was created, by principal ARN, as EKS reports createdAt
  private final Map<String, Instant> entryCreatedAt = new HashMap<>();
  private Clock clock = Clock.systemUTC();
  // null until namespaces are added: a world that does not model them cannot tell
  private @Nullable Set<String> namespaces;

  private ClusterState(String clusterName) {
    this.clusterName = Objects.requireNonNull(clusterName, "clusterName");
  }

  /**
   * A world with no mappings and no RBAC objects at all.
   *
   * @param clusterName the cluster's name
   * @return the world
   */
  public static ClusterState empty(String clusterName) {
    return new ClusterState(clusterName);
  }

  /**
   * A world with the default ClusterRoles {@code cluster-admin}, {@code admin}, {@code edit} and
   * {@code view} (see {@link DefaultClusterRoles}).
   *
   * @param clusterName the cluster's name
   * @return the world
   */
  public static ClusterState withDefaultRoles(String clusterName) {
    ClusterState world = new ClusterState(clusterName);
    world.roles.addAll(DefaultClusterRoles.all());
    return world;
  }

  /**
   * The cluster's name.
   *
   * @return the name
   */
  public String clusterName() {
    return clusterName;
  }

  /**
   * Every request the fakes received, oldest first.
   *
   * @return a copy of the log
   */
  public synchronized List<RecordedRequest> requests() {
    return List.copyOf(requests);
  }

  /**
   * The identity mappings now.
   *
   * @return a copy
   */
  public synchronized List<IdentityMapping> mappings() {
    return List.copyOf(mappings);
  }

  /**
   * The whole-account mappings now.
   *
   * @return a copy
   */
  public synchronized List<String> accounts() {
    return List.copyOf(accounts);
  }

  /**
   * The Roles and ClusterRoles now.
   *
   * @return a copy
   */
  public synchronized List<RbacRole> roles() {
    return List.copyOf(roles);
  }

  /**
   * The RoleBindings and ClusterRoleBindings now.
   *
   * @return a copy
   */
  public synchronized List<RbacBinding> bindings() {
    return List.copyOf(bindings);
  }

  /**
   * The cluster's authentication mode, as EKS names it: {@code CONFIG_MAP}, {@code
   * API_AND_CONFIG_MAP} or {@code API}.
   *
   * @return the mode
   */
  public synchronized String authenticationMode() {
    return authenticationMode;
  }

  /** Node access entries (EC2_LINUX and the like) by {@code PrincipalKeys.iamPrincipal}. */
  Map<String, String> nodeEntryTypes() {
    return nodeEntryTypes;
  }

  synchronized void authenticationMode(String mode) {
    authenticationMode = mode;
  }

  /**
   * Adds namespaces, as {@code kubectl create namespace} would; from the first call on, this world
   * models namespaces, starting with the four every cluster has ({@code default}, {@code
   * kube-system}, {@code kube-public}, {@code kube-node-lease}), and its RBAC fake lists them (with
   * the namespace of every Role and RoleBinding, which the API server would have refused without
   * one). Before that the RBAC fake cannot tell which namespaces exist.
   *
   * <pre>{@code
   * ClusterState world = ClusterState.withDefaultRoles("prod").addNamespaces("prod-apps");
   * }</pre>
   *
   * @param names the namespaces
   * @return this world
   */
  public synchronized ClusterState addNamespaces(String... names) {
    Set<String> have = namespaces;
    if (have == null) {
      have = new TreeSet<>(List.of("default", "kube-system", "kube-public", "kube-node-lease"));
      namespaces = have;
    }
    for (String n : names) {
      have.add(Objects.requireNonNull(n, "namespace"));
    }
    return this;
  }

  /**
   * The namespaces, if this world models them (see {@link #addNamespaces}).
   *
   * @return the namespace names, sorted, or empty when not modelled
   */
  public synchronized Optional<Set<String>> namespaces() {
    Set<String> have = namespaces;
    if (have == null) {
      return Optional.empty();
    }
    Set<String> out = new TreeSet<>(have);
    roles.stream().filter(r -> !r.namespace().isEmpty()).forEach(r -> out.add(r.namespace()));
    bindings.stream().filter(b -> !b.namespace().isEmpty()).forEach(b -> out.add(b.namespace()));
    return Optional.of(out);
  }

  /** The clock access entries' {@code createdAt} is taken from. */
  synchronized void clock(Clock clock) {
    this.clock = clock;
  }

  /** When each access entry was created, by principal ARN (live: under this object's lock). */
  Map<String, Instant> entryCreatedAt() {
    return entryCreatedAt;
  }

  /** Notes an access entry's creation now, unless it has one. */
  void created(IdentityMapping mapping) {
    entryCreatedAt.putIfAbsent(mapping.principal().arn().value(), clock.instant());
  }

  synchronized void seed(IdentityMapping mapping) {
    created(mapping);
    mappings.add(mapping);
    identityVersion++;
    touchEntry(mapping.principal());
  }

  synchronized void seedAccount(String account) {
    accounts.add(account);
    identityVersion++;
  }

  synchronized void seed(RbacRole role) {
    roles.removeIf(r -> r.namespace().equals(role.namespace()) && r.name().equals(role.name()));
    roles.add(role);
    rbacVersion++;
    touch(RbacRef.of(role));
  }

  synchronized void seed(RbacBinding binding) {
    bindings.removeIf(
        b -> b.namespace().equals(binding.namespace()) && b.name().equals(binding.name()));
    bindings.add(binding);
    rbacVersion++;
    touch(RbacRef.of(binding));
  }

  /** Refuses a write planned against an older version, as optimistic concurrency does. */
  static void requireCurrent(String what, Version now, Version expected) {
    if (!now.equals(expected)) {
      throw new ConflictException(
          what
              + " is at version "
              + now.value()
              + ", not "
              + expected.value()
              + " as expected; nothing was written. Read again and re-apply the changes.",
          null);
    }
  }

  // The in-memory backends (same package) work on the live state under this object's lock.

  List<IdentityMapping> liveMappings() {
    return mappings;
  }

  List<String> liveAccounts() {
    return accounts;
  }

  List<RbacRole> liveRoles() {
    return roles;
  }

  List<RbacBinding> liveBindings() {
    return bindings;
  }

  long identityVersion() {
    return identityVersion;
  }

  void bumpIdentity() {
    identityVersion++;
  }

  long rbacVersion() {
    return rbacVersion;
  }

  void bumpRbac() {
    rbacVersion++;
  }

  /** The object's version, or {@link Version#ABSENT} if it does not exist. */
  Version versionOf(RbacRef ref) {
    boolean exists =
        ref.kind().binding()
            ? bindings.stream()
                .anyMatch(b -> b.namespace().equals(ref.namespace()) && b.name().equals(ref.name()))
            : roles.stream()
                .anyMatch(
                    r -> r.namespace().equals(ref.namespace()) && r.name().equals(ref.name()));
    return exists
        ? Version.of(Long.toString(rbacObjectVersions.getOrDefault(ref, 1L)))
        : Version.ABSENT;
  }

  /** Gives an object a new version, as every write of it does (from the cluster-wide counter). */
  void touch(RbacRef ref) {
    rbacObjectVersions.put(ref, ++rbacVersion);
  }

  /** An access entry's version, or 0 if the principal has none. */
  long entryVersion(String key) {
    return entryVersions.getOrDefault(key, 0L);
  }

  /** Forgets a principal's access entry version: it has no entry any more. */
  void dropEntry(dev.eksaccess.api.Principal p) {
    entryVersions.remove(dev.eksaccess.api.support.PrincipalKeys.iamPrincipal(p));
  }

  /** Gives a principal's access entry a new version. */
  void touchEntry(dev.eksaccess.api.Principal p) {
    entryVersions.put(dev.eksaccess.api.support.PrincipalKeys.iamPrincipal(p), ++identityVersion);
  }

  void record(RecordedRequest request) {
    requests.add(request);
  }

  synchronized void failNext(Change.Layer layer, WriteFault fault) {
    faults.computeIfAbsent(layer, l -> new ArrayDeque<>()).add(fault);
  }

  /**
   * Runs one write under this world's lock, with the next fault queued for its layer: nothing is
   * written for a conflict or an outage, the write lands before an after-commit failure.
   */
  <T> T write(Change.Layer layer, String backend, String what, Supplier<T> write) {
    synchronized (this) {
      Deque<WriteFault> queued = faults.get(layer);
      WriteFault fault = queued == null ? null : queued.poll();
      T result;
      try {
        if (fault == WriteFault.CONFLICT) {
          throw new ConflictException(
              what + " was changed by another writer (injected); nothing was written.", null);
        }
        if (fault == WriteFault.UNAVAILABLE) {
          throw new BackendException(
              what + " is unavailable (injected 503); nothing was written.", 503, null, true, null);
        }
        result = write.get();
      } catch (RuntimeException refused) {
        // a refused write is a request the fake received too, as a server's log would show it
        record(
            new RecordedRequest(
                backend, "write", false, Optional.of(String.valueOf(refused.getMessage()))));
        throw refused;
      }
      if (fault == WriteFault.UNAVAILABLE_AFTER_COMMIT) {
        throw new BackendException(
            what + " answered 503 after the write landed (injected); read before retrying.",
            503,
            null,
            true,
            null);
      }
      return result;
    }
  }
}
