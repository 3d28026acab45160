package dev.eksaccess.accessentries;

import dev.eksaccess.accessentries.internal.EksCalls;
import dev.eksaccess.accessentries.support.EksErrors;
import dev.eksaccess.api.AccessPolicy;
import dev.eksaccess.api.BackendException;
import dev.eksaccess.api.ConflictException;
import dev.eksaccess.api.Deadline;
import dev.eksaccess.api.EksAccessException;
import dev.eksaccess.api.ErrorCode;
import dev.eksaccess.api.IamRole;
import dev.eksaccess.api.IamUser;
import dev.eksaccess.api.InvalidInputException;
import dev.eksaccess.api.InvalidInputException.Problem;
import dev.eksaccess.api.Principal;
import dev.eksaccess.api.RetryPolicy;
import dev.eksaccess.api.Scope;
import dev.eksaccess.api.UnsupportedGrantException;
import dev.eksaccess.api.spi.BreakGlassMark;
import dev.eksaccess.api.spi.Capability;
import dev.eksaccess.api.spi.IdentityBackend;
import dev.eksaccess.api.spi.IdentityChange;
import dev.eksaccess.api.spi.IdentityChanges;
import dev.eksaccess.api.spi.IdentityMapping;
import dev.eksaccess.api.spi.IdentityQuery;
import dev.eksaccess.api.spi.IdentitySnapshot;
import dev.eksaccess.api.spi.PolicyAssociation;
import dev.eksaccess.api.spi.PrincipalMatching;
import dev.eksaccess.api.spi.Version;
import dev.eksaccess.api.spi.WriteResult;
import dev.eksaccess.api.support.AccessEntryRules;
import dev.eksaccess.api.support.PrincipalKeys;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.eks.model.AccessEntry;
import software.amazon.awssdk.services.eks.model.AccessScope;
import software.amazon.awssdk.services.eks.model.AccessScopeType;
import software.amazon.awssdk.services.eks.model.AssociateAccessPolicyRequest;
import software.amazon.awssdk.services.eks.model.AssociatedAccessPolicy;
import software.amazon.awssdk.services.eks.model.CreateAccessEntryRequest;
import software.amazon.awssdk.services.eks.model.UpdateAccessEntryRequest;

/**
 * The {@link IdentityBackend} over EKS Access Entries, built by {@link AccessEntries#backend}.
 *
 * <ul>
 *   <li>A read lists every entry (all pages), describes each, and lists each one's associated
 *       policies (all pages), with bounded concurrency. Its version is a digest of what it read.
 *   <li>A write validates every change with EKS's rules first (nothing is sent if one is wrong),
 *       re-reads and refuses a stale version, then sends only what differs: a create (with a {@code
 *       clientRequestToken}), an update with the full group list, an association per new or
 *       re-scoped policy, a disassociation per dropped one, a delete. Applying an unchanged state
 *       sends no write.
 *   <li>Principals run concurrently (default 8), each principal's calls in order. The two known
 *       eventual-consistency signatures are retried with backoff; throttling is left to the AWS
 *       SDK's own retries; other 400s fail at once. A batch that stops half way raises {@link
 *       PartialWriteException}, which names what landed and what did not.
 * </ul>
 *
 * <pre>{@code
 * AccessEntriesBackend ids = AccessEntries.backend(EksClient.create(), "prod");
 * ClusterAccess prod = ClusterAccess.builder().clusterName("prod").identities(ids).rbac(rbac).build();
 * }</pre>
 */
public final class AccessEntriesBackend implements IdentityBackend {
  private static final String STANDARD = AccessEntryType.STANDARD.value();

  private final EksCalls eks;
  private final int concurrency;
  private final int readConcurrency;
  private final RetryPolicy consistencyRetry;
  private final AtomicReference<@Nullable Set<AccessPolicy>> policies = new AtomicReference<>();

  AccessEntriesBackend(
      EksCalls eks, int concurrency, int readConcurrency, RetryPolicy consistencyRetry) {
    this.eks = eks;
    this.concurrency = concurrency;
    this.readConcurrency = readConcurrency;
    this.consistencyRetry = consistencyRetry;
  }

  /** One entry as EKS has it. */
  private record Entry(
      String arn,
      String type,
      String username,
      List<String> groups,
      Map<String, AccessScope> policies,
      String entryArn,
      Optional<BreakGlassMark> breakGlass,
      Optional<Instant> createdAt) {
    Entry withPolicies(Map<String, AccessScope> ps) {
      return new Entry(arn, type, username, groups, ps, entryArn, breakGlass, createdAt);
    }

    Entry withBreakGlass(Optional<BreakGlassMark> mark) {
      return new Entry(arn, type, username, groups, policies, entryArn, mark, createdAt);
    }
  }

