package dev.eksaccess.accessentries;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.eksaccess.api.AccessPolicy;
import dev.eksaccess.api.BackendException;
import dev.eksaccess.api.ClusterAccess;
import dev.eksaccess.api.ConflictException;
import dev.eksaccess.api.IamRole;
import dev.eksaccess.api.RetryPolicy;
import dev.eksaccess.api.Scope;
import dev.eksaccess.api.spi.IdentityMapping;
import dev.eksaccess.api.spi.PolicyAssociation;
import dev.eksaccess.testkit.EksFault;
import dev.eksaccess.testkit.FakeEksApi;
import dev.eksaccess.testkit.FaultMatrix;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every fault the fake EKS API can inject, on every write call the backend makes, through the real
 * {@code EksClient} and {@link ClusterAccess#plan}: the cluster ends exactly as a run without
 * faults leaves it, with nothing duplicated or lost.
 */
class FaultMatrixTest {
  static final String ADMIN = "arn:aws:iam::111122223333:role/Admin";
  static final String NODES = "arn:aws:iam::111122223333:role/NodeInstanceRole";
  static final String OLD = "arn:aws:iam::111122223333:role/Leaver";
  static final String OTHER = "arn:aws:iam::111122223333:role/SomeoneElse";
  static final IamRole DEV = IamRole.of("arn:aws:iam::111122223333:role/teams/DevTeamRole");
  static final IamRole OPS = IamRole.of("arn:aws:iam::111122223333:role/Ops");

  /**
   * The calls a plan makes. A grant only adds, so a plan never disassociates a policy: {@link
   * #aWriteThatDropsAPolicySurvivesEveryFault} covers that call through the backend.
   */
  static final List<String> WRITES =
      List.of(
          "CreateAccessEntry", "UpdateAccessEntry", "AssociateAccessPolicy", "DeleteAccessEntry");

  final List<FakeEksApi> fakes = new ArrayList<>();

  @AfterEach
  void stop() {
    fakes.forEach(FakeEksApi::close);
  }

  /** A cluster with an admin, a node role, an Ops entry to change and a leaver to revoke. */
  FakeEksApi seeded() {
    FakeEksApi api = FakeEksApi.start().addCluster("prod", "API_AND_CONFIG_MAP");
    fakes.add(api);
    api.putEntry("prod", ADMIN, "STANDARD", ADMIN, List.of())
        .putPolicy("prod", ADMIN, "AmazonEKSClusterAdminPolicy")
        .putEntry("prod", NODES, "EC2_LINUX", "system:node:{{EC2PrivateDNSName}}", List.of())
        .putEntry("prod", OPS.arn().value(), "STANDARD", "ops", List.of("acme:ops"))
        .putPolicy("prod", OPS.arn().value(), "AmazonEKSViewPolicy", "ops", "tools")
        .putEntry("prod", OLD, "STANDARD", "leaver", List.of("acme:old"));
    return api;
  }

  static ClusterAccess prod(FakeEksApi api) {
    return prod(api, Clock.systemUTC());
  }

  static ClusterAccess prod(FakeEksApi api, Clock clock) {
    return ClusterAccess.builder()
        .clusterName("prod")
        .identities(backend(api))
        .retryPolicy(RetryPolicy.of(5, Duration.ZERO, Duration.ofMillis(1)))
        .clock(clock)
        .build();
  }

  /** New entry with a policy; a new group and a narrower policy scope for Ops; a revoke. */
  static void run(FakeEksApi api) {
    ClusterAccess prod = prod(api);
    prod.plan(
            ClusterAccess.grant(DEV)
                .asGroup("acme:devs")
                .bind(AccessPolicy.VIEW)
                .inNamespace("apps"),
            ClusterAccess.grant(OPS).asGroup("acme:oncall").bind(AccessPolicy.EDIT).clusterWide())
        .apply();
    prod.planRevoke(IamRole.of(OLD)).apply();
    prod.planRevoke(OPS).apply(); // then Ops loses its entry too: every write call, at least once
    prod.plan(
            ClusterAccess.grant(OPS).asGroup("acme:ops").bind(AccessPolicy.VIEW).inNamespace("ops"))
        .apply();
  }

  /** Everything a reader sees: each entry with its type, username, groups and policies. */
  static Set<String> state(FakeEksApi api) {
    AccessEntriesBackend ids =
        AccessEntries.builder(AccessEntriesBackendTest.client(api, 1), "prod").build();
    Set<String> out = new TreeSet<>();
    ids.entryTypes().forEach((arn, type) -> out.add(arn + " " + type));
    for (IdentityMapping m : ids.read().mappings()) {
      out.add(m.toString());
    }
    return out;
  }

  /** Every fault EKS can answer with that a caller should ride out, and a concurrent writer. */
  static List<FaultMatrix.Case<FakeEksApi>> cases(List<String> operations) {
    return FaultMatrix.cases(
        operations,
        EksFault.everyKind(),
        (api, op) ->
            api.beforeNext(
                op, () -> api.putEntry("prod", OTHER, "STANDARD", "them", List.of("theirs"))));
  }

  static Stream<FaultMatrix.Case<FakeEksApi>> faults() {
    return cases(WRITES).stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("faults")
  void theClusterEndsAsWithoutTheFault(FaultMatrix.Case<FakeEksApi> c) {
    var runs =
        FaultMatrix.run(c, this::seeded, FaultMatrixTest::run, FaultMatrixTest::state, THEIRS_OUT);
    assertThat(runs.clean().count(c.key())).as("the run calls " + c.key()).isPositive();
    assertThat(runs.faulted().principals("prod")).doesNotHaveDuplicates();
    if (RETRIED.contains(c.fault())) {
      assertThat(runs.faulted().count(c.key()))
          .as("the faulted call was made again")
          .isGreaterThan(runs.clean().count(c.key()));
    }
  }

  /** The other writer's entry landed too; the state without it, to compare with a clean run. */
  static final java.util.function.UnaryOperator<Set<String>> THEIRS_OUT =
      got -> {
        assertThat(got).anyMatch(s -> s.startsWith(OTHER + " "));
        Set<String> ours = new TreeSet<>(got);
        ours.removeIf(s -> s.contains(OTHER));
        return ours;
      };

  /** Faults that make the call fail, so that it is made once more than without them. */
  static final Set<String> RETRIED = Set.of("throttling", "server error", "dropped after commit");

  static final IamRole GLASS = IamRole.of("arn:aws:iam::111122223333:role/BreakGlass");
  static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

  /** A break-glass granted, then extended (TagResource) half an hour later. */
  static void breakGlass(FakeEksApi api) {
    for (Duration at : List.of(Duration.ZERO, Duration.ofMinutes(30))) {
      prod(api, Clock.fixed(T0.plus(at), ZoneOffset.UTC))
          .plan(ClusterAccess.breakGlass(GLASS).forDuration(Duration.ofHours(1)).because("INC-4"))
          .apply();
    }
  }

  static Stream<FaultMatrix.Case<FakeEksApi>> breakGlassFaults() {
    return cases(List.of("CreateAccessEntry", "AssociateAccessPolicy", "TagResource")).stream();
  }

  @ParameterizedTest(name = "{0} of a break-glass")
  @MethodSource("breakGlassFaults")
  void aBreakGlassAndItsExtensionSurviveEveryFaultWithTheirRecord(FaultMatrix.Case<FakeEksApi> c) {
    var runs =
        FaultMatrix.run(
            c, this::seeded, FaultMatrixTest::breakGlass, FaultMatrixTest::state, THEIRS_OUT);
    assertThat(state(runs.clean()))
        .anyMatch(s -> s.contains("BreakGlass") && s.contains("2026-11-23T11:30:00Z"));
  }

  static Stream<FaultMatrix.Case<FakeEksApi>> disassociateFaults() {
    return cases(List.of("DisassociateAccessPolicy")).stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("disassociateFaults")
  void aWriteThatDropsAPolicySurvivesEveryFault(FaultMatrix.Case<FakeEksApi> c) {
    IdentityMapping narrower =
        IdentityMapping.of(OPS)
            .withUsername("ops")
            .withGroups(List.of("acme:ops"))
            .withPolicy(new PolicyAssociation(AccessPolicy.EDIT, Scope.namespaces("ops")));
    var runs =
        FaultMatrix.run(
            c,
            this::seeded,
            api -> {
              AccessEntriesBackend ids = backend(api);
              ids.write(AccessEntriesBackendTest.put(narrower), ids.read().version());
            },
            FaultMatrixTest::state,
            THEIRS_OUT);
    assertThat(runs.clean().count("DisassociateAccessPolicy")).isEqualTo(1);
    assertThat(runs.faulted().entry("prod", OPS.arn().value()).orElseThrow())
        .doesNotContain("AmazonEKSViewPolicy")
        .contains("AmazonEKSEditPolicy");
  }

  static AccessEntriesBackend backend(FakeEksApi api) {
    return AccessEntries.builder(AccessEntriesBackendTest.client(api, 3), "prod")
        .consistencyRetry(AccessEntriesBackendTest.FAST)
        .build();
  }

  @ParameterizedTest(name = "expired credentials on {0}")
  @MethodSource("writeCalls")
  void expiredCredentialsStopTheApplyWithAClearErrorAndAReapplyFinishes(String operation) {
    FakeEksApi clean = seeded();
    run(clean);
    Set<String> want = state(clean);

    FakeEksApi api = seeded();
    api.inject(operation, EksFault.expiredCredentials());
    BackendException e = catchThrowableOfType(BackendException.class, () -> run(api));

    assertThat(e).as("an expired session is not retried").isNotNull();
    assertThat(e.retryable()).isFalse();
    assertThat(e.getMessage())
        .contains(operation)
        .contains("ExpiredTokenException")
        .contains("refresh them")
        .doesNotContain("secret");
    run(api); // with fresh credentials
    assertThat(state(api)).isEqualTo(want);
  }

  static Stream<String> writeCalls() {
    return WRITES.stream();
  }

  @Test
  void aCreateThatLosesTheRaceForItsPrincipalStopsTheReviewedPlanAndANewPlanLands() {
    FakeEksApi api = seeded();
    api.beforeNext(
        "CreateAccessEntry",
        () -> api.putEntry("prod", DEV.arn().value(), "STANDARD", "them", List.of("theirs")));
    ClusterAccess prod = prod(api);
    var devs =
        ClusterAccess.grant(DEV).asGroup("acme:devs").bind(AccessPolicy.VIEW).inNamespace("apps");

    // the reviewed plan said "create"; what it would now do is change their entry: not reviewed
    var e = catchThrowableOfType(ConflictException.class, prod.plan(devs)::apply);
    assertThat(e.getMessage()).contains("changed since this plan was made").contains("new plan");
    assertThat(api.entry("prod", DEV.arn().value()).orElseThrow())
        .contains("theirs")
        .doesNotContain("acme:devs");

    prod.plan(devs).apply();
    assertThat(api.principals("prod")).containsOnlyOnce(DEV.arn().value());
    assertThat(api.entry("prod", DEV.arn().value()).orElseThrow())
        .contains("acme:devs")
        .contains("AmazonEKSViewPolicy");
    assertThat(api.count("CreateAccessEntry")).isEqualTo(1);
  }
}
