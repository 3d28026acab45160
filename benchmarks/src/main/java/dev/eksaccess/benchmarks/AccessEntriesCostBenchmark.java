package dev.eksaccess.benchmarks;

import dev.eksaccess.accessentries.AccessEntries;
import dev.eksaccess.api.AccessPolicy;
import dev.eksaccess.api.Audit;
import dev.eksaccess.api.Caller;
import dev.eksaccess.api.ClusterAccess;
import dev.eksaccess.api.ClusterRole;
import dev.eksaccess.api.Decision;
import dev.eksaccess.api.IamRole;
import dev.eksaccess.api.Plan;
import dev.eksaccess.api.Request;
import dev.eksaccess.testkit.ClusterState;
import dev.eksaccess.testkit.FakeEksApi;
import dev.eksaccess.testkit.Fakes;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eks.EksClient;

/**
 * What each {@link ClusterAccess} operation costs on Access Entries as the cluster grows: wall time
 * and EKS calls ({@code ekscalls}, counted from the fake's request log) for 10 to 2,000 entries,
 * through the real {@code EksClient} against {@link FakeEksApi}, which answers each call after 20
 * ms as EKS would. A grant, a re-plan, a revoke and an explanation read only what they touch; an
 * audit reads everything, with bounded concurrency.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(1)
public class AccessEntriesCostBenchmark {
  static final String ACCOUNT = "111122223333";

  @Param({"10", "100", "500", "2000"})
  public int entries;

  private FakeEksApi api = FakeEksApi.start();
  private EksClient eks = EksClient.builder().region(Region.US_WEST_2).build();
  private ClusterAccess prod =
      ClusterAccess.builder()
          .clusterName("x")
          .identities(Fakes.accessEntries(ClusterState.empty("x")))
          .build();
  private int next;

  /** EKS calls made by the measured operation. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class Calls {
    /** EKS API calls. */
    public long ekscalls;
  }

  @Setup(Level.Trial)
  public void cluster() {
    api.close();
    eks.close();
    api = FakeEksApi.start().addCluster("bench", "API_AND_CONFIG_MAP");
    String admin = "arn:aws:iam::" + ACCOUNT + ":role/Admin";
    api.putEntry("bench", admin, "STANDARD", "admin", List.of());
    api.putPolicy("bench", admin, "AmazonEKSClusterAdminPolicy");
    for (int i = 1; i < entries; i++) {
      String arn = "arn:aws:iam::" + ACCOUNT + ":role/team-" + i;
      api.putEntry("bench", arn, "STANDARD", "team-" + i, List.of("acme:team-" + i));
      api.putPolicy("bench", arn, "AmazonEKSViewPolicy", "team-" + i);
    }
    eks =
        EksClient.builder()
            .endpointOverride(URI.create(api.baseUrl()))
            .region(Region.US_WEST_2)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDBENCH", "x")))
            .build();
    prod =
        ClusterAccess.builder()
            .clusterName("bench")
            .identities(AccessEntries.backend(eks, "bench"))
            .rbac(Fakes.rbac(ClusterState.withDefaultRoles("bench")))
            .build();
    api.latency(Duration.ofMillis(20));
  }

  /** An entry for the next revoke, made directly in the fake (not measured). */
  @Setup(Level.Invocation)
  public void nextPrincipal() {
    next++;
    String arn = "arn:aws:iam::" + ACCOUNT + ":role/leaver-" + next;
    api.putEntry("bench", arn, "STANDARD", "leaver-" + next, List.of("acme:leavers"));
  }

  @TearDown(Level.Trial)
  public void stop() {
    api.close();
    eks.close();
  }

  private long calls() {
    return api.requests().size();
  }

  /** A new principal mapped to a group and bound to a ClusterRole: plan and apply. */
  @Benchmark
  public Object grantWithGroup(Calls c) {
    long before = calls();
    Object r =
        prod.plan(
                ClusterAccess.grant(IamRole.of("arn:aws:iam::" + ACCOUNT + ":role/new-" + next))
                    .asGroup("acme:new")
                    .bind(ClusterRole.VIEW)
                    .inNamespace("apps"))
            .apply();
    c.ekscalls += calls() - before;
    return r;
  }

  /** A new principal with an access policy in a namespace: plan and apply. */
  @Benchmark
  public Object grantWithAccessPolicy(Calls c) {
    long before = calls();
    Object r =
        prod.plan(
                ClusterAccess.grant(IamRole.of("arn:aws:iam::" + ACCOUNT + ":role/policy-" + next))
                    .asGroup("acme:new")
                    .bind(AccessPolicy.EDIT)
                    .inNamespace("apps"))
            .apply();
    c.ekscalls += calls() - before;
    return r;
  }

  /** Re-planning a grant the cluster already holds: nothing to change. */
  @Benchmark
  public Plan replan(Calls c) {
    long before = calls();
    Plan p =
        prod.plan(
            ClusterAccess.grant(IamRole.of("arn:aws:iam::" + ACCOUNT + ":role/team-1"))
                .asGroup("acme:team-1")
                .bind(AccessPolicy.VIEW)
                .inNamespace("team-1"));
    c.ekscalls += calls() - before;
    return p;
  }

  /** Revoking one principal: plan and apply. */
  @Benchmark
  public Object revoke(Calls c) {
    long before = calls();
    Object r =
        prod.planRevoke(IamRole.of("arn:aws:iam::" + ACCOUNT + ":role/leaver-" + next)).apply();
    c.ekscalls += calls() - before;
    return r;
  }

  /** Explaining one caller's request. */
  @Benchmark
  public Decision explainOneCaller(Calls c) {
    long before = calls();
    Decision d =
        prod.explain(
            Caller.of("arn:aws:sts::" + ACCOUNT + ":assumed-role/team-1/jane"),
            Request.verb("get").resource("pods").inNamespace("team-1"));
    c.ekscalls += calls() - before;
    return d;
  }

  /** Auditing the whole cluster: every entry and its policies. */
  @Benchmark
  public Audit audit(Calls c) {
    long before = calls();
    Audit a = prod.audit();
    c.ekscalls += calls() - before;
    return a;
  }
}