  /**
   * Everything read, by principal key. {@code others} holds further entries for a key already
   * taken: EKS keeps the entry of a deleted role, so a role deleted and created again (say under
   * another path) can have two, and only EKS knows which one the live role matches.
   */
  private record State(Map<String, Entry> byKey, Map<String, List<Entry>> others, Version version) {
    List<Entry> all() {
      List<Entry> out = new ArrayList<>(byKey.values());
      others.values().forEach(out::addAll);
      return out;
    }
  }

  @Override
  public String name() {
    return "access-entries";
  }

  @Override
  public Set<Capability> capabilities() {
    return EnumSet.of(Capability.ACCESS_POLICIES, Capability.BREAK_GLASS_RECORDS);
  }

  @Override
  public PrincipalMatching principalMatching() {
    return PrincipalMatching.IAM_PRINCIPAL;
  }

  /**
   * The cluster these entries belong to.
   *
   * @return the cluster name
   */
  public String cluster() {
    return eks.cluster();
  }

  /**
   * Whether the cluster has access entries at all: false while its authentication mode is {@code
   * CONFIG_MAP}, where every access entry call is refused.
   *
   * @return true in {@code API_AND_CONFIG_MAP} and {@code API}
   */
  public boolean isEnabled() {
    try {
      eks.listEntries();
      return true;
    } catch (SdkException e) {
      if (EksErrors.configMapOnly(e)) {
        return false;
      }
      throw EksErrors.failure("ListAccessEntries " + eks.cluster(), e);
    }
  }

  @Override
  public IdentitySnapshot read() {
    State s = readState();
    List<IdentityMapping> mappings = new ArrayList<>();
    for (Entry e : s.all()) {
      mappings.add(mapping(e)); // every entry, even a second one for the same role name
    }
    return new IdentitySnapshot(s.version(), mappings, List.of()).withCreatedAt(createdAt(s.all()));
  }

  /**
   * Reads only the entries the query names: one {@code DescribeAccessEntry} each (and {@code
   * ListAssociatedAccessPolicies} for an entry found), so the cost does not grow with the cluster.
   * A principal asked for under any path that is not found as given is looked for by name in the
   * entry list (EKS matches a caller whatever the role's path). The version records each
   * principal's entry, so a write is refused only if one it changes moved on.
   */
  @Override
  public IdentitySnapshot read(IdentityQuery query) {
    State s = readState(query);
    List<IdentityMapping> mappings = new ArrayList<>();
    for (Entry e : s.all()) {
      mappings.add(mapping(e));
    }
    return new IdentitySnapshot(s.version(), mappings, List.of(), Map.of(), false)
        .withCreatedAt(createdAt(s.all()));
  }

  /**
   * The principals with {@code policy} associated: {@code ListAccessEntries} filtered by the
   * policy's ARN (every page).
   */
  @Override
  public Optional<List<Principal>> principalsWithPolicy(AccessPolicy policy) {
    String arn = policy.arn(partition());
    List<String> arns =
        call(
            () -> eks.listEntries(arn), "ListAccessEntries " + eks.cluster() + " " + policy.name());
    return Optional.of(arns.stream().map(AccessEntriesBackend::principal).toList());
  }

  /**
   * The region's access policies ({@code ListAccessPolicies}, every page), read once and kept;
   * empty if they cannot be read (such as AccessDenied), so planning falls back to the shipped
   * catalogue.
   */
  @Override
  public Optional<Set<AccessPolicy>> accessPolicies() {
    Set<AccessPolicy> known = policies.get();
    if (known != null) {
      return Optional.of(known);
    }
    try {
      Set<AccessPolicy> read = new java.util.LinkedHashSet<>();
      for (String name : eks.listPolicies()) {
        read.add(AccessPolicy.named(name));
      }
      policies.compareAndSet(null, Set.copyOf(read));
      return Optional.of(Set.copyOf(read));
    } catch (SdkException | InvalidInputException e) {
      return Optional.empty();
    }
  }

  /** The partition of the cluster's principals; an entry's policies live in the same one. */
  private String partition() {
    return eks.partition();
  }

  /**
   * The entry type of each principal with an entry, for what the SPI's mappings do not carry.
   *
   * @return principal ARN → type, in read order
   */
  public Map<String, AccessEntryType> entryTypes() {
    Map<String, AccessEntryType> out = new LinkedHashMap<>();
    readState().all().forEach(e -> out.put(e.arn(), AccessEntryType.of(e.type())));
    return out;
  }

