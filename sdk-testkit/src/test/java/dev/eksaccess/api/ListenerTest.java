package dev.eksaccess.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.eksaccess.api.spi.IdentityMapping;
import dev.eksaccess.testkit.FakeCluster;
import dev.eksaccess.testkit.WriteFault;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** What a {@link ClusterAccessListener} hears, and that a listener that throws stops nothing. */
class ListenerTest {
  static final IamRole DEV = IamRole.of("arn:aws:iam::111122223333:role/DevTeamRole");
  static final IamRole ADMIN = IamRole.of("arn:aws:iam::111122223333:role/Admin");
  static final Grant DEVS =
      ClusterAccess.grant(DEV).asGroup("acme:devs").bind(ClusterRole.VIEW).inNamespace("apps");

  /** Records each event as a line. */
  static final class Recorder implements ClusterAccessListener {
    final List<String> events = new ArrayList<>();

    @Override
    public void planned(Plan plan) {
      events.add("planned " + plan.changes().size());
    }

    @Override
    public void applied(Plan plan, ApplyResult result) {
      events.add("applied " + result.applied().size());
    }

    @Override
    public void refused(Plan plan, List<Violation> violations) {
      events.add("refused " + violations.get(0).guard());
    }

    @Override
    public void retried(String cluster, String object, int attempt, EksAccessException cause) {
      events.add("retried " + object + " " + attempt);
    }

    @Override
    public void failed(Plan plan, EksAccessException cause) {
      events.add("failed " + cause.code());
    }

    @Override
    public void breakGlassExpired(
        String cluster, Principal principal, String reason, Instant expiredAt) {
      events.add("expired " + principal.name() + " " + reason);
    }
  }

  ClusterAccess withListeners(FakeCluster cluster, ClusterAccessListener... listeners) {
    ClusterAccess.Builder b =
        ClusterAccess.builder()
            .clusterName("prod")
            .identities(cluster.identities())
            .rbac(cluster.rbac())
            .retryPolicy(RetryPolicy.of(3, Duration.ZERO, Duration.ZERO))
            .clock(Clock.fixed(cluster.now(), ZoneOffset.UTC));
    for (ClusterAccessListener l : listeners) {
      b.listener(l);
    }
    return b.build();
  }

  @Test
  void aListenerHearsPlansAppliesRetriesRefusalsAndFailures() {
    FakeCluster prod = FakeCluster.awsAuth("prod");
    prod.seed(IdentityMapping.of(ADMIN).withGroups(List.of("system:masters")));
    Recorder r = new Recorder();
    ClusterAccess ca = withListeners(prod, r);

    prod.failNext(Change.Layer.IDENTITY, WriteFault.CONFLICT);
    ca.plan(DEVS).apply();
    assertThat(r.events).containsExactly("planned 2", "retried aws-auth 1", "applied 2");

    r.events.clear();
    Plan lastAdmin = ca.planRevoke(ADMIN);
    assertThat(catchThrowable(lastAdmin::apply)).isInstanceOf(UnsafeChangeException.class);
    assertThat(r.events).containsExactly("planned 1", "refused LAST_ADMIN");

    r.events.clear();
    for (int i = 0; i < 3; i++) {
      prod.failNext(Change.Layer.IDENTITY, WriteFault.UNAVAILABLE);
    }
    Plan revoke = ca.planRevoke(DEV);
    assertThat(catchThrowable(revoke::apply)).isInstanceOf(EksAccessException.class);
    assertThat(r.events)
        .containsExactly(
            "planned 2", "retried aws-auth 1", "retried aws-auth 2", "failed BACKEND_FAILURE");
  }

