package dev.eksaccess.testkit;

import dev.eksaccess.api.AccessPolicy;
import dev.eksaccess.api.AccessPolicyCatalogue;
import dev.eksaccess.api.BackendException;
import dev.eksaccess.api.Change;
import dev.eksaccess.api.ConflictException;
import dev.eksaccess.api.ErrorCode;
import dev.eksaccess.api.IamRole;
import dev.eksaccess.api.InvalidInputException;
import dev.eksaccess.api.InvalidInputException.Problem;
import dev.eksaccess.api.Principal;
import dev.eksaccess.api.UnsupportedGrantException;
import dev.eksaccess.api.spi.Capability;
import dev.eksaccess.api.spi.IdentityBackend;
import dev.eksaccess.api.spi.IdentityChange;
import dev.eksaccess.api.spi.IdentityChanges;
import dev.eksaccess.api.spi.IdentityMapping;
import dev.eksaccess.api.spi.IdentityQuery;
import dev.eksaccess.api.spi.IdentitySnapshot;
import dev.eksaccess.api.spi.PrincipalMatching;
import dev.eksaccess.api.spi.Version;
import dev.eksaccess.api.spi.WriteResult;
import dev.eksaccess.api.support.AccessEntryRules;
import dev.eksaccess.api.support.PrincipalKeys;
import dev.eksaccess.api.support.ReservedNames;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * An in-memory {@link IdentityBackend} with the capabilities and the strictness of one real
 * backend: it refuses what aws-auth or EKS refuses, and writes nothing when it refuses.
 */
final class InMemoryIdentityBackend implements IdentityBackend {
  /** Which real backend this one stands in for. */
  enum Flavour {
    AWS_AUTH(
        "aws-auth",
        EnumSet.of(
            Capability.ACCOUNT_MAPPINGS, Capability.SYSTEM_GROUPS, Capability.BREAK_GLASS_RECORDS),
        PrincipalMatching.CANONICAL_ARN),
    ACCESS_ENTRIES(
        "access-entries",
        EnumSet.of(Capability.ACCESS_POLICIES, Capability.BREAK_GLASS_RECORDS),
        PrincipalMatching.IAM_PRINCIPAL);

    final String backendName;

    @SuppressWarnings("ImmutableEnumChecker") // Set.copyOf: unmodifiable, Error Prone cannot see it
    final Set<Capability> capabilities;

    final PrincipalMatching matching;

    Flavour(String backendName, Set<Capability> capabilities, PrincipalMatching matching) {
      this.backendName = backendName;
      this.capabilities = Set.copyOf(capabilities);
      this.matching = matching;
    }
  }

  private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");

  private final ClusterState world;
  private final Flavour flavour;

  InMemoryIdentityBackend(ClusterState world, Flavour flavour) {
    this.world = world;
    this.flavour = flavour;
  }

  @Override
  public String name() {
    return flavour.backendName;
  }

  @Override
  public Set<Capability> capabilities() {
    return flavour.capabilities;
  }

  @Override
  public PrincipalMatching principalMatching() {
    return flavour.matching;
  }

  @Override
  public IdentitySnapshot read() {
    synchronized (world) {
      requireAccessEntriesEnabled();
      world.record(new RecordedRequest(name(), "read", false));
      return withCreatedAt(
          new IdentitySnapshot(
              version(), world.liveMappings(), world.liveAccounts(), java.util.Map.of(), true));
    }
  }

  /**
   * aws-auth is one object, so it reads whole; Access Entries reads only the entries asked for
   * (exactly, or by IAM principal whatever the path), as the real backend does.
   */
  @Override
  public IdentitySnapshot read(IdentityQuery query) {
    if (flavour == Flavour.AWS_AUTH) {
      return read();
    }
    synchronized (world) {
      requireAccessEntriesEnabled();
      world.record(new RecordedRequest(name(), "read", false));
      List<IdentityMapping> found = new ArrayList<>();
      for (IdentityMapping m : world.liveMappings()) {
        boolean exact =
            query.principals().stream().anyMatch(p -> p.arn().equals(m.principal().arn()));
        boolean anyPath =
            query.anyPath().stream()
                .anyMatch(
                    p ->
                        PrincipalKeys.iamPrincipal(p)
                            .equals(PrincipalKeys.iamPrincipal(m.principal())));
        if (exact || anyPath) {
          found.add(m);
        }
      }
      List<String> keys = new ArrayList<>();
      query.all().forEach(p -> keys.add(PrincipalKeys.iamPrincipal(p)));
      return withCreatedAt(
          new IdentitySnapshot(partialVersion(keys), found, List.of(), java.util.Map.of(), false));
    }
  }

  /** Access Entries report each entry's createdAt; aws-auth keeps no times. */
  private IdentitySnapshot withCreatedAt(IdentitySnapshot s) {
    if (flavour != Flavour.ACCESS_ENTRIES) {
      return s;
    }
    java.util.Map<String, java.time.Instant> created = new java.util.HashMap<>();
    for (IdentityMapping m : s.mappings()) {
      java.time.Instant at = world.entryCreatedAt().get(m.principal().arn().value());
      if (at != null) {
        created.put(m.principal().arn().value(), at);
      }
    }
    return s.withCreatedAt(created);
  }