  @Override
  public WriteResult write(IdentityChanges changes, Version expected) {
    Objects.requireNonNull(changes, "changes");
    Objects.requireNonNull(expected, "expected");
    if (changes.isEmpty()) {
      return new WriteResult(expected, 0);
    }
    validate(changes.changes());
    State now;
    if (expected.value().startsWith(SOME)) {
      // a scoped read: check each principal this batch changes against what was read of it
      List<Principal> touched = new ArrayList<>();
      for (IdentityChange c : changes.changes()) {
        if (c instanceof IdentityChange.Put put) {
          touched.add(put.mapping().principal());
        } else if (c instanceof IdentityChange.Remove r) {
          touched.add(r.principal());
        }
      }
      now = readState(IdentityQuery.of(touched));
      Map<String, String> then = digests(expected);
      for (Principal p : touched) {
        String k = key(p);
        String was = then.get(k);
        if (was == null || !was.equals(digestOf(k, now))) {
          throw new ConflictException(
              "the access entry of "
                  + p
                  + " in cluster "
                  + eks.cluster()
                  + (was == null ? " was not read before this write" : " changed since it was read")
                  + "; nothing was written. Read it again and re-apply the changes.",
              null);
        }
      }
    } else {
      now = readState();
      if (!now.version().equals(expected)) {
        throw new ConflictException(
            "the access entries of cluster "
                + eks.cluster()
                + " changed since they were read; nothing was written. Read them again and"
                + " re-apply the changes.",
            null);
      }
    }
    List<Task> tasks = plan(changes.changes(), now);
    Map<String, Entry> after = new TreeMap<>(now.byKey());
    Map<String, List<Entry>> othersAfter = new TreeMap<>(now.others());
    List<IdentityChange> applied = new ArrayList<>();
    Map<IdentityChange, EksAccessException> failed = new LinkedHashMap<>();
    AtomicInteger writes = new AtomicInteger();
    List<Supplier<Optional<Entry>>> jobs = new ArrayList<>();
    for (Task t : tasks) {
      jobs.add(() -> t.run(writes));
    }
    List<Outcome<Optional<Entry>>> outcomes = runAll(jobs);
    for (int i = 0; i < tasks.size(); i++) {
      Task t = tasks.get(i);
      Outcome<Optional<Entry>> o = outcomes.get(i);
      if (o.failure() != null) {
        failed.put(t.change(), o.failure());
        continue;
      }
      applied.add(t.change());
      Optional<Entry> result = Objects.requireNonNull(o.value());
      if (result.isPresent()) {
        after.put(t.key(), result.get());
      } else {
        after.remove(t.key());
        othersAfter.remove(t.key()); // a remove deletes every entry for the name
      }
    }
    if (!failed.isEmpty()) {
      if (applied.isEmpty() && writes.get() == 0 && failed.size() == 1) {
        throw failed.values().iterator().next(); // one change, nothing written: its own error
      }
      throw new PartialWriteException(eks.cluster(), applied, failed);
    }
    return new WriteResult(
        expected.value().startsWith(SOME)
            ? scopedVersion(keysOf(changes), new State(after, othersAfter, Version.ANY))
            : digest(after, othersAfter),
        writes.get());
  }

  /**
   * Creates a node entry ({@code EC2_LINUX}, {@code EC2_WINDOWS}, {@code FARGATE_LINUX}, {@code
   * HYBRID_LINUX}, ...), whose username and groups EKS sets itself. Nothing is sent if the role
   * already has an entry of that type; an entry of another type is refused (types never change).
   *
   * <pre>{@code
   * ids.createNodeEntry(IamRole.of("arn:aws:iam::111122223333:role/KarpenterNode"),
   *     AccessEntryType.EC2_LINUX);
   * }</pre>
   *
   * @param role the node role, in the cluster's account
   * @param type a node type
   * @return the number of write calls: 1 (2 for {@code EC2}, which also gets {@code
   *     AmazonEKSAutoNodePolicy}), or 0 if the entry was already there
   * @throws InvalidInputException for {@code STANDARD}, or if the role has an entry of another type
   */
  public int createNodeEntry(IamRole role, AccessEntryType type) {
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(type, "type");
    if (!type.isNode()) {
      throw InvalidInputException.of(
          ErrorCode.INVALID_GRANT,
          "type",
          type.value(),
          "is not a node type; write STANDARD entries with a grant or write(..).");
    }
    Entry cur = readState().byKey().get(key(role));
    String nodePolicy = AccessPolicy.named("AmazonEKSAutoNodePolicy").arn(role.arn().partition());
    if (cur != null) {
      if (cur.type().equals(type.value())) {
        // a repeat after the create landed and the association did not: finish the job
        return type.equals(AccessEntryType.EC2) && !cur.policies().containsKey(nodePolicy)
            ? associateNodePolicy(role, nodePolicy)
            : 0;
      }
      throw InvalidInputException.of(
          ErrorCode.INVALID_GRANT,
          "principalArn",
          cur.arn(),
          "already has an access entry of type "
              + cur.type()
              + "; a type cannot change. Delete that entry first if the role is now a "
              + type
              + " node role.");
    }
    String arn = role.arn().value();
    CreateAccessEntryRequest request =
        CreateAccessEntryRequest.builder()
            .clusterName(eks.cluster())
            .principalArn(arn)
            .type(type.value())
            .clientRequestToken(UUID.randomUUID().toString())
            .build();
    consistently(true, () -> eks.create(request), "CreateAccessEntry " + arn + " " + type);
    if (!type.equals(AccessEntryType.EC2)) {
      return 1;
    }
    return 1 + associateNodePolicy(role, nodePolicy);
  }

