package dev.eksaccess.api;

import dev.eksaccess.api.internal.DeadAccess;
import dev.eksaccess.api.spi.IamDirectory;
import dev.eksaccess.api.spi.IdentityBackend;
import dev.eksaccess.api.spi.IdentityMapping;
import dev.eksaccess.api.spi.IdentityQuery;
import dev.eksaccess.api.spi.IdentitySnapshot;
import dev.eksaccess.api.spi.RbacBackend;
import dev.eksaccess.api.spi.RbacSnapshot;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Who may do what in one EKS cluster: plan grants and revokes against an identity backend (aws-auth
 * or Access Entries) and an RBAC backend, apply them safely, and explain decisions.
 *
 * <pre>{@code
 * ClusterAccess prod = ClusterAccess.builder()
 *     .clusterName("prod")
 *     .identities(identityBackend)     // AwsAuth.backend(..), AccessEntries.backend(..), or a fake
 *     .rbac(rbacBackend)
 *     .build();
 *
 * Grant devs = ClusterAccess.grant(IamRole.of("arn:aws:iam::111122223333:role/DevTeamRole"))
 *     .asGroup("acme:devs")
 *     .bind(ClusterRole.VIEW).inNamespace("prod-apps");
 *
 * Plan plan = prod.plan(devs);
 * System.out.println(plan);
 * plan.apply();
 * }</pre>
 *
 * <p>Instances are immutable and safe to share between threads; every call reads the backends
 * afresh.
 */
public final class ClusterAccess {

  private final String clusterName;
  private final IdentityBackend identities;
  private final @Nullable RbacBackend rbac;
  private final @Nullable IdentityBackend configMap;
  private final RetryPolicy retryPolicy;
  private final @Nullable Caller actingAs;
  private final Clock clock;
  private final Retries retries;
  private final Events events;
  private final @Nullable Duration timeout;
  private final @Nullable IamDirectory iam;

  private ClusterAccess(Builder b) {
    this.iam = b.iam;
    this.clock = b.clock;
    this.clusterName = Objects.requireNonNull(b.clusterName, "clusterName: set it on the builder");
    this.identities = Objects.requireNonNull(b.identities, "identities: set it on the builder");
    this.rbac = b.rbac;
    this.configMap = b.configMap;
    this.retryPolicy = b.retryPolicy;
    this.actingAs = b.actingAs;
    this.retries = new Retries(retryPolicy, clusterName, b.sleeper);
    this.events = new Events(b.listeners, clusterName, identities.name());
    this.timeout = b.timeout;
  }

  private ClusterAccess(ClusterAccess c, Duration timeout) {
    this.clock = c.clock;
    this.clusterName = c.clusterName;
    this.identities = c.identities;
    this.rbac = c.rbac;
    this.configMap = c.configMap;
    this.retryPolicy = c.retryPolicy;
    this.actingAs = c.actingAs;
    this.retries = c.retries;
    this.events = c.events;
    this.iam = c.iam;
    this.timeout = timeout;
  }

  /**
   * The same cluster access with another deadline for each call made through it: every read, write
   * and retry of one {@code plan}, {@code apply} (of a plan made through it), {@code explain},
   * {@code whoCan}, {@code audit} or {@code snapshot} must be done within {@code timeout} of the
   * call, or it throws {@link DeadlineExceededException} and starts nothing more.
   *
   * <pre>{@code
   * Decision d = prod.withTimeout(Duration.ofSeconds(5)).explain(jane, request);
   * }</pre>
   *
   * @param timeout the time each call may take, more than zero
   * @return the cluster access with that deadline
   * @throws InvalidInputException if {@code timeout} is zero or negative
   */
  public ClusterAccess withTimeout(Duration timeout) {
    return new ClusterAccess(this, Deadline.requirePositive(Objects.requireNonNull(timeout)));
  }

  /**
   * The time each call may take, if set.
   *
   * @return the timeout
   */
  public Optional<Duration> timeout() {
    return Optional.ofNullable(timeout);
  }

  /** Runs one operation within this access's deadline, counted from now. */
  <T> T within(Supplier<T> operation) {
    Duration t = timeout;
    return t == null ? operation.get() : Deadline.after(t, clock).run(operation);
  }