  @Override
  public Optional<List<Principal>> principalsWithPolicy(AccessPolicy policy) {
    if (flavour == Flavour.AWS_AUTH) {
      return Optional.empty();
    }
    synchronized (world) {
      requireAccessEntriesEnabled();
      world.record(new RecordedRequest(name(), "read", false));
      return Optional.of(
          world.liveMappings().stream()
              .filter(m -> m.policies().stream().anyMatch(a -> a.policy().equals(policy)))
              .map(IdentityMapping::principal)
              .toList());
    }
  }

  @Override
  public Optional<Set<AccessPolicy>> accessPolicies() {
    return flavour == Flavour.AWS_AUTH
        ? Optional.empty()
        : Optional.of(AccessPolicyCatalogue.all());
  }

  /**
   * The version of a full read: the whole state's, as for the real backends (aws-auth's
   * resourceVersion; Access Entries' digest of every entry), so any change refuses a write planned
   * on it. A scoped read's version (Access Entries) records each principal read instead.
   */
  private Version version() {
    return flavour == Flavour.AWS_AUTH
        ? Version.of(Long.toString(world.identityVersion()))
        : Version.of("all:" + world.identityVersion());
  }

  private Version partialVersion(List<String> keys) {
    return Version.of("some:" + entries(keys));
  }

  private String entries(List<String> keys) {
    java.util.TreeMap<String, Long> v = new java.util.TreeMap<>();
    keys.forEach(k -> v.put(k, world.entryVersion(k)));
    StringBuilder out = new StringBuilder();
    v.forEach((k, n) -> out.append(k).append('=').append(n).append(';'));
    return out.toString();
  }

  /** Refuses a write whose principals moved on since {@code expected} was read. */
  private void requireEntriesCurrent(IdentityChanges changes, Version expected) {
    String text = expected.value();
    if (!text.startsWith("some:")) {
      ClusterState.requireCurrent(
          name() + " of cluster " + world.clusterName(),
          Version.of("all:" + world.identityVersion()),
          expected);
      return;
    }
    java.util.Map<String, Long> read = new java.util.HashMap<>();
    for (String e : text.substring("some:".length()).split(";", -1)) {
      int eq = e.lastIndexOf('=');
      if (eq > 0) {
        read.put(e.substring(0, eq), Long.parseLong(e.substring(eq + 1)));
      }
    }
    for (IdentityChange c : changes.changes()) {
      Principal p =
          c instanceof IdentityChange.Put put
              ? put.mapping().principal()
              : c instanceof IdentityChange.Remove r ? r.principal() : null;
      if (p == null) {
        continue;
      }
      String key = PrincipalKeys.iamPrincipal(p);
      Long then = read.get(key);
      if (then == null) {
        throw new ConflictException(
            "the access entry of " + p + " was not read before this write; read it first.", null);
      }
      if (then != world.entryVersion(key)) {
        throw new ConflictException(
            "the access entry of "
                + p
                + " in cluster "
                + world.clusterName()
                + " changed since it was read; nothing was written. Read it again and re-apply the"
                + " changes.",
            null);
      }
    }
  }

  @Override
  public WriteResult write(IdentityChanges changes, Version expected) {
    synchronized (world) {
      requireAccessEntriesEnabled();
    }
    if (changes.isEmpty()) {
      synchronized (world) {
        return new WriteResult(version(), 0);
      }
    }
    return world.write(
        Change.Layer.IDENTITY,
        name(),
        name() + " of cluster " + world.clusterName(),
        () -> {
          if (flavour == Flavour.AWS_AUTH) {
            Version now = Version.of(Long.toString(world.identityVersion()));
            ClusterState.requireCurrent(
                name() + " of cluster " + world.clusterName(), now, expected);
          } else {
            requireEntriesCurrent(changes, expected);
          }
          List<IdentityMapping> mappings = new ArrayList<>(world.liveMappings());
          List<String> accounts = new ArrayList<>(world.liveAccounts());
          for (IdentityChange change : changes.changes()) {
            apply(change, mappings, accounts);
          }
          world.liveMappings().clear();
          world.liveMappings().addAll(mappings);
          world.liveAccounts().clear();
          world.liveAccounts().addAll(accounts);
          world.bumpIdentity();
          // an entry is created once: its createdAt stays until it is deleted
          java.util.Set<String> live = new java.util.HashSet<>();
          mappings.forEach(m -> live.add(m.principal().arn().value()));
          world.entryCreatedAt().keySet().retainAll(live);
          mappings.forEach(world::created);
          for (IdentityChange c : changes.changes()) {
            if (c instanceof IdentityChange.Put put) {
              world.touchEntry(put.mapping().principal());
            } else if (c instanceof IdentityChange.Remove r) {
              world.dropEntry(r.principal());
            }
          }
          world.record(new RecordedRequest(name(), "write", true));
          return new WriteResult(version(), 1);
        });
  }