  /** Auto Mode node classes need their node policy, the one association a node type takes. */
  private int associateNodePolicy(IamRole role, String nodePolicy) {
    String arn = role.arn().value();
    AssociateAccessPolicyRequest policy =
        AssociateAccessPolicyRequest.builder()
            .clusterName(eks.cluster())
            .principalArn(arn)
            .policyArn(nodePolicy)
            .accessScope(scope(Scope.cluster()))
            .build();
    consistently(
        false,
        () -> {
          eks.associate(policy);
          return policy;
        },
        "AssociateAccessPolicy " + arn + " AmazonEKSAutoNodePolicy");
    return 1;
  }

  @Override
  public String toString() {
    return "AccessEntriesBackend[" + eks.cluster() + ", concurrency " + concurrency + "]";
  }

  // ---- validation -------------------------------------------------------------------------

  private static void validate(List<IdentityChange> changes) {
    List<Problem> problems = new ArrayList<>();
    Map<String, Integer> seen = new LinkedHashMap<>();
    for (int i = 0; i < changes.size(); i++) {
      IdentityChange c = changes.get(i);
      Principal p =
          c instanceof IdentityChange.Put put
              ? put.mapping().principal()
              : c instanceof IdentityChange.Remove remove ? remove.principal() : null;
      if (p != null) {
        // one principal's calls must run in order; two changes for it would race each other
        Integer first = seen.putIfAbsent(key(p), i);
        if (first != null) {
          problems.add(
              new Problem(
                  "changes[" + i + "]",
                  p.toString(),
                  "changes the same access entry as changes["
                      + first
                      + "]; give one change per principal, with its whole desired state."));
        }
      }
      if (c instanceof IdentityChange.AddAccount || c instanceof IdentityChange.RemoveAccount) {
        throw new UnsupportedGrantException(
            Capability.ACCOUNT_MAPPINGS,
            "Access Entries cannot map a whole account ("
                + c
                + "); create an entry per role or user instead.");
      }
      if (c instanceof IdentityChange.Put put) {
        problems.addAll(AccessEntryRules.problems(put.mapping(), "changes[" + i + "]"));
      }
    }
    if (!problems.isEmpty()) {
      throw AccessEntryRules.exception(problems);
    }
  }

  // ---- planning the calls -----------------------------------------------------------------

  /** The calls for one change, for one principal, run in order. */
  private static final class Task {
    final IdentityChange change;
    final String key;
    final List<Call> calls = new ArrayList<>();
    @Nullable Entry result;
    boolean deletes;
    // set once this task created its entry: undoes it if a later call of the task fails, so a
    // principal never ends with an entry that lacks the policies it was created for
    @Nullable Call undoCreate;

    Task(IdentityChange change, String key) {
      this.change = change;
      this.key = key;
    }

    IdentityChange change() {
      return change;
    }

    String key() {
      return key;
    }

    Optional<Entry> run(AtomicInteger writes) {
      try {
        for (Call c : calls) {
          c.run(writes);
        }
      } catch (EksAccessException e) {
        Call undo = undoCreate;
        if (undo == null) {
          throw e;
        }
        try {
          undo.run(writes);
        } catch (EksAccessException second) {
          e.addSuppressed(second);
          throw new BackendException(
              e.getMessage()
                  + " The access entry created for it is still there (deleting it failed too: "
                  + second.getMessage()
                  + "); revoke the principal to remove it.",
              0,
              null,
              e.retryable(),
              e);
        }
        throw new BackendException(
            e.getMessage()
                + " The access entry created for it was deleted again, so nothing of this change"
                + " is left.",
            e instanceof BackendException b ? b.statusCode() : 0,
            e instanceof BackendException b ? b.requestId().orElse(null) : null,
            e.retryable(),
            e);
      }
      return deletes ? Optional.empty() : Optional.ofNullable(result);
    }
  }

  /** One EKS call. */
  @FunctionalInterface
  private interface Call {
    void run(AtomicInteger writes);
  }