  /**
   * Starts a grant for {@code principal}. The chain is not a {@link Grant} until it names a binding
   * and a scope, so a half-written grant does not compile.
   *
   * <pre>{@code
   * Grant devs = ClusterAccess.grant(IamRole.of("arn:aws:iam::111122223333:role/DevTeamRole"))
   *     .asGroup("acme:devs")
   *     .bind(ClusterRole.VIEW).inNamespace("prod-apps");
   * }</pre>
   *
   * @param principal the IAM role or user
   * @return the first step
   * @throws NullPointerException if {@code principal} is null
   */
  public static Grant.SubjectStep grant(Principal principal) {
    return GrantChain.start(principal);
  }

  /**
   * Starts building a {@code ClusterAccess}.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
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
   * The cluster and what it is read and written through, for logs and JShell.
   *
   * <pre>{@code
   * prod.toString();
   * // ClusterAccess[prod: identities access-entries, rbac kubernetes-rbac, retries 8 (conflicts 64)]
   * }</pre>
   */
  @Override
  public String toString() {
    return "ClusterAccess["
        + clusterName
        + ": identities "
        + identities.name()
        + (configMap == null ? "" : " (and " + configMap.name() + ")")
        + (rbac == null ? ", no RBAC backend" : ", rbac " + rbac.name())
        + ", retries "
        + retryPolicy.maxAttempts()
        + " (conflicts "
        + retryPolicy.conflictAttempts()
        + ")"
        + (actingAs == null ? "" : ", acting as " + actingAs)
        + (timeout == null ? "" : ", timeout " + timeout)
        + "]";
  }

  String identityBackendName() {
    return identities.name();
  }

  /**
   * Plans these grants: reads both layers, and computes what would change. Grants add to what a
   * principal already has; use {@link #planRevoke} to take access away.
   *
   * <pre>{@code
   * Plan plan = prod.plan(devs, ops);
   * }</pre>
   *
   * @param grants the grants
   * @return the plan; nothing is written yet
   * @throws UnsupportedGrantException if the identity backend cannot express a grant, such as an
   *     access policy on aws-auth
   * @throws InvalidInputException if the grants contradict each other or a backend would refuse a
   *     value, such as a {@code system:} group on Access Entries, or a grant binds a role and no
   *     RBAC backend is configured
   */
  public Plan plan(Grant... grants) {
    return plan(List.of(grants));
  }

  /**
   * Plans these grants.
   *
   * @param grants the grants
   * @return the plan
   * @see #plan(Grant...)
   */
  public Plan plan(Collection<Grant> grants) {
    return plan(new Plan.Intent(List.copyOf(grants), List.of()));
  }

  /**
   * Plans removing these principals' mappings, and the bindings eks-access created that no
   * remaining mapping uses.
   *
   * <pre>{@code
   * prod.planRevoke(IamRole.of("arn:aws:iam::111122223333:role/Contractor")).apply();
   * }</pre>
   *
   * @param principals the principals
   * @return the plan; a revoke that would lock people out carries a {@link Violation}
   */
  public Plan planRevoke(Principal... principals) {
    return plan(new Plan.Intent(List.of(), List.of(principals)));
  }

  /**
   * Starts a partial revoke: one group, one access policy (or namespaces of its scope), or the
   * bindings to one role, taken from {@code principal}, whose mapping stays. See {@link
   * PartialRevoke}.
   *
   * <pre>{@code
   * prod.plan(ClusterAccess.revoke(dev).binding(ClusterRole.VIEW).inNamespace("prod-apps")).apply();
   * }</pre>
   *
   * @param principal the IAM role or user
   * @return the first step
   * @throws NullPointerException if {@code principal} is null
   */
  public static PartialRevoke.WhatStep revoke(Principal principal) {
    return PartialRevoke.start(principal);
  }