  @Test
  void aBreakGlassExpiryIsHeard() {
    FakeCluster prod = FakeCluster.awsAuth("prod");
    prod.seed(IdentityMapping.of(ADMIN).withGroups(List.of("system:masters")));
    IamRole bg = IamRole.of("arn:aws:iam::111122223333:role/BreakGlass");
    prod.clusterAccess()
        .plan(ClusterAccess.breakGlass(bg).forDuration(Duration.ofHours(1)).because("INC-7"))
        .apply();
    prod.advanceClock(Duration.ofHours(2));
    Recorder r = new Recorder();

    withListeners(prod, r).expireBreakGlass();

    assertThat(r.events).contains("expired BreakGlass INC-7");
  }

  @Test
  void aListenerThatThrowsStopsNothing() {
    FakeCluster prod = FakeCluster.awsAuth("prod");
    Recorder after = new Recorder();
    ClusterAccessListener broken =
        new ClusterAccessListener() {
          @Override
          public void planned(Plan plan) {
            throw new IllegalStateException("listener bug");
          }

          @Override
          public void applied(Plan plan, ApplyResult result) {
            throw new IllegalStateException("listener bug");
          }
        };

    withListeners(prod, broken, after).plan(DEVS).apply();

    assertThat(prod.state().mappings()).extracting(IdentityMapping::principal).containsExactly(DEV);
    assertThat(after.events).containsExactly("planned 2", "applied 2");
  }

  /** Records each operation's start and end as a line. */
  static final class OperationRecorder implements ClusterAccessListener {
    final List<String> events = new ArrayList<>();

    @Override
    public void started(Operation op) {
      events.add("started " + op.kind().tag());
    }

    @Override
    public void finished(
        Operation op, Operation.Outcome outcome, @Nullable EksAccessException cause) {
      events.add(
          "finished "
              + op.kind().tag()
              + " "
              + outcome.tag()
              + (cause == null ? "" : " " + cause.code()));
    }

    @Override
    public void retried(String cluster, String object, int attempt, EksAccessException cause) {
      events.add("retried " + object);
    }
  }

  @Test
  void everyOperationIsHeardStartingAndFinishingWithItsOutcome() {
    FakeCluster prod = FakeCluster.awsAuth("prod");
    prod.seed(IdentityMapping.of(ADMIN).withGroups(List.of("system:masters")));
    OperationRecorder r = new OperationRecorder();
    ClusterAccess ca = withListeners(prod, r);

    ca.plan(DEVS).apply();
    prod.failNext(Change.Layer.IDENTITY, WriteFault.CONFLICT);
    ca.planRevoke(DEV).apply();
    assertThat(catchThrowable(() -> ca.planRevoke(ADMIN).apply()))
        .isInstanceOf(UnsafeChangeException.class);
    for (int i = 0; i < 3; i++) {
      prod.failNext(Change.Layer.IDENTITY, WriteFault.UNAVAILABLE);
    }
    assertThat(catchThrowable(() -> ca.plan(DEVS).apply())).isInstanceOf(BackendException.class);
    Request get = Request.verb("get").resource("pods").inNamespace("apps");
    ca.explain(Caller.of("arn:aws:sts::111122223333:assumed-role/Admin/jane"), get);
    ca.whoCan(get);
    ca.audit();
    ca.snapshot();
    ca.expireBreakGlass();

    assertThat(r.events)
        .containsExactly(
            "started plan",
            "finished plan success",
            "started apply",
            "finished apply success",
            "started plan",
            "finished plan success",
            "started apply",
            "retried aws-auth",
            "finished apply conflict-retried",
            "started plan",
            "finished plan success",
            "started apply",
            "finished apply refused-by-guard LOCKOUT_LAST_ADMIN",
            "started plan",
            "finished plan success",
            "started apply",
            "retried aws-auth",
            "retried aws-auth",
            "finished apply failed BACKEND_FAILURE",
            "started explain",
            "finished explain success",
            "started who-can",
            "finished who-can success",
            "started audit",
            "finished audit success",
            "started snapshot",
            "finished snapshot success",
            "started break-glass-expire",
            "started plan",
            "finished plan success",
            "started apply",
            "finished apply success",
            "finished break-glass-expire success");
  }
}