  private List<Task> plan(List<IdentityChange> changes, State now) {
    List<Task> tasks = new ArrayList<>();
    List<Problem> immutable = new ArrayList<>();
    for (int i = 0; i < changes.size(); i++) {
      IdentityChange c = changes.get(i);
      if (c instanceof IdentityChange.Remove remove) {
        String key = key(remove.principal());
        Entry cur = now.byKey().get(key);
        Task t = new Task(c, key);
        t.deletes = true;
        if (cur != null) {
          t.calls.add(w -> delete(cur.arn(), w));
        }
        for (Entry other : now.others().getOrDefault(key, List.of())) {
          t.calls.add(w -> delete(other.arn(), w));
        }
        tasks.add(t);
      } else if (c instanceof IdentityChange.Put put) {
        IdentityMapping want = put.mapping();
        String key = key(want.principal());
        Entry cur = now.byKey().get(key);
        Task t = new Task(c, key);
        List<Entry> others = now.others().getOrDefault(key, List.of());
        if (cur != null && !others.isEmpty()) {
          List<String> arns = new ArrayList<>(List.of(cur.arn()));
          others.forEach(o -> arns.add(o.arn()));
          immutable.add(
              new Problem(
                  "changes[" + i + "]",
                  want.principal().toString(),
                  "has "
                      + arns.size()
                      + " access entries, "
                      + arns
                      + ": one is left from a deleted role of the same name (EKS keeps it), and"
                      + " which one the live role matches only EKS knows. Delete the stale entry"
                      + " (aws eks delete-access-entry --principal-arn ...) or revoke the name and"
                      + " grant it again."));
          tasks.add(t);
          continue;
        }
        if (cur == null) {
          planCreate(t, want);
        } else if (!cur.type().equals(STANDARD)) {
          if (!mapping(cur).equals(want)) {
            immutable.add(
                new Problem(
                    "changes[" + i + "]",
                    cur.arn(),
                    "has an access entry of type "
                        + cur.type()
                        + ", whose groups, username and policies EKS manages; a type cannot change."
                        + " Delete the entry and create a STANDARD one if that is what you mean."));
          }
          t.result = cur;
        } else {
          planUpdate(t, cur, want);
        }
        tasks.add(t);
      }
    }
    if (!immutable.isEmpty()) {
      throw new InvalidInputException(ErrorCode.INVALID_GRANT, immutable);
    }
    return tasks;
  }

  private void planCreate(Task t, IdentityMapping want) {
    String arn = want.principal().arn().value();
    CreateAccessEntryRequest.Builder create =
        CreateAccessEntryRequest.builder()
            .clusterName(eks.cluster())
            .principalArn(arn)
            .type(STANDARD)
            .kubernetesGroups(want.groups())
            .clientRequestToken(UUID.randomUUID().toString());
    want.username().ifPresent(create::username);
    want.breakGlass().ifPresent(m -> create.tags(m.attributes()));
    CreateAccessEntryRequest request = create.build();
    t.calls.add(
        w -> {
          AccessEntry made =
              consistently(true, () -> eks.create(request), "CreateAccessEntry " + arn);
          w.incrementAndGet();
          t.result = entry(made, new LinkedHashMap<>());
          if (!want.policies().isEmpty()) {
            t.undoCreate = u -> delete(arn, u);
          }
        });
    for (PolicyAssociation p : want.policies()) {
      t.calls.add(w -> associate(t, arn, want.principal(), p, w));
    }
  }

  private void planUpdate(Task t, Entry cur, IdentityMapping want) {
    t.result = cur;
    boolean groups = !cur.groups().equals(want.groups());
    boolean username = want.username().isPresent() && !want.username().get().equals(cur.username());
    if (groups || username) {
      UpdateAccessEntryRequest.Builder update =
          UpdateAccessEntryRequest.builder()
              .clusterName(eks.cluster())
              .principalArn(cur.arn())
              .kubernetesGroups(want.groups()) // EKS replaces the whole list
              .clientRequestToken(UUID.randomUUID().toString());
      if (username) {
        update.username(want.username().get());
      }
      UpdateAccessEntryRequest request = update.build();
      t.calls.add(
          w -> {
            AccessEntry updated = call(() -> eks.update(request), "UpdateAccessEntry " + cur.arn());
            w.incrementAndGet();
            t.result = entry(updated, Objects.requireNonNull(t.result).policies());
          });
    }
    if (!cur.breakGlass().equals(want.breakGlass())) {
      planTags(t, cur, want.breakGlass());
    }
    Map<String, PolicyAssociation> wanted = new LinkedHashMap<>();
    for (PolicyAssociation p : want.policies()) {
      wanted.put(policyArn(want.principal(), p.policy()), p);
    }
    for (Map.Entry<String, PolicyAssociation> p : wanted.entrySet()) {
      AccessScope have = cur.policies().get(p.getKey());
      if (have == null || !sameScope(have, scope(p.getValue().scope()))) {
        t.calls.add(w -> associate(t, cur.arn(), want.principal(), p.getValue(), w));
      }
    }
    for (String have : cur.policies().keySet()) {
      if (!wanted.containsKey(have)) {
        t.calls.add(
            w -> {
              try {
                eks.disassociate(cur.arn(), have);
                w.incrementAndGet();
              } catch (SdkException e) {
                if (!EksErrors.notFound(e)) { // already gone: what we wanted
                  throw EksErrors.failure("DisassociateAccessPolicy " + cur.arn(), e);
                }
              }
              Entry r = Objects.requireNonNull(t.result);
              Map<String, AccessScope> ps = new LinkedHashMap<>(r.policies());
              ps.remove(have);
              t.result = r.withPolicies(ps);
            });
      }
    }
  }