  /**
   * Plans partial revokes: each takes one piece of access from a principal and keeps its mapping.
   * Lockout guards apply as to any plan.
   *
   * <pre>{@code
   * Plan p = prod.plan(
   *     ClusterAccess.revoke(dev).group("acme:oncall"),
   *     ClusterAccess.revoke(dev).accessPolicy(AccessPolicy.EDIT).inNamespace("prod-apps"));
   * System.out.println(p);   // ~ mapping …/DevTeamRole  groups - acme:oncall …
   * p.apply();
   * }</pre>
   *
   * @param first a partial revoke
   * @param more further partial revokes
   * @return the plan; nothing is written yet
   * @throws UnsupportedGrantException if an access policy is revoked on a backend without them
   * @throws InvalidInputException if a revoke cannot be expressed, such as a namespace taken from a
   *     cluster-wide policy scope, or a binding revoked with no RBAC backend configured
   */
  public Plan plan(PartialRevoke first, PartialRevoke... more) {
    List<PartialRevoke> all = new ArrayList<>();
    all.add(Objects.requireNonNull(first, "first"));
    all.addAll(List.of(more));
    return plan(new Plan.Intent(List.of(), List.of(), all));
  }

  /**
   * Starts an emergency cluster-admin grant that expires; the only way eks-access grants {@code
   * system:masters}. See {@link BreakGlass}.
   *
   * <pre>{@code
   * BreakGlass incident = ClusterAccess.breakGlass(IamRole.of("arn:aws:iam::111122223333:role/BreakGlass"))
   *     .forDuration(Duration.ofHours(2))
   *     .because("INC-123");
   * prod.plan(incident).apply();
   * }</pre>
   *
   * @param role a role kept for emergencies, with no ordinary mapping
   * @return the next step
   */
  public static BreakGlass.DurationStep breakGlass(IamRole role) {
    return BreakGlass.start(role);
  }

  /**
   * Plans a break-glass grant: on aws-auth a {@code system:masters} mapping with username {@code
   * break-glass:{{SessionName}}} (so the audit log names the person), on Access Entries an entry
   * with {@code AmazonEKSClusterAdminPolicy} at cluster scope; either way recording the reason,
   * this {@link Builder#actingAs(Caller) applier} and the expiry, which counts from now. Planning
   * it again while it is in force moves the expiry.
   *
   * <pre>{@code
   * Plan p = prod.plan(ClusterAccess.breakGlass(role).forDuration(Duration.ofHours(2)).because("INC-123"));
   * System.out.println(p);   // + mapping role/BreakGlass … break-glass until 2026-11-23T12:00:00Z (INC-123)
   * p.apply();
   * }</pre>
   *
   * @param breakGlass the grant
   * @return the plan
   * @throws InvalidInputException if the role already has an ordinary mapping
   * @throws UnsupportedGrantException if the backend has neither system groups nor access policies
   */
  public Plan plan(BreakGlass breakGlass) {
    Objects.requireNonNull(breakGlass, "breakGlass");
    return events.observe(
        Operation.Kind.PLAN, op -> within(() -> new Planning(this).breakGlass(breakGlass)));
  }

  /**
   * Plans removing every break-glass grant that has expired by now, and nothing else. Lockout
   * guards still apply, except that a break-glass admin never counts as the last admin: it was
   * always going to go.
   *
   * <pre>{@code
   * Plan sweep = prod.planExpireBreakGlass();
   * System.out.println(sweep);   // - mapping role/BreakGlass  break-glass expired at … (INC-123)
   * sweep.apply();
   * }</pre>
   *
   * @return the plan; empty if nothing has expired
   */
  public Plan planExpireBreakGlass() {
    return plan(new Plan.Intent(List.of(), List.of(), List.of(), clock.instant()));
  }

  /**
   * Removes every break-glass grant that has expired by now, and nothing else: {@link
   * #planExpireBreakGlass()} applied. Run it on a schedule.
   *
   * <pre>{@code
   * ApplyResult swept = prod.expireBreakGlass();
   * swept.applied().forEach(System.out::println);
   * }</pre>
   *
   * @return what was removed
   * @throws UnsafeChangeException if removing them would trip a lockout guard
   */
  public ApplyResult expireBreakGlass() {
    // one deadline for the sweep: the plan's and the apply's nest inside it and never add time
    return events.observe(
        Operation.Kind.EXPIRE_BREAK_GLASS, op -> within(() -> planExpireBreakGlass().apply()));
  }

