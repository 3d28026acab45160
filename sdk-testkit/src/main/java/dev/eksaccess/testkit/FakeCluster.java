package dev.eksaccess.testkit;

import dev.eksaccess.api.Change;
import dev.eksaccess.api.ClusterAccess;
import dev.eksaccess.api.IamRole;
import dev.eksaccess.api.InvalidInputException;
import dev.eksaccess.api.RetryPolicy;
import dev.eksaccess.api.spi.Capability;
import dev.eksaccess.api.spi.IdentityBackend;
import dev.eksaccess.api.spi.IdentityMapping;
import dev.eksaccess.api.spi.RbacBackend;
import dev.eksaccess.api.spi.RbacBinding;
import dev.eksaccess.api.spi.RbacRole;
import dev.eksaccess.api.support.AccessEntryRules;
import dev.eksaccess.api.support.PrincipalKeys;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.assertj.core.api.AssertProvider;
import org.jspecify.annotations.Nullable;

/**
 * One in-memory EKS cluster for tests: a {@link ClusterState} served by strict fakes of the
 * identity backend (aws-auth or Access Entries flavour) and of RBAC, with the default ClusterRoles
 * in place, a request log, and AssertJ assertions.
 *
 * <pre>{@code
 * FakeCluster prod = FakeCluster.accessEntries("prod");
 * new TeamOnboarding(prod.clusterAccess()).onboard("payments");
 *
 * assertThat(prod).hasGrant(ClusterAccess.grant(IamRole.of("arn:aws:iam::111122223333:role/Payments"))
 *     .asGroup("acme:payments").bind(ClusterRole.VIEW).inNamespace("payments"));
 * }</pre>
 */
public final class FakeCluster implements AssertProvider<FakeClusterAssert> {
  /**
   * Where every fake cluster's clock starts, so break-glass times in tests are the same each run.
   */
  public static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  private final Clock clock;
  private final @Nullable MutableClock ownClock;
  private final ClusterState world;
  private final IdentityBackend identities;
  private final RbacBackend rbac;
  private final ClusterAccess clusterAccess;

  private FakeCluster(ClusterState world, IdentityBackend identities, @Nullable Clock given) {
    this.ownClock = given == null ? new MutableClock(START) : null;
    this.clock = given == null ? Objects.requireNonNull(ownClock) : given;
    this.world = world;
    world.clock(clock); // access entries are created at this cluster's time
    this.identities = identities;
    this.rbac = Fakes.rbac(world);
    this.clusterAccess = clusterAccess(NO_PAUSES);
  }

  /**
   * The retries of {@link #clusterAccess()}: the defaults' attempts with no pause between them, so
   * a test that injects conflicts or outages never sleeps.
   */
  private static final RetryPolicy NO_PAUSES =
      RetryPolicy.of(RetryPolicy.defaults().maxAttempts(), Duration.ZERO, Duration.ZERO)
          .withConflictAttempts(RetryPolicy.defaults().conflictAttempts());

  /**
   * The time on this cluster's clock, which {@link #clusterAccess()} measures break-glass expiry
   * and snapshot age by. Unless the cluster was given a clock, it starts at {@link #START} and
   * moves only with {@link #advanceClock(Duration)} and with the pauses between retries.
   *
   * @return the time
   */
  public Instant now() {
    return clock.instant();
  }

  /**
   * Moves this cluster's clock forward, to test what expires.
   *
   * <pre>{@code
   * cluster.clusterAccess().plan(ClusterAccess.breakGlass(role).forDuration(Duration.ofHours(2))
   *     .because("INC-123")).apply();
   * cluster.advanceClock(Duration.ofHours(2));
   * cluster.clusterAccess().expireBreakGlass();   // removes it
   * }</pre>
   *
   * @param by how far; not negative
   * @return this cluster
   * @throws IllegalArgumentException if {@code by} is negative
   * @throws IllegalStateException if the cluster was given its clock: move that clock instead
   */
  public FakeCluster advanceClock(Duration by) {
    if (by.isNegative()) {
      throw new IllegalArgumentException(
          "advanceClock(" + by + "): a clock only moves forward; pass a positive duration.");
    }
    MutableClock own = ownClock;
    if (own == null) {
      throw new IllegalStateException(
          "advanceClock("
              + by
              + "): "
              + this
              + " reads the clock it was given ("
              + clock
              + "); move that clock instead.");
    }
    own.advance(by);
    return this;
  }

  /**
   * A cluster whose identities live in aws-auth.
   *
   * @param clusterName the cluster's name
   * @return the cluster
   */
  public static FakeCluster awsAuth(String clusterName) {
    ClusterState world = ClusterState.withDefaultRoles(clusterName);
    return new FakeCluster(world, Fakes.awsAuth(world), null);
  }

