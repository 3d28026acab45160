package dev.eksaccess.examples;

import dev.eksaccess.api.ClusterAccess;
import dev.eksaccess.api.ClusterRole;
import dev.eksaccess.api.Fleet;
import dev.eksaccess.api.Grant;
import dev.eksaccess.api.IamRole;
import dev.eksaccess.testkit.FakeCluster;
import java.io.PrintStream;
import java.time.Duration;

/**
 * One grant rolled out to a fleet: three clusters on either backend and one that cannot be reached,
 * a few at a time, with a console progress line and a result per cluster; then an expiry sweep of
 * break-glass across the fleet. The clusters are the testkit's in-memory ones; with real clusters
 * each supplier connects with its own account's credentials (README, "Many clusters").
 *
 * <pre>{@code
 * ./mvnw -q -pl examples -am compile exec:java -Dexec.mainClass=dev.eksaccess.examples.FleetRollout
 * }</pre>
 */
public final class FleetRollout {
  private FleetRollout() {}

  /**
   * Runs the rollout and prints to standard output.
   *
   * @param args ignored
   */
  public static void main(String[] args) {
    run(System.out);
  }

  /**
   * Runs the rollout, printing to {@code out}.
   *
   * @param out where to print
   */
  public static void run(PrintStream out) {
    FakeCluster euWest = FakeCluster.awsAuth("prod-eu-west-1");
    FakeCluster usEast = FakeCluster.accessEntries("prod-us-east-1");
    FakeCluster apSouth = FakeCluster.accessEntries("prod-ap-south-1");
    usEast
        .clusterAccess()
        .plan(
            ClusterAccess.breakGlass(IamRole.of("arn:aws:iam::444455556666:role/BreakGlass"))
                .forDuration(Duration.ofHours(1))
                .because("INC-77"))
        .apply();
    usEast.advanceClock(Duration.ofHours(1)); // the incident is over; the grant has expired

    Fleet fleet =
        Fleet.builder()
            .cluster("prod-eu-west-1", euWest::clusterAccess)
            .cluster("prod-us-east-1", usEast::clusterAccess)
            .cluster(
                "prod-sa-east-1",
                () -> {
                  throw new IllegalStateException("AssumeRole into 777788889999 was denied");
                })
            .cluster("prod-ap-south-1", apSouth::clusterAccess)
            .concurrency(2)
            .progress(Fleet.Progress.console(out))
            .build();
    Grant devs =
        ClusterAccess.grant(IamRole.of("arn:aws:iam::111122223333:role/DevTeamRole"))
            .asGroup("acme:devs")
            .bind(ClusterRole.VIEW)
            .inNamespace("prod-apps");

    out.println("== apply");
    Fleet.Result applied = fleet.apply(devs);
    out.println(applied);
    out.println("== apply again");
    out.println(fleet.apply(devs));
    out.println("== expire break-glass");
    out.println(fleet.expireBreakGlass());
    out.println(
        applied.failures().size() + " of " + applied.outcomes().size() + " clusters failed");
  }
}