  /**
   * Explains whether {@code caller} may make {@code request}, walking both layers.
   *
   * <pre>{@code
   * Decision d = prod.explain(
   *     Caller.of("arn:aws:sts::111122223333:assumed-role/DevTeamRole/jane"),
   *     Request.verb("get").resource("pods").inNamespace("prod-apps"));
   * }</pre>
   *
   * @param caller the IAM caller
   * @param request the Kubernetes request
   * @return the decision with its chain of steps
   */
  public Decision explain(Caller caller, Request request) {
    Objects.requireNonNull(caller, "caller");
    Objects.requireNonNull(request, "request");
    return events.observe(Operation.Kind.EXPLAIN, op -> within(() -> explainNow(caller, request)));
  }

  private Decision explainNow(Caller caller, Request request) {
    // one caller: its own mapping, found as EKS finds it (whatever the role's path)
    Optional<Principal> caught = caller.principal();
    IdentitySnapshot ids =
        caught.isEmpty()
            ? reading(identities::read)
            : reading(
                () ->
                    identities.read(
                        IdentityQuery.of(List.of()).withAnyPath(List.of(caught.get()))));
    return snapshotOf(ids).explain(caller, request);
  }

  /**
   * Names the IAM principals that may make {@code request}: each mapped role and user, explained as
   * a session of it would be (a role's session reports no path, so a role that aws-auth names with
   * its path is not listed, as EKS would not let it in), through access policies, {@code
   * system:masters} and RBAC. Account mappings ({@code mapAccounts}) name no principal and are not
   * listed. Principals eks-access cannot decide for are listed by {@link #whoCanUndecided(Request)}
   * instead.
   *
   * <pre>{@code
   * for (AllowedPrincipal p : prod.whoCan(Request.verb("delete").resource("pods").inNamespace("prod-apps"))) {
   *   System.out.println(p); // arn:aws:iam::111122223333:role/Ops: RoleBinding prod-apps/... allows ...
   * }
   * }</pre>
   *
   * @param request the Kubernetes request
   * @return the principals allowed, in mapping order, each with the decision that allows it
   */
  public List<AllowedPrincipal> whoCan(Request request) {
    return events.observe(
        Operation.Kind.WHO_CAN,
        op -> within(() -> snapshotOf(reading(identities::read), false).whoCan(request)));
  }

  /**
   * Names the IAM principals for which eks-access cannot decide whether they may make {@code
   * request}, which {@link #whoCan(Request)} therefore does not list: an access policy in scope
   * whose rules are unknown ({@link Decision.Reason#ACCESS_POLICY_RULES_UNKNOWN}), or no RBAC
   * backend.
   *
   * <pre>{@code
   * prod.whoCanUndecided(Request.verb("get").resource("secrets").inNamespace("argocd"))
   *     .forEach(System.out::println);
   * }</pre>
   *
   * @param request the Kubernetes request
   * @return the principals, in mapping order, each with its undecided decision
   */
  public List<UndecidedPrincipal> whoCanUndecided(Request request) {
    return events.observe(
        Operation.Kind.WHO_CAN,
        op -> within(() -> snapshotOf(reading(identities::read), false).whoCanUndecided(request)));
  }

  /**
   * Every mapped principal with its username, groups, EKS access policies and the RBAC bindings
   * that name it, and the dangling and dead access found ({@link Audit#findings()}; with an {@link
   * Builder#iam IAM directory}, one {@code GetRole} per distinct role). Reads; writes nothing.
   *
   * <pre>{@code
   * System.out.println(prod.audit()); // a table; prod.audit().toJson() for tools
   * }</pre>
   *
   * @return the audit, without drift
   */
  public Audit audit() {
    return events.observe(Operation.Kind.AUDIT, op -> within(() -> readSnapshot().audit()));
  }

  /**
   * The audit, and the drift between {@code desired} and the cluster: what planning the grants
   * would change (missing or changed mappings and bindings), and the mappings no desired grant
   * names (node roles aside).
   *
   * <pre>{@code
   * Audit audit = prod.audit(List.of(devs, ops));
   * if (!audit.drift().isEmpty()) System.out.println(audit);
   * }</pre>
   *
   * @param desired the grants the cluster should hold
   * @return the audit with its drift
   */
  public Audit audit(Collection<Grant> desired) {
    return events.observe(Operation.Kind.AUDIT, op -> within(() -> readSnapshot().audit(desired)));
  }

