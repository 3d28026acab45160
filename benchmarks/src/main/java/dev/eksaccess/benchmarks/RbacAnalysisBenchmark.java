package dev.eksaccess.benchmarks;

import dev.eksaccess.api.Request;
import dev.eksaccess.api.authz.AccessMatrix;
import dev.eksaccess.api.authz.AllowedSubject;
import dev.eksaccess.api.authz.KubernetesUser;
import dev.eksaccess.api.authz.RbacAuthorizer;
import dev.eksaccess.api.spi.RbacSnapshot;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * RBAC analysis on {@link TenantCluster}, a generated cluster of 4,491 RoleBindings in 499
 * namespaces: the access matrix of every subject the bindings name in every namespace and at
 * cluster scope (59 subjects × 500 scopes), one such matrix, and who-can in one namespace and in
 * every scope. One authorizer, built in the setup, answers every question, as a service holding a
 * snapshot would.
 */
@State(Scope.Benchmark)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class RbacAnalysisBenchmark {
  private RbacAuthorizer authorizer = RbacAuthorizer.of(RbacSnapshot.of(List.of(), List.of()));
  private List<KubernetesUser> subjects = List.of();
  private final List<String> scopes = TenantCluster.scopes();
  private final KubernetesUser teamMember = KubernetesUser.of("member-of-team-3", "team-3");
  private final Request deletePods =
      Request.verb("delete").resource("pods").inNamespace(TenantCluster.namespace(42));

  @Setup
  public void setUp() {
    RbacSnapshot snapshot = TenantCluster.snapshot();
    authorizer = RbacAuthorizer.of(snapshot);
    subjects = TenantCluster.subjects(snapshot);
    if (snapshot.bindings().stream().filter(b -> !b.isClusterRoleBinding()).count() != 4491
        || !authorizer.accessMatrix(teamMember, TenantCluster.namespace(3)).allows("pods", "delete")
        || authorizer.accessMatrix(teamMember, TenantCluster.namespace(4)).allows("pods", "get")) {
      throw new IllegalStateException("the generated cluster is not the one described");
    }
  }

  /** Every subject × every scope (the 499 namespaces and cluster scope): 29,500 matrices. */
  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  @Warmup(iterations = 2)
  @Measurement(iterations = 5)
  public void accessMatrixEverySubjectAndScope(Blackhole bh) {
    for (KubernetesUser user : subjects) {
      for (String scope : scopes) {
        bh.consume(authorizer.accessMatrix(user, scope));
      }
    }
  }

  /** One matrix: a team member in one of the team's namespaces. */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  @Warmup(iterations = 3, time = 2)
  @Measurement(iterations = 5, time = 2)
  public AccessMatrix accessMatrixOne() {
    return authorizer.accessMatrix(teamMember, TenantCluster.namespace(3));
  }

  /** Who may delete pods in one namespace. */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  @Warmup(iterations = 3, time = 2)
  @Measurement(iterations = 5, time = 2)
  public List<AllowedSubject> whoCanOneNamespace() {
    return authorizer.whoCan(deletePods);
  }

  /** Who may delete pods, asked in every namespace and at cluster scope: 500 questions. */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  @Warmup(iterations = 3, time = 2)
  @Measurement(iterations = 5, time = 2)
  public void whoCanEveryScope(Blackhole bh) {
    for (String scope : scopes) {
      Request r = Request.verb("delete").resource("pods");
      bh.consume(authorizer.whoCan(scope.isEmpty() ? r : r.inNamespace(scope)));
    }
  }
}
