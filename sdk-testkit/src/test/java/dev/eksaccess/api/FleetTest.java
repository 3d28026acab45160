package dev.eksaccess.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.eksaccess.api.spi.IdentityMapping;
import dev.eksaccess.testkit.FakeCluster;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class FleetTest {
  static final IamRole DEV = IamRole.of("arn:aws:iam::111122223333:role/DevTeamRole");
  static final IamRole ADMIN = IamRole.of("arn:aws:iam::111122223333:role/Admin");
  static final Grant DEVS =
      ClusterAccess.grant(DEV).asGroup("acme:devs").bind(ClusterRole.VIEW).inNamespace("prod-apps");

  final AtomicInteger running = new AtomicInteger();
  final AtomicInteger mostAtOnce = new AtomicInteger();

  /** Connects slowly, counting how many clusters are being worked on at once. */
  Supplier<ClusterAccess> slow(FakeCluster cluster) {
    return () -> {
      mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      running.decrementAndGet();
      return cluster.clusterAccess();
    };
  }

  @Test
  void everyClusterGetsTheGrantsAndOneFailureStopsNoOther() {
    List<FakeCluster> clusters =
        List.of(
            FakeCluster.awsAuth("a"),
            FakeCluster.accessEntries("b"),
            FakeCluster.awsAuth("c"),
            FakeCluster.awsAuth("d"));
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    List<String> started = new CopyOnWriteArrayList<>();
    Fleet.Progress print =
        Fleet.Progress.console(new PrintStream(console, true, StandardCharsets.UTF_8));
    Fleet fleet =
        Fleet.builder()
            .cluster("a", slow(clusters.get(0)))
            .cluster("b", slow(clusters.get(1)))
            .cluster(
                "unreachable",
                () -> {
                  throw new IllegalStateException("no route to the cluster's endpoint");
                })
            .cluster("c", slow(clusters.get(2)))
            .cluster("d", slow(clusters.get(3)))
            .concurrency(2)
            .progress(
                new Fleet.Progress() {
                  @Override
                  public void started(String cluster) {
                    started.add(cluster);
                  }

                  @Override
                  public void finished(Fleet.Outcome outcome, int done, int total) {
                    print.finished(outcome, done, total);
                  }
                })
            .build();

    Fleet.Result result = fleet.apply(DEVS);

    assertThat(result.outcomes())
        .extracting(Fleet.Outcome::cluster)
        .containsExactly("a", "b", "unreachable", "c", "d");
    assertThat(result.failures())
        .singleElement()
        .satisfies(
            o -> assertThat(o.summary()).isEqualTo("failed: no route to the cluster's endpoint"));
    assertThat(result.allSucceeded()).isFalse();
    clusters.forEach(c -> assertThat(c).hasGrant(DEVS));
    assertThat(mostAtOnce.get()).isLessThanOrEqualTo(2);
    assertThat(started).hasSize(5);
    assertThat(console.toString(StandardCharsets.UTF_8).lines())
        .hasSize(5)
        .anyMatch(l -> l.startsWith("[5/5] "))
        .anyMatch(l -> l.matches("\\[\\d/5] a: applied 2 changes \\(2 writes\\)"));
    assertThat(result.toString()).endsWith("4 of 5 clusters succeeded");

    // again: nothing to do anywhere that worked
    assertThat(fleet.apply(DEVS).outcomes())
        .filteredOn(Fleet.Outcome::succeeded)
        .allSatisfy(o -> assertThat(o.summary()).isEqualTo("unchanged"));
  }

  @Test
  void aGuardRefusesOnOneClusterAndTheOthersProceed() {
    FakeCluster lastAdmin = FakeCluster.awsAuth("last-admin");
    lastAdmin.seed(
        IdentityMapping.of(ADMIN).withUsername("admin").withGroups(List.of("system:masters")));
    FakeCluster twoAdmins = FakeCluster.awsAuth("two-admins");
    twoAdmins.seed(
        IdentityMapping.of(ADMIN).withUsername("admin").withGroups(List.of("system:masters")));
    twoAdmins.seed(
        IdentityMapping.of(IamRole.of("arn:aws:iam::111122223333:role/Admin2"))
            .withUsername("admin2")
            .withGroups(List.of("system:masters")));

    Fleet.Result result =
        Fleet.builder()
            .cluster("last-admin", lastAdmin::clusterAccess)
            .cluster("two-admins", twoAdmins::clusterAccess)
            .build()
            .revoke(ADMIN);

    assertThat(result.failures())
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.cluster()).isEqualTo("last-admin");
              assertThat(o.failure()).isInstanceOf(UnsafeChangeException.class);
              assertThat(o.summary()).startsWith("refused: ");
            });
    assertThat(lastAdmin.state().mappings()).hasSize(1);
    assertThat(twoAdmins.state().mappings()).hasSize(1);
  }

  @Test
  void aFleetNeedsDistinctNamesAndAClusterAndAPositiveConcurrency() {
    assertThat(catchThrowableOfType(InvalidInputException.class, () -> Fleet.builder().build()))
        .hasMessageContaining("at least one cluster")
        .satisfies(e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
    FakeCluster a = FakeCluster.awsAuth("a");
    assertThat(
            catchThrowableOfType(
                InvalidInputException.class,
                () ->
                    Fleet.builder().cluster("a", a::clusterAccess).cluster("a", a::clusterAccess)))
        .hasMessage("cluster \"a\": is already in the fleet; give each cluster its own name.");
    assertThat(
            catchThrowableOfType(InvalidInputException.class, () -> Fleet.builder().concurrency(0)))
        .hasMessage("concurrency \"0\": must be at least 1.");
  }

  @Test
  void anExpirySweepRemovesOnlyExpiredBreakGlassOnEachCluster() {
    FakeCluster expired = FakeCluster.awsAuth("expired");
    FakeCluster running = FakeCluster.accessEntries("running");
    for (FakeCluster c : List.of(expired, running)) {
      c.clusterAccess().plan(DEVS).apply();
      c.clusterAccess()
          .plan(ClusterAccess.breakGlass(ADMIN).forDuration(Duration.ofHours(1)).because("INC-5"))
          .apply();
    }
    expired.advanceClock(Duration.ofHours(1));

    Fleet.Result result =
        Fleet.builder()
            .cluster("expired", expired::clusterAccess)
            .cluster("running", running::clusterAccess)
            .build()
            .expireBreakGlass();

    assertThat(result.allSucceeded()).isTrue();
    assertThat(result.outcomes())
        .extracting(o -> o.cluster() + ": " + Objects.requireNonNull(o.result()).applied().size())
        .containsExactly("expired: 1", "running: 0");
    assertThat(expired.state().mappings())
        .extracting(IdentityMapping::principal)
        .containsExactly(DEV);
    assertThat(running.state().mappings()).hasSize(2);
  }
}