  /**
   * A cluster whose identities live in aws-auth, on the test's clock: break-glass expiry and
   * snapshot age are measured by it, and pauses between retries do not wait (the test moves its
   * clock as it likes; {@link #advanceClock} refuses).
   *
   * <pre>{@code
   * Clock incident = Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC);
   * FakeCluster prod = FakeCluster.awsAuth("prod", incident);   // or a clock the test moves
   * }</pre>
   *
   * @param clusterName the cluster's name
   * @param clock the clock
   * @return the cluster
   */
  public static FakeCluster awsAuth(String clusterName, Clock clock) {
    ClusterState world = ClusterState.withDefaultRoles(clusterName);
    return new FakeCluster(world, Fakes.awsAuth(world), Objects.requireNonNull(clock, "clock"));
  }

  /**
   * A cluster whose identities are EKS access entries.
   *
   * @param clusterName the cluster's name
   * @return the cluster
   */
  public static FakeCluster accessEntries(String clusterName) {
    ClusterState world = ClusterState.withDefaultRoles(clusterName);
    return new FakeCluster(world, Fakes.accessEntries(world), null);
  }

  /**
   * A cluster whose identities are EKS access entries, on the test's clock; see {@link
   * #awsAuth(String, Clock)}.
   *
   * @param clusterName the cluster's name
   * @param clock the clock
   * @return the cluster
   */
  public static FakeCluster accessEntries(String clusterName, Clock clock) {
    ClusterState world = ClusterState.withDefaultRoles(clusterName);
    return new FakeCluster(
        world, Fakes.accessEntries(world), Objects.requireNonNull(clock, "clock"));
  }

  /**
   * A {@code ClusterAccess} over this cluster's fakes, the object your code under test takes.
   *
   * @return the cluster access
   */
  public ClusterAccess clusterAccess() {
    return clusterAccess;
  }

  /**
   * A {@code ClusterAccess} over this cluster's fakes and clock that retries as {@code retryPolicy}
   * says: to test how code under test behaves when attempts run out ({@code RetryPolicy.of(1, ...)}
   * gives up at the first conflict). {@link #clusterAccess()} retries as the defaults do, without
   * pausing. The policy's pauses never wait for real: they move this cluster's own clock on (a
   * clock the cluster was given is left to the test).
   *
   * <pre>{@code
   * prod.failNext(Change.Layer.IDENTITY, WriteFault.CONFLICT);
   * prod.clusterAccess(RetryPolicy.of(1, Duration.ZERO, Duration.ZERO)).plan(devs).apply(); // throws
   * }</pre>
   *
   * @param retryPolicy how to retry lost races and failures
   * @return the cluster access
   */
  public ClusterAccess clusterAccess(RetryPolicy retryPolicy) {
    return clusterAccessBuilder()
        .retryPolicy(Objects.requireNonNull(retryPolicy, "retryPolicy"))
        .build();
  }

  /**
   * A builder of a {@code ClusterAccess} over this cluster's fakes and clock, retrying as {@link
   * #clusterAccess()} does, to add what your code under test sets itself: listeners, the applier, a
   * retry policy.
   *
   * <pre>{@code
   * ClusterAccess observed = prod.clusterAccessBuilder()
   *     .listener(MicrometerListener.of(meters))
   *     .actingAs(Caller.of("arn:aws:sts::111122223333:assumed-role/Deployer/ci-1"))
   *     .build();
   * }</pre>
   *
   * @return a new builder each time
   */
  public ClusterAccess.Builder clusterAccessBuilder() {
    return ClusterAccess.builder()
        .clusterName(world.clusterName())
        .identities(identities)
        .rbac(rbac)
        .clock(clock)
        .retrySleeper(ownClock == null ? wait -> {} : ownClock::advance)
        .retryPolicy(NO_PAUSES);
  }

  /**
   * The world, to inspect directly.
   *
   * @return the state
   */
  public ClusterState state() {
    return world;
  }

  /**
   * The fake identity backend.
   *
   * @return the backend
   */
  public IdentityBackend identities() {
    return identities;
  }

  /**
   * The fake RBAC backend.
   *
   * @return the backend
   */
  public RbacBackend rbac() {
    return rbac;
  }

  /**
   * Every request the fakes received, oldest first. Seeding is not a request.
   *
   * @return the log
   */
  public List<RecordedRequest> requests() {
    return world.requests();
  }

  /**
   * Puts a mapping in place, as if someone had made it before the test; moves the version on.
   *
   * @param mapping the mapping
   * @return this cluster
   */
  public FakeCluster seed(IdentityMapping mapping) {
    world.seed(Objects.requireNonNull(mapping, "mapping"));
    return this;
  }

  /**
   * Puts a whole-account mapping in place (aws-auth {@code mapAccounts}).
   *
   * @param accountId the 12-digit account id
   * @return this cluster
   */
  public FakeCluster seedAccount(String accountId) {
    world.seedAccount(Objects.requireNonNull(accountId, "accountId"));
    return this;
  }