  /**
   * Reads both layers whole, once, for many questions: explain, who-can and audit answered from the
   * same read, the RBAC index built once. The snapshot does not change; its {@link
   * ClusterSnapshot#age()} says how old it is.
   *
   * <pre>{@code
   * ClusterSnapshot now = prod.snapshot();
   * callers.forEach(c -> System.out.println(now.explain(c, request)));
   * }</pre>
   *
   * @return the snapshot
   * @throws BackendException if a backend fails
   */
  public ClusterSnapshot snapshot() {
    return events.observe(Operation.Kind.SNAPSHOT, op -> within(this::readSnapshot));
  }

  private ClusterSnapshot readSnapshot() {
    return snapshotOf(reading(identities::read), true);
  }

  /**
   * Plans recreating the access entries that a role deleted and created again left dead (see {@link
   * Audit.Finding.Code#DEAD_ENTRY_ROLE_RECREATED}): reads every mapping, asks IAM once per distinct
   * role, and shows the replacements before anything is written. On aws-auth nothing needs
   * recreating; mappings to roles IAM no longer has are listed in {@link DeadAccessRepair#notes()}.
   *
   * <pre>{@code
   * DeadAccessRepair repair = prod.planRepairDeadAccess();
   * System.out.println(repair);   // -/+ access entry arn:aws:iam::111122223333:role/DevTeamRole ...
   * repair.apply();
   * }</pre>
   *
   * @return the repair; nothing is written yet
   * @throws InvalidInputException ({@link ErrorCode#IAM_NOT_CONFIGURED}) if no {@link Builder#iam
   *     IAM directory} was given
   * @throws BackendException if the identity backend fails (IAM failures become notes)
   */
  public DeadAccessRepair planRepairDeadAccess() {
    IamDirectory directory = iam;
    if (directory == null) {
      throw InvalidInputException.of(
          ErrorCode.IAM_NOT_CONFIGURED,
          "iam",
          null,
          "planRepairDeadAccess asks IAM which roles were deleted or created again; give the"
              + " builder an IAM directory: ClusterAccess.builder().iam(IamRoles.directory(iamClient,"
              + " account)).");
    }
    return events.observe(
        Operation.Kind.PLAN,
        op ->
            within(
                () -> {
                  IdentitySnapshot ids = reading(identities::read);
                  DeadAccess.Result found =
                      DeadAccess.check(
                          ids, identities.principalMatching(), identities.name(), directory);
                  return DeadAccessRepair.of(this, found.dead(), found.findings());
                }));
  }

  private ClusterSnapshot snapshotOf(IdentitySnapshot ids) {
    return snapshotOf(ids, false);
  }

  /**
   * Both layers; a whole snapshot (for audit) also lists the namespaces, which explaining one
   * caller never needs.
   */
  private ClusterSnapshot snapshotOf(IdentitySnapshot ids, boolean whole) {
    Instant readAt = clock.instant();
    RbacBackend r = rbac;
    @Nullable RbacSnapshot rbacNow = r == null ? null : reading(r::read);
    IdentityBackend cm = configMap;
    @Nullable IdentitySnapshot cmNow = cm == null ? null : reading(cm::read);
    @Nullable Set<String> namespaces =
        r == null || !whole ? null : reading(r::namespaces).orElse(null);
    return new ClusterSnapshot(
        clusterName,
        identities,
        ids,
        cm,
        cmNow,
        rbacNow,
        applier(),
        clock,
        readAt,
        namespaces,
        iam);
  }

  private Plan plan(Plan.Intent intent) {
    return events.observe(Operation.Kind.PLAN, op -> within(() -> new Planning(this).plan(intent)));
  }

  /** Plans an intent read back from a reviewed plan: see {@link Plan#fromJson}. */
  Plan planIntent(Plan.Intent intent) {
    return plan(intent);
  }

  List<BreakGlass.Active> breakGlassIn(IdentitySnapshot ids) {
    Instant now = clock.instant();
    List<BreakGlass.Active> out = new ArrayList<>();
    for (IdentityMapping m : ids.mappings()) {
      m.breakGlass()
          .ifPresent(b -> out.add(new BreakGlass.Active(m.principal(), b, b.remaining(now))));
    }
    return out;
  }

  /** Applies a plan: see {@link Plan#apply()}. */
  ApplyResult apply(Plan plan, Operation operation) {
    return within(() -> new ApplyLoop(this, operation).apply(plan));
  }