  /** EKS refuses every access-entry call while the cluster reads only aws-auth. */
  private void requireAccessEntriesEnabled() {
    if (flavour == Flavour.ACCESS_ENTRIES && world.authenticationMode().equals("CONFIG_MAP")) {
      throw new BackendException(
          name()
              + " of cluster "
              + world.clusterName()
              + ": InvalidRequestException (HTTP 400): The cluster's authentication mode must be set"
              + " to one of [API, API_AND_CONFIG_MAP] to perform this operation. Move the cluster"
              + " to API_AND_CONFIG_MAP first.",
          400,
          null,
          false,
          null);
    }
  }

  private void apply(IdentityChange change, List<IdentityMapping> mappings, List<String> accounts) {
    if (change instanceof IdentityChange.Put put) {
      IdentityMapping m = put.mapping();
      String nodeType =
          flavour == Flavour.ACCESS_ENTRIES
              ? world.nodeEntryTypes().get(PrincipalKeys.iamPrincipal(m.principal()))
              : null;
      if (nodeType != null) {
        int at = lastIndexOf(mappings, m.principal());
        if (at >= 0 && mappings.get(at).equals(m)) {
          return; // what EKS has already: nothing to change
        }
        throw InvalidInputException.of(
            ErrorCode.INVALID_GRANT,
            "changes",
            m.principal().toString(),
            "has an access entry of type "
                + nodeType
                + ", whose groups, username and policies EKS manages; a type cannot change. Delete"
                + " the entry and create a STANDARD one if that is what you mean.");
      }
      int existing = lastIndexOf(mappings, m.principal());
      check(m, existing < 0 ? null : mappings.get(existing));
      if (flavour == Flavour.AWS_AUTH && m.username().isEmpty()) {
        // as the aws-auth backend writes it: EKS would otherwise give the empty username
        m = m.withUsername(AccessEntryRules.defaultUsername(m.principal()));
      }
      int at = lastIndexOf(mappings, m.principal());
      if (at < 0) {
        mappings.add(m);
      } else {
        mappings.set(at, m);
      }
    } else if (change instanceof IdentityChange.Remove remove) {
      boolean removed = mappings.removeIf(m -> matches(m.principal(), remove.principal()));
      if (removed && flavour == Flavour.ACCESS_ENTRIES) {
        world.nodeEntryTypes().remove(PrincipalKeys.iamPrincipal(remove.principal()));
      }
      // nothing to remove is what was wanted, as in both real backends
    } else if (change instanceof IdentityChange.AddAccount add) {
      requireAccounts();
      if (!ACCOUNT.matcher(add.accountId()).matches()) {
        throw InvalidInputException.of(
            ErrorCode.INVALID_ARN,
            "mapAccounts",
            add.accountId(),
            "is not a 12-digit AWS account id.");
      }
      if (!accounts.contains(add.accountId())) {
        accounts.add(add.accountId());
      }
    } else if (change instanceof IdentityChange.RemoveAccount remove) {
      requireAccounts();
      accounts.remove(remove.accountId());
    }
  }

  private void requireAccounts() {
    if (!capabilities().contains(Capability.ACCOUNT_MAPPINGS)) {
      throw new UnsupportedGrantException(
          Capability.ACCOUNT_MAPPINGS,
          name() + " has no whole-account mappings (aws-auth mapAccounts); map each role or user.");
    }
  }

  /**
   * The rules EKS enforces on access entries; on aws-auth, which accepts anything that parses, the
   * rules the aws-auth backend enforces before it writes: no access policies, and no name
   * Kubernetes or EKS keeps for itself outside node-role and break-glass mappings.
   */
  private void check(IdentityMapping m, @Nullable IdentityMapping existing) {
    if (flavour == Flavour.AWS_AUTH) {
      if (!m.policies().isEmpty()) {
        throw new UnsupportedGrantException(
            Capability.ACCESS_POLICIES,
            "aws-auth has no access policies; "
                + m.principal()
                + " cannot be associated with "
                + m.policies()
                + ".");
      }
      String arn =
          m.principal() instanceof IamRole role
              ? role.withoutPath().toString()
              : m.principal().toString();
      List<Problem> reserved =
          ReservedNames.awsAuthProblems(
              m, existing, (m.principal() instanceof IamRole ? "mapRoles " : "mapUsers ") + arn);
      if (!reserved.isEmpty()) {
        throw ReservedNames.exception(reserved);
      }
      return;
    }
    List<Problem> problems = AccessEntryRules.problems(m, "accessEntry");
    if (!problems.isEmpty()) {
      throw AccessEntryRules.exception(problems);
    }
  }

  private int lastIndexOf(List<IdentityMapping> mappings, Principal p) {
    for (int i = mappings.size() - 1; i >= 0; i--) {
      if (matches(mappings.get(i).principal(), p)) {
        return i;
      }
    }
    return -1;
  }

  /** aws-auth keys role ARNs case-insensitively; EKS keeps one entry per exact principal ARN. */
  private boolean matches(Principal a, Principal b) {
    return flavour == Flavour.AWS_AUTH
        ? a.arn().value().equalsIgnoreCase(b.arn().value())
        : a.arn().equals(b.arn());
  }
}