  /** The break-glass mark lives in the entry's tags: tag the new one, untag what it lacks. */
  private void planTags(Task t, Entry cur, Optional<BreakGlassMark> want) {
    Map<String, String> tags = want.map(BreakGlassMark::attributes).orElse(Map.of());
    List<String> stale =
        cur.breakGlass().map(m -> m.attributes().keySet()).orElse(Set.of()).stream()
            .filter(k -> !tags.containsKey(k))
            .toList();
    if (!tags.isEmpty()) {
      t.calls.add(
          w -> {
            call(
                () -> {
                  eks.tag(cur.entryArn(), tags);
                  return tags;
                },
                "TagResource " + cur.arn());
            w.incrementAndGet();
            t.result = Objects.requireNonNull(t.result).withBreakGlass(want);
          });
    }
    if (!stale.isEmpty()) {
      t.calls.add(
          w -> {
            call(
                () -> {
                  eks.untag(cur.entryArn(), stale);
                  return stale;
                },
                "UntagResource " + cur.arn());
            w.incrementAndGet();
            t.result = Objects.requireNonNull(t.result).withBreakGlass(want);
          });
    }
  }

  private void associate(
      Task t, String arn, Principal principal, PolicyAssociation p, AtomicInteger writes) {
    String policyArn = policyArn(principal, p.policy());
    AssociateAccessPolicyRequest request =
        AssociateAccessPolicyRequest.builder()
            .clusterName(eks.cluster())
            .principalArn(arn)
            .policyArn(policyArn)
            .accessScope(scope(p.scope()))
            .build();
    consistently(
        false,
        () -> {
          eks.associate(request);
          return request;
        },
        "AssociateAccessPolicy " + arn + " " + p.policy().name());
    writes.incrementAndGet();
    Entry r = Objects.requireNonNull(t.result);
    Map<String, AccessScope> ps = new LinkedHashMap<>(r.policies());
    ps.put(policyArn, scope(p.scope()));
    t.result = r.withPolicies(ps);
  }

  private void delete(String arn, AtomicInteger writes) {
    try {
      eks.delete(arn);
      writes.incrementAndGet();
    } catch (SdkException e) {
      if (!EksErrors.notFound(e)) { // a retried delete whose first try landed
        throw EksErrors.failure("DeleteAccessEntry " + arn, e);
      }
    }
  }

  /** A call retried while EKS shows one of its two eventual-consistency signatures. */
  private <T> T consistently(boolean creating, Supplier<T> call, String what) {
    for (int attempt = 1; ; attempt++) {
      try {
        return call.get();
      } catch (SdkException e) {
        if (!EksErrors.notYetConsistent(e, creating) || attempt >= consistencyRetry.maxAttempts()) {
          throw EksErrors.failure(what, e);
        }
      }
      try {
        consistencyRetry.pause(attempt);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new BackendException(
            what + " was interrupted while waiting for EKS to catch up.", 0, null, false, e);
      }
    }
  }

  private static <T> T call(Supplier<T> call, String what) {
    try {
      return call.get();
    } catch (SdkException e) {
      throw EksErrors.failure(what, e);
    }
  }

  // ---- reading ----------------------------------------------------------------------------

