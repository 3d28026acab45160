package dev.eksaccess.benchmarks;

import dev.eksaccess.api.ClusterRole;
import dev.eksaccess.api.Request;
import dev.eksaccess.api.Role;
import dev.eksaccess.api.authz.AllowedSubject;
import dev.eksaccess.api.authz.KubernetesUser;
import dev.eksaccess.api.authz.RbacAuthorizer;
import dev.eksaccess.api.authz.RbacDecision;
import dev.eksaccess.api.spi.PolicyRule;
import dev.eksaccess.api.spi.RbacBinding;
import dev.eksaccess.api.spi.RbacRole;
import dev.eksaccess.api.spi.RbacSnapshot;
import dev.eksaccess.api.spi.RbacSubject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

/**
 * The offline RBAC authorizer on a generated cluster of 10,000 roles (2,000 ClusterRoles, 8,000
 * Roles in 500 namespaces) and 50,000 bindings (2,000 ClusterRoleBindings, 48,000 RoleBindings):
 * building the index, one decision (sampled, for the median and the tail) against the linear-scan
 * evaluator over the same snapshot, a denial with and without its near misses, and who-can over the
 * whole snapshot.
 */
@State(Scope.Benchmark)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class RbacAuthorizerBenchmark {
  private RbacSnapshot snapshot = RbacSnapshot.of(List.of(), List.of());
  private RbacAuthorizer authorizer = RbacAuthorizer.of(snapshot);
  private final KubernetesUser user = KubernetesUser.of("dev-4242", "team-42", "team-142");
  private final Request request =
      Request.verb("update").resource("deployments").inApiGroup("apps").inNamespace("ns-42");
  private final Request denied = Request.verb("delete").resource("secrets").inNamespace("ns-42");

  @Setup
  public void setUp() {
    List<RbacRole> roles = new ArrayList<>();
    List<RbacBinding> bindings = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      roles.add(
          RbacRole.clusterRole(
              "cr-" + i,
              List.of(
                  PolicyRule.resources(List.of(""), List.of("pods", "pods/log"), List.of("get")),
                  PolicyRule.resources(
                      List.of("widgets-" + i + ".example.com"),
                      List.of("widgets"),
                      List.of("*")))));
    }
    for (int i = 0; i < 8000; i++) {
      String ns = "ns-" + (i % 500);
      roles.add(
          RbacRole.role(
              ns,
              "role-" + i,
              List.of(
                  PolicyRule.resources(
                      List.of("apps"),
                      List.of("deployments", "statefulsets"),
                      List.of("get", "list", "update")),
                  PolicyRule.resources(List.of(""), List.of("configmaps"), List.of("get")))));
    }
    for (int i = 0; i < 2000; i++) {
      bindings.add(
          new RbacBinding(
              "",
              "crb-" + i,
              ClusterRole.named("cr-" + i),
              List.of(RbacSubject.group("group-" + i), RbacSubject.user("user-" + i)),
              Map.of()));
    }
    for (int i = 0; i < 48000; i++) {
      int r = i % 8000;
      String ns = "ns-" + (r % 500);
      bindings.add(
          new RbacBinding(
              ns,
              "rb-" + i,
              Role.named("role-" + r).inNamespace(ns),
              List.of(RbacSubject.group("team-" + (i % 1000)), RbacSubject.user("dev-" + i)),
              Map.of()));
    }
    snapshot = RbacSnapshot.of(roles, bindings);
    authorizer = RbacAuthorizer.of(snapshot);
    if (!authorizer.decide(user, request).allowed()
        || LinearScan.allows(snapshot, user.name(), user.effectiveGroups(), request).isEmpty()) {
      throw new IllegalStateException("the benchmark's request must be allowed");
    }
  }

  /** Building the subject index over 10,000 roles and 50,000 bindings. */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public RbacAuthorizer buildIndex() {
    return RbacAuthorizer.of(snapshot);
  }

  /** One allowed decision through the index. */
  @Benchmark
  @BenchmarkMode(Mode.SampleTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public RbacDecision decideIndexed() {
    return authorizer.decide(user, request);
  }

  /** The same decision by scanning every binding, as a naive evaluator does. */
  @Benchmark
  @BenchmarkMode(Mode.SampleTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public Optional<PolicyRule> decideLinear() {
    return LinearScan.allows(snapshot, user.name(), user.effectiveGroups(), request);
  }

  /** A denial through the index: the verdict, as a loop of decisions asks for it. */
  @Benchmark
  @BenchmarkMode(Mode.SampleTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public boolean decideDenied() {
    return authorizer.decide(user, denied).allowed();
  }

  /** A denial through the index, with the near misses explain shows read. */
  @Benchmark
  @BenchmarkMode(Mode.SampleTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public int decideDeniedWithNearMisses() {
    return authorizer.decide(user, denied).nearMisses().size(); // size() reads them
  }

  /** Who may update deployments in one namespace, over the whole snapshot. */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public List<AllowedSubject> whoCan() {
    return authorizer.whoCan(request);
  }
}
