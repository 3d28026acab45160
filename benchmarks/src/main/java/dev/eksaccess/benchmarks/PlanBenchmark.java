package dev.eksaccess.benchmarks;

import dev.eksaccess.api.ClusterAccess;
import dev.eksaccess.api.ClusterRole;
import dev.eksaccess.api.Grant;
import dev.eksaccess.api.IamRole;
import dev.eksaccess.api.Plan;
import dev.eksaccess.api.spi.IdentityMapping;
import dev.eksaccess.api.spi.RbacBinding;
import dev.eksaccess.api.spi.RbacSubject;
import dev.eksaccess.testkit.FakeCluster;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What planning costs on a cluster that already holds {@code mappings} principals, each with a
 * binding: one new grant, and re-planning 100 grants that are all in place (the steady state of a
 * reconcile loop).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PlanBenchmark {
  @Param({"100", "1000"})
  public int mappings;

  private ClusterAccess cluster = FakeCluster.awsAuth("bench").clusterAccess();
  private Grant fresh = grant(-1);
  private List<Grant> inPlace = List.of();

  @Setup
  public void setUp() {
    FakeCluster fake = FakeCluster.awsAuth("bench");
    List<Grant> applied = new ArrayList<>();
    for (int i = 0; i < mappings; i++) {
      Grant g = grant(i);
      fake.seed(IdentityMapping.of(g.principal()).withGroups(g.subject().groups()));
      fake.seed(
          RbacBinding.roleBinding(
              "ns-" + i, "b-" + i, ClusterRole.VIEW, List.of(RbacSubject.group("team-" + i))));
      if (i < 100) {
        applied.add(g);
      }
    }
    fake.clusterAccess().plan(applied).apply();
    cluster = fake.clusterAccess();
    inPlace = applied;
    fresh = grant(mappings + 1);
  }

  private static Grant grant(int i) {
    return ClusterAccess.grant(IamRole.of("arn:aws:iam::111122223333:role/team-" + Math.abs(i)))
        .asGroup("team-" + Math.abs(i))
        .bind(ClusterRole.VIEW)
        .inNamespace("ns-" + Math.abs(i));
  }

  /** Plans one grant that needs a mapping and a binding. */
  @Benchmark
  public Plan planOneNewGrant() {
    return cluster.plan(fresh);
  }

  /** Re-plans 100 grants that are all in place; the plan is empty. */
  @Benchmark
  public Plan replanHundredGrantsInPlace() {
    return cluster.plan(inPlace);
  }
}