  /** The principals a plan read, to read them again for a retry. */
  IdentityQuery query(Plan plan) {
    return new Planning(this).query(plan.intent());
  }

  IdentityBackend identities() {
    return identities;
  }

  @Nullable RbacBackend rbacBackend() {
    return rbac;
  }

  Retries retries() {
    return retries;
  }

  Events events() {
    return events;
  }

  Clock clock() {
    return clock;
  }

  /** The applier, if {@link Builder#actingAs} named one. */
  @Nullable Caller actingAsCaller() {
    return actingAs;
  }

  /** The applier's principal, if {@link Builder#actingAs} named one. */
  @Nullable Principal applier() {
    Caller c = actingAs;
    return c == null ? null : c.principal().orElse(null);
  }

  private <T> T reading(Supplier<T> read) {
    return retries.reading(read);
  }

  /**
   * Builds a {@link ClusterAccess}. Cluster name and identity backend are required; the RBAC
   * backend is needed for grants that bind roles.
   *
   * <pre>{@code
   * ClusterAccess.builder().clusterName("prod").identities(ids).rbac(rbac).build();
   * }</pre>
   */
  public static final class Builder {
    private @Nullable String clusterName;
    private @Nullable IdentityBackend identities;
    private @Nullable RbacBackend rbac;
    private @Nullable IdentityBackend configMap;
    private RetryPolicy retryPolicy = RetryPolicy.defaults();
    private @Nullable Caller actingAs;
    private Clock clock = Clock.systemUTC();
    private @Nullable Duration timeout;
    private RetryPolicy.Sleeper sleeper = RetryPolicy.Sleeper.THREAD;
    private final List<ClusterAccessListener> listeners = new ArrayList<>();
    private @Nullable IamDirectory iam;

    private Builder() {}

    /**
     * IAM, for what only IAM knows: with it, {@link ClusterAccess#audit()} reports mappings to
     * roles that no longer exist and access entries left dead by a role deleted and created again
     * (one {@code GetRole} per distinct role of the directory's account), and {@link
     * ClusterAccess#planRepairDeadAccess()} recreates them. Without it, nothing asks IAM.
     *
     * <pre>{@code
     * ClusterAccess.builder().clusterName("prod").identities(ids)
     *     .iam(IamRoles.directory(IamClient.builder().region(Region.AWS_GLOBAL).build(), "111122223333"))
     *     .build();
     * }</pre>
     *
     * @param iam the IAM directory
     * @return this builder
     */
    public Builder iam(IamDirectory iam) {
      this.iam = Objects.requireNonNull(iam, "iam");
      return this;
    }