  /**
   * Puts a Role or ClusterRole in place, replacing one of the same name.
   *
   * @param role the role
   * @return this cluster
   */
  public FakeCluster seed(RbacRole role) {
    world.seed(Objects.requireNonNull(role, "role"));
    return this;
  }

  /**
   * Puts a binding in place, replacing one of the same name.
   *
   * @param binding the binding
   * @return this cluster
   */
  public FakeCluster seed(RbacBinding binding) {
    world.seed(Objects.requireNonNull(binding, "binding"));
    return this;
  }

  /**
   * Seeds aws-auth from YAML: a whole ConfigMap manifest, as {@code kubectl get -o yaml} prints it,
   * or just its data ({@code mapRoles}, {@code mapUsers}, {@code mapAccounts}). Every mapping and
   * account lands as if someone had made them before the test.
   *
   * <pre>{@code
   * prod.seedAwsAuth("""
   *     mapRoles: |
   *       - rolearn: arn:aws:iam::111122223333:role/Admin
   *         groups: [system:masters]
   *     """);
   * }</pre>
   *
   * @param yaml the ConfigMap or its data
   * @return this cluster
   * @throws IllegalArgumentException if the YAML cannot be read, naming where
   */
  public FakeCluster seedAwsAuth(String yaml) {
    SeedYaml.AwsAuth seed = SeedYaml.awsAuth(Objects.requireNonNull(yaml, "yaml"));
    seed.mappings().forEach(world::seed);
    seed.accounts().forEach(world::seedAccount);
    return this;
  }

  /**
   * Seeds an access entry, checked with EKS's own rules (no {@code system:} groups, no reserved
   * username prefix), as EKS would have refused anything else.
   *
   * <pre>{@code
   * prod.seedAccessEntry(IdentityMapping.of(admin)
   *     .withPolicy(new PolicyAssociation(AccessPolicy.CLUSTER_ADMIN, Scope.cluster())));
   * }</pre>
   *
   * @param entry the entry
   * @return this cluster
   * @throws IllegalStateException on an aws-auth cluster
   * @throws dev.eksaccess.api.InvalidInputException if EKS would refuse the entry
   */
  public FakeCluster seedAccessEntry(IdentityMapping entry) {
    Objects.requireNonNull(entry, "entry");
    if (!identities.capabilities().contains(Capability.ACCESS_POLICIES)) {
      throw new IllegalStateException(
          this + " keeps its identities in aws-auth; seed it with seed(..) or seedAwsAuth(..).");
    }
    List<InvalidInputException.Problem> problems =
        AccessEntryRules.problems(entry, "access entry " + entry.principal());
    if (!problems.isEmpty()) {
      throw AccessEntryRules.exception(problems);
    }
    world.seed(entry);
    return this;
  }

  /**
   * Adds namespaces to the cluster, which its RBAC fake then lists with the four every cluster has;
   * until the first call, the fake cannot tell which namespaces exist, as a backend without the
   * permission to list them cannot. See {@link ClusterState#addNamespaces}.
   *
   * <pre>{@code
   * prod.seedNamespaces("prod-apps", "dev-team-a");
   * prod.clusterAccess().audit().findings();   // POLICY_SCOPE_MISSING_NAMESPACE for scopes naming others
   * }</pre>
   *
   * @param names the namespaces
   * @return this cluster
   */
  public FakeCluster seedNamespaces(String... names) {
    world.addNamespaces(names);
    return this;
  }

  /**
   * Seeds a node role's access entry as EKS creates it for a managed node group ({@code EC2_LINUX},
   * {@code EC2_WINDOWS}, {@code FARGATE_LINUX} or {@code EC2}): username {@code
   * system:node:{{EC2PrivateDNSName}}} ({@code system:node:{{SessionName}}} for Fargate) and group
   * {@code system:nodes}. Like EKS, the fake then refuses any change to it but a delete, and the
   * node-role guard protects it.
   *
   * <pre>{@code
   * prod.seedNodeEntry(IamRole.of("arn:aws:iam::111122223333:role/NodeInstanceRole"), "EC2_LINUX");
   * }</pre>
   *
   * @param role the node role
   * @param type the entry type
   * @return this cluster
   * @throws IllegalStateException on an aws-auth cluster
   * @throws IllegalArgumentException if {@code type} is not a node type
   */
  public FakeCluster seedNodeEntry(IamRole role, String type) {
    Objects.requireNonNull(role, "role");
    if (!identities.capabilities().contains(Capability.ACCESS_POLICIES)) {
      throw new IllegalStateException(
          this + " keeps its identities in aws-auth; seed a node role with seedAwsAuth(..).");
    }
    if (!NODE_TYPES.contains(Objects.requireNonNull(type, "type"))) {
      throw new IllegalArgumentException(
          "a node entry's type is one of " + NODE_TYPES + ", not \"" + type + "\".");
    }
    String username =
        type.equals("FARGATE_LINUX")
            ? "system:node:{{SessionName}}"
            : "system:node:{{EC2PrivateDNSName}}";
    synchronized (world) {
      world.seed(
          IdentityMapping.of(role).withUsername(username).withGroups(List.of("system:nodes")));
      world.nodeEntryTypes().put(PrincipalKeys.iamPrincipal(role), type);
    }
    return this;
  }