  /**
   * Every entry: the list's pages read in turn while the entries of each page already being read,
   * {@link AccessEntries.Builder#readConcurrency} at once (describe, then its policies).
   */
  private State readState() {
    ExecutorService pool = pool(readConcurrency);
    Optional<Deadline> deadline = Deadline.current(); // the pool's threads serve this operation
    List<Future<Outcome<Entry>>> futures = new ArrayList<>();
    try {
      @Nullable String token = null;
      do {
        @Nullable String from = token;
        EksCalls.Page page =
            call(() -> eks.listEntriesPage(from), "ListAccessEntries " + eks.cluster());
        for (String arn : page.principals()) {
          futures.add(
              pool.submit(
                  () -> within(deadline, () -> attempt(() -> withPolicies(describe(arn))))));
        }
        token = page.next();
      } while (token != null);
      Map<String, Entry> byKey = new LinkedHashMap<>();
      Map<String, List<Entry>> others = new TreeMap<>();
      for (Future<Outcome<Entry>> f : futures) {
        Outcome<Entry> o = f.get();
        if (o.failure() != null) {
          throw o.failure();
        }
        Entry e = Objects.requireNonNull(o.value());
        String key = key(principal(e.arn()));
        if (byKey.putIfAbsent(key, e) != null) {
          others.computeIfAbsent(key, k -> new ArrayList<>()).add(e);
        }
      }
      return new State(byKey, others, digest(byKey, others));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BackendException(
          "interrupted while reading the access entries of cluster " + eks.cluster() + ".",
          0,
          null,
          false,
          e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("a read escaped its own error handling", e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  private AccessEntry describe(String arn) {
    return call(() -> eks.describe(arn), "DescribeAccessEntry " + arn);
  }

  /** Runs work on a pool thread under the deadline of the operation that asked for it. */
  private static <T> T within(Optional<Deadline> deadline, Supplier<T> work) {
    return deadline.isPresent() ? deadline.get().run(work) : work.get();
  }

  private static ExecutorService pool(int threads) {
    return Executors.newFixedThreadPool(
        threads,
        r -> {
          Thread t = new Thread(r, "eks-access-entries");
          t.setDaemon(true);
          return t;
        });
  }

  private static final String SOME = "some:";

  /**
   * The entries of the query's principals: each described as given; one asked for under any path
   * and not found is looked for by name in the entry list (read once).
   */
  private State readState(IdentityQuery query) {
    List<Supplier<List<Entry>>> jobs = new ArrayList<>();
    AtomicReference<@Nullable List<String>> listed = new AtomicReference<>();
    for (Principal p : query.principals()) {
      jobs.add(() -> describeAll(List.of(p.arn().value())));
    }
    for (Principal p : query.anyPath()) {
      jobs.add(
          () -> {
            List<Entry> found = describeAll(List.of(p.arn().value()));
            if (!found.isEmpty()) {
              return found;
            }
            List<String> all = listed.get();
            if (all == null) {
              all = call(eks::listEntries, "ListAccessEntries " + eks.cluster());
              listed.compareAndSet(null, all);
            }
            String k = key(p);
            return describeAll(all.stream().filter(a -> key(principal(a)).equals(k)).toList());
          });
    }
    Map<String, Entry> byKey = new LinkedHashMap<>();
    Map<String, List<Entry>> others = new TreeMap<>();
    Set<String> seenArns = new java.util.HashSet<>();
    for (Outcome<List<Entry>> o : runAll(jobs)) {
      if (o.failure() != null) {
        throw o.failure();
      }
      for (Entry e : Objects.requireNonNull(o.value())) {
        if (!seenArns.add(e.arn())) {
          continue;
        }
        String key = key(principal(e.arn()));
        if (byKey.putIfAbsent(key, e) != null) {
          others.computeIfAbsent(key, k -> new ArrayList<>()).add(e);
        }
      }
    }
    List<String> keys = new ArrayList<>();
    query.all().forEach(p -> keys.add(key(p)));
    State partial = new State(byKey, others, Version.ANY);
    return new State(byKey, others, scopedVersion(keys, partial));
  }

  /** Describes these entries (and lists each one's policies); a 404 is no entry. */
  private List<Entry> describeAll(List<String> arns) {
    List<Entry> out = new ArrayList<>();
    for (String arn : arns) {
      AccessEntry e;
      try {
        e = eks.describe(arn);
      } catch (SdkException x) {
        if (EksErrors.notFound(x)) {
          continue;
        }
        throw EksErrors.failure("DescribeAccessEntry " + arn, x);
      }
      out.add(withPolicies(e));
    }
    return out;
  }

  private Entry withPolicies(AccessEntry e) {
    String arn = e.principalArn();
    Map<String, AccessScope> policies = new TreeMap<>();
    String type = Objects.requireNonNullElse(e.type(), STANDARD);
    if (type.equals(STANDARD) || type.equals(AccessEntryType.EC2.value())) {
      for (AssociatedAccessPolicy p :
          call(() -> eks.listAssociated(arn), "ListAssociatedAccessPolicies " + arn)) {
        policies.put(p.policyArn(), p.accessScope());
      }
    }
    return entry(e, policies);
  }

  private static List<String> keysOf(IdentityChanges changes) {
    List<String> keys = new ArrayList<>();
    for (IdentityChange c : changes.changes()) {
      if (c instanceof IdentityChange.Put put) {
        keys.add(key(put.mapping().principal()));
      } else if (c instanceof IdentityChange.Remove r) {
        keys.add(key(r.principal()));
      }
    }
    return keys;
  }

  /** The version of a scoped read: each principal's key with a digest of its entries. */
  private static Version scopedVersion(List<String> keys, State s) {
    StringBuilder out = new StringBuilder(SOME);
    new java.util.TreeSet<>(keys)
        .forEach(k -> out.append(k).append('=').append(digestOf(k, s)).append(';'));
    return Version.of(out.toString());
  }

  private static Map<String, String> digests(Version v) {
    Map<String, String> out = new java.util.HashMap<>();
    for (String part : v.value().substring(SOME.length()).split(";", -1)) {
      int eq = part.lastIndexOf('=');
      if (eq > 0) {
        out.put(part.substring(0, eq), part.substring(eq + 1));
      }
    }
    return out;
  }

  /** A digest of one principal's entries, or "-" if it has none. */
  private static String digestOf(String key, State s) {
    Entry first = s.byKey().get(key);
    if (first == null) {
      return "-";
    }
    Map<String, Entry> one = new TreeMap<>(Map.of(key, first));
    Map<String, List<Entry>> more = new TreeMap<>();
    List<Entry> others = s.others().get(key);
    if (others != null) {
      more.put(key, others);
    }
    return digest(one, more).value().substring(3);
  }

  private record Outcome<T>(@Nullable T value, @Nullable EksAccessException failure) {}

  /** Runs jobs on at most {@code concurrency} threads; results in job order. */
  private <T> List<Outcome<T>> runAll(List<Supplier<T>> jobs) {
    List<Outcome<T>> out = new ArrayList<>();
    if (jobs.size() <= 1 || concurrency == 1) {
      for (Supplier<T> j : jobs) {
        out.add(attempt(j));
      }
      return out;
    }
    ExecutorService pool =
        Executors.newFixedThreadPool(
            Math.min(concurrency, jobs.size()),
            r -> {
              Thread t = new Thread(r, "eks-access-entries");
              t.setDaemon(true);
              return t;
            });
    Optional<Deadline> deadline = Deadline.current();
    try {
      List<Future<Outcome<T>>> futures = new ArrayList<>();
      for (Supplier<T> j : jobs) {
        futures.add(pool.submit(() -> within(deadline, () -> attempt(j))));
      }
      for (Future<Outcome<T>> f : futures) {
        out.add(f.get());
      }
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BackendException(
          "interrupted while calling EKS for cluster " + eks.cluster() + ".", 0, null, false, e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("a job escaped its own error handling", e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  private static <T> Outcome<T> attempt(Supplier<T> job) {
    try {
      return new Outcome<>(job.get(), null);
    } catch (EksAccessException e) {
      return new Outcome<>(null, e);
    }
  }

  // ---- values -----------------------------------------------------------------------------

  private static Entry entry(AccessEntry e, Map<String, AccessScope> policies) {
    return new Entry(
        e.principalArn(),
        Objects.requireNonNullElse(e.type(), STANDARD),
        Objects.requireNonNullElse(e.username(), ""),
        List.copyOf(e.kubernetesGroups()),
        Map.copyOf(policies),
        Objects.requireNonNullElse(e.accessEntryArn(), ""),
        BreakGlassMark.fromAttributes(e.tags()),
        Optional.ofNullable(e.createdAt()));
  }

  /** Each entry's createdAt, for audit's dead-entry check. */
  private static Map<String, Instant> createdAt(List<Entry> entries) {
    Map<String, Instant> out = new LinkedHashMap<>();
    entries.forEach(e -> e.createdAt().ifPresent(at -> out.put(e.arn(), at)));
    return out;
  }

  private static IdentityMapping mapping(Entry e) {
    List<PolicyAssociation> policies = new ArrayList<>();
    new TreeMap<>(e.policies())
        .forEach(
            (arn, scope) ->
                policies.add(
                    new PolicyAssociation(
                        AccessPolicy.fromArn(arn),
                        scope.type() == AccessScopeType.CLUSTER
                            ? Scope.cluster()
                            : new Scope(scope.namespaces()))));
    return new IdentityMapping(
        principal(e.arn()),
        e.username().isEmpty() ? Optional.empty() : Optional.of(e.username()),
        e.groups(),
        policies,
        e.breakGlass(),
        Optional.of(e.type()));
  }

  private static Principal principal(String arn) {
    return arn.contains(":role/") ? IamRole.of(arn) : IamUser.of(arn);
  }

  /** EKS knows a principal by its IAM identity: account, kind and name, whatever the path. */
  private static String key(Principal p) {
    return PrincipalKeys.iamPrincipal(p);
  }

  private static String policyArn(Principal principal, AccessPolicy policy) {
    return policy.arn(principal.arn().partition());
  }

  private static AccessScope scope(Scope s) {
    return s.isClusterWide()
        ? AccessScope.builder().type(AccessScopeType.CLUSTER).namespaces(List.of()).build()
        : AccessScope.builder().type(AccessScopeType.NAMESPACE).namespaces(s.namespaces()).build();
  }

  private static boolean sameScope(AccessScope a, AccessScope b) {
    // a scope's namespaces are a set: EKS need not return them in the order they were sent
    return a.typeAsString().equals(b.typeAsString())
        && new TreeSet<>(a.namespaces()).equals(new TreeSet<>(b.namespaces()));
  }

  private static Version digest(Map<String, Entry> byKey, Map<String, List<Entry>> others) {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java has SHA-256", e);
    }
    Map<String, Entry> byArn = new TreeMap<>();
    byKey.values().forEach(e -> byArn.put(e.arn(), e));
    others.values().forEach(l -> l.forEach(e -> byArn.put(e.arn(), e)));
    for (Entry e : byArn.values()) {
      StringBuilder s =
          new StringBuilder(e.arn())
              .append('\u0000')
              .append(e.type())
              .append('\u0000')
              .append(e.username())
              .append('\u0000')
              .append(e.groups())
              .append('\u0000')
              .append(e.breakGlass().map(m -> m.attributes().toString()).orElse(""));
      new TreeMap<>(e.policies())
          .forEach(
              (arn, scope) ->
                  s.append('\u0000')
                      .append(arn)
                      .append(scope.typeAsString())
                      .append(new TreeSet<>(scope.namespaces())));
      sha.update(s.append('\n').toString().getBytes(StandardCharsets.UTF_8));
    }
    return Version.of("ae-" + HexFormat.of().formatHex(sha.digest(), 0, 12));
  }
}
