package dev.eksaccess.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eksaccess.api.Change;
import dev.eksaccess.api.ClusterAccess;
import dev.eksaccess.api.ClusterRole;
import dev.eksaccess.api.Grant;
import dev.eksaccess.api.IamRole;
import dev.eksaccess.api.RetryPolicy;
import dev.eksaccess.api.spi.IdentityMapping;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A fake cluster's time: its own clock or the test's, and retry pauses that never wait. */
class FakeClusterClockTest {
  static final IamRole DEV = IamRole.of("arn:aws:iam::111122223333:role/DevTeamRole");
  static final IamRole ADMIN = IamRole.of("arn:aws:iam::111122223333:role/Admin");
  static final IamRole BREAK_GLASS = IamRole.of("arn:aws:iam::111122223333:role/BreakGlass");
  static final Grant DEVS =
      ClusterAccess.grant(DEV).asGroup("acme:devs").bind(ClusterRole.VIEW).inNamespace("apps");

  /** An hour between attempts: a test that slept for real would time out. */
  static final RetryPolicy HOURLY = RetryPolicy.of(5, Duration.ofHours(1), Duration.ofHours(1));

  /** A clock the test moves. */
  static final class TestClock extends Clock {
    volatile Instant now = Instant.parse("2026-11-23T10:00:00Z");

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return Clock.fixed(now, zone);
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @Test
  @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a real pause: hours
  void retryPausesMoveTheClusterClockInsteadOfSleeping() {
    FakeCluster prod = FakeCluster.awsAuth("prod");
    prod.failNext(Change.Layer.IDENTITY, WriteFault.CONFLICT)
        .failNext(Change.Layer.IDENTITY, WriteFault.CONFLICT);

    prod.clusterAccess(HOURLY).plan(DEVS).apply();

    assertThat(prod.state().mappings()).extracting(IdentityMapping::principal).containsExactly(DEV);
    // two pauses of up to an hour each, on the cluster's clock
    assertThat(prod.now())
        .isAfter(FakeCluster.START)
        .isBeforeOrEqualTo(FakeCluster.START.plus(Duration.ofHours(2)));
  }

  @Test
  @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void aGivenClockMeasuresBreakGlassAndRetriesDoNotWaitOnIt() {
    TestClock clock = new TestClock();
    FakeCluster prod = FakeCluster.accessEntries("prod", clock);
    prod.seedAccessEntry(
        IdentityMapping.of(ADMIN)
            .withPolicy(
                new dev.eksaccess.api.spi.PolicyAssociation(
                    dev.eksaccess.api.AccessPolicy.CLUSTER_ADMIN,
                    dev.eksaccess.api.Scope.cluster())));
    prod.clusterAccess()
        .plan(
            ClusterAccess.breakGlass(BREAK_GLASS).forDuration(Duration.ofHours(1)).because("INC-7"))
        .apply();
    Instant granted = clock.now;

    clock.now = granted.plus(Duration.ofMinutes(59));
    assertThat(prod.clusterAccess().expireBreakGlass().applied()).isEmpty();
    clock.now = granted.plus(Duration.ofHours(1));
    assertThat(prod.clusterAccess().expireBreakGlass().applied()).hasSize(1);

    prod.failNext(Change.Layer.IDENTITY, WriteFault.CONFLICT);
    prod.clusterAccess(HOURLY).plan(DEVS).apply();
    assertThat(prod.now()).isEqualTo(granted.plus(Duration.ofHours(1))); // the test's to move
  }

  @Test
  void aClusterOnAGivenClockDoesNotMoveIt() {
    FakeCluster prod = FakeCluster.awsAuth("prod", new TestClock());

    assertThatThrownBy(() -> prod.advanceClock(Duration.ofHours(1)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("reads the clock it was given")
        .hasMessageContaining("move that clock instead");
  }

  @Test
  void theDefaultClusterAccessStillNeverPauses() {
    FakeCluster prod = FakeCluster.awsAuth("prod");
    prod.failNext(Change.Layer.IDENTITY, WriteFault.CONFLICT);

    prod.clusterAccess().plan(DEVS).apply();

    assertThat(prod.now()).isEqualTo(FakeCluster.START);
  }
}