  private static final List<String> NODE_TYPES =
      List.of("EC2_LINUX", "EC2_WINDOWS", "FARGATE_LINUX", "EC2");

  /**
   * Seeds RBAC objects from manifests: Roles, ClusterRoles, RoleBindings and ClusterRoleBindings,
   * several documents or a {@code List}, as {@code kubectl get -o yaml} prints them.
   *
   * @param yaml the manifests
   * @return this cluster
   * @throws IllegalArgumentException if the YAML cannot be read, naming where
   */
  public FakeCluster seedRbac(String yaml) {
    SeedYaml.Rbac seed = SeedYaml.rbac(Objects.requireNonNull(yaml, "yaml"));
    seed.roles().forEach(world::seed);
    seed.bindings().forEach(world::seed);
    return this;
  }

  /**
   * Makes the next write of one layer fail: a lost race, an outage, or an outage after the write
   * landed. Faults for one layer are used in the order queued.
   *
   * <pre>{@code
   * prod.failNext(Change.Layer.RBAC, WriteFault.CONFLICT);
   * }</pre>
   *
   * @param layer {@code IDENTITY} or {@code RBAC}
   * @param fault the fault
   * @return this cluster
   */
  public FakeCluster failNext(Change.Layer layer, WriteFault fault) {
    world.failNext(Objects.requireNonNull(layer, "layer"), Objects.requireNonNull(fault, "fault"));
    return this;
  }

  /**
   * The cluster's authentication mode: {@code API_AND_CONFIG_MAP} unless seeded or updated. In
   * {@code CONFIG_MAP} the Access Entries flavour refuses every call as EKS does (400 {@code
   * InvalidRequestException}); EKS ignores aws-auth in {@code API}, but the ConfigMap is still
   * stored, as the API server would.
   *
   * @return {@code CONFIG_MAP}, {@code API_AND_CONFIG_MAP} or {@code API}
   */
  public String authenticationMode() {
    return world.authenticationMode();
  }

  /**
   * Puts the cluster in an authentication mode before the test, whatever it was.
   *
   * <pre>{@code
   * FakeCluster legacy = FakeCluster.accessEntries("legacy").seedAuthenticationMode("CONFIG_MAP");
   * }</pre>
   *
   * @param mode {@code CONFIG_MAP}, {@code API_AND_CONFIG_MAP} or {@code API}
   * @return this cluster
   * @throws IllegalArgumentException if {@code mode} is none of them
   */
  public FakeCluster seedAuthenticationMode(String mode) {
    world.authenticationMode(requireMode(mode));
    return this;
  }

  /**
   * Moves the cluster to another authentication mode as EKS's {@code UpdateClusterConfig} does: one
   * step along {@code CONFIG_MAP → API_AND_CONFIG_MAP → API}, never back, never to the same mode.
   *
   * @param target the mode to move to
   * @return this cluster
   * @throws IllegalArgumentException if EKS would refuse the move (its {@code
   *     InvalidParameterException}); the mode is unchanged
   */
  public FakeCluster updateAuthenticationMode(String target) {
    requireMode(target);
    synchronized (world) {
      String from = world.authenticationMode();
      if (MODES.indexOf(target) != MODES.indexOf(from) + 1) {
        throw new IllegalArgumentException(
            "InvalidParameterException: Unsupported authentication mode update from "
                + from
                + " to "
                + target
                + ". A cluster moves one step at a time, CONFIG_MAP → API_AND_CONFIG_MAP → API,"
                + " and never back.");
      }
      world.authenticationMode(target);
    }
    return this;
  }

  private static final List<String> MODES = List.of("CONFIG_MAP", "API_AND_CONFIG_MAP", "API");

  private static String requireMode(String mode) {
    if (!MODES.contains(Objects.requireNonNull(mode, "mode"))) {
      throw new IllegalArgumentException(
          "authentication mode must be one of " + MODES + ", not \"" + mode + "\".");
    }
    return mode;
  }

  @Override
  public FakeClusterAssert assertThat() {
    return new FakeClusterAssert(this);
  }

  @Override
  public String toString() {
    return "FakeCluster " + world.clusterName() + " (" + identities.name() + ")";
  }
}