    /**
     * Adds a listener that hears plans, applies, refusals, retries, failures and break-glass
     * expiries; see {@link ClusterAccessListener}. Listeners run in the order added.
     *
     * <pre>{@code
     * ClusterAccess.builder().clusterName("prod").identities(ids)
     *     .listener(new ClusterAccessListener() {
     *       @Override public void retried(String cluster, String object, int attempt,
     *           EksAccessException cause) {
     *         metrics.counter("eks-access.retries").increment();
     *       }
     *     })
     *     .build();
     * }</pre>
     *
     * @param listener the listener
     * @return this builder
     */
    public Builder listener(ClusterAccessListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /**
     * The clock that break-glass expiry is measured by. Default: the system clock, in UTC.
     *
     * <pre>{@code
     * ClusterAccess.builder().clusterName("prod").identities(ids)
     *     .clock(Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC))
     *     .build();
     * }</pre>
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * What waits between retries (and between the repeated reads of a plan): by default the thread
     * sleeps for the {@link RetryPolicy}'s jittered backoff. A test gives one that moves its fake
     * clock instead, so that it never waits for real; the testkit's {@code FakeCluster} does.
     *
     * <pre>{@code
     * ClusterAccess.builder().clusterName("prod").identities(ids)
     *     .retryPolicy(RetryPolicy.defaults())
     *     .retrySleeper(wait -> testClock.advance(wait))
     *     .build();
     * }</pre>
     *
     * @param sleeper what waits
     * @return this builder
     */
    public Builder retrySleeper(RetryPolicy.Sleeper sleeper) {
      this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
      return this;
    }

    /**
     * The cluster's name, as EKS knows it.
     *
     * @param clusterName the name
     * @return this builder
     */
    public Builder clusterName(String clusterName) {
      this.clusterName = Objects.requireNonNull(clusterName, "clusterName");
      return this;
    }

    /**
     * Layer 1: aws-auth, Access Entries, or a testkit fake.
     *
     * @param identities the identity backend
     * @return this builder
     */
    public Builder identities(IdentityBackend identities) {
      this.identities = Objects.requireNonNull(identities, "identities");
      return this;
    }

    /**
     * Layer 2: Kubernetes RBAC.
     *
     * @param rbac the RBAC backend
     * @return this builder
     */
    public Builder rbac(RbacBackend rbac) {
      this.rbac = Objects.requireNonNull(rbac, "rbac");
      return this;
    }

    /**
     * For a cluster in authentication mode {@code API_AND_CONFIG_MAP}, where EKS reads both: the
     * aws-auth backend beside the Access Entries one given to {@link #identities}. {@link
     * ClusterAccess#explain} then follows EKS's precedence: a principal's access entry wins, and
     * aws-auth counts only for principals without one. Plans and writes still go to {@link
     * #identities} alone.
     *
     * <pre>{@code
     * ClusterAccess.builder().clusterName("prod")
     *     .identities(AccessEntries.backend(eks, "prod"))
     *     .configMap(AwsAuth.backend(client))   // read for explain only
     *     .build();
     * }</pre>
     *
     * @param awsAuth the aws-auth backend
     * @return this builder
     */
    public Builder configMap(IdentityBackend awsAuth) {
      this.configMap = Objects.requireNonNull(awsAuth, "awsAuth");
      return this;
    }

    /**
     * How to retry a write that lost a race with another writer, or failed in a way that repeating
     * may fix. Each retry re-reads and re-plans, and writes only changes the reviewed plan showed.
     * Default: {@link RetryPolicy#defaults()}.
     *
     * <pre>{@code
     * ClusterAccess.builder().clusterName("prod").identities(ids)
     *     .retryPolicy(RetryPolicy.none())   // report every lost race at once
     *     .build();
     * }</pre>
     *
     * @param retryPolicy the policy
     * @return this builder
     */
    public Builder retryPolicy(RetryPolicy retryPolicy) {
      this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
      return this;
    }

    /**
     * The time each call may take (no deadline if unset): every read, write and retry of one {@code
     * plan}, {@code apply}, {@code explain}, {@code whoCan}, {@code audit} or {@code snapshot} must
     * be done within it, or the call throws {@link DeadlineExceededException} and starts nothing
     * more. Backends give each remote request only the time left (see {@link Deadline}); a failed
     * apply still takes back what it wrote. Per call: {@link ClusterAccess#withTimeout}.
     *
     * <pre>{@code
     * ClusterAccess.builder().clusterName("prod").identities(ae).timeout(Duration.ofSeconds(30));
     * }</pre>
     *
     * @param timeout the time each call may take, more than zero
     * @return this builder
     * @throws InvalidInputException if {@code timeout} is zero or negative
     */
    public Builder timeout(Duration timeout) {
      this.timeout = Deadline.requirePositive(Objects.requireNonNull(timeout, "timeout"));
      return this;
    }

    /**
     * The IAM identity that applies the changes, such as the pipeline's role (from STS
     * GetCallerIdentity). A plan that would remove its own mapping is refused ({@link
     * Guard#OWN_MAPPING}) unless forced, so an applier does not cut itself off mid-change.
     *
     * <pre>{@code
     * ClusterAccess.builder().clusterName("prod").identities(ids)
     *     .actingAs(Caller.of("arn:aws:sts::111122223333:assumed-role/Deployer/ci-123"))
     *     .build();
     * }</pre>
     *
     * @param caller the applying identity
     * @return this builder
     */
    public Builder actingAs(Caller caller) {
      this.actingAs = Objects.requireNonNull(caller, "caller");
      return this;
    }

    /**
     * Builds it.
     *
     * @return the cluster access
     * @throws NullPointerException if the cluster name or identity backend was not set
     */
    public ClusterAccess build() {
      return new ClusterAccess(this);
    }
  }
}
