package dev.eksaccess.benchmarks;

import dev.eksaccess.api.Caller;
import dev.eksaccess.api.IamRole;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Parsing and validating principal and caller ARNs: the cost every mapping read pays. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ArnBenchmark {
  public String role = "arn:aws:iam::111122223333:role/teams/platform/DevTeamRole";
  public String session = "arn:aws:sts::111122223333:assumed-role/DevTeamRole/jane@example.com";

  /** An IAM role ARN with a path. */
  @Benchmark
  public IamRole parseRole() {
    return IamRole.of(role);
  }

  /** An assumed-role session resolved to its role. */
  @Benchmark
  public IamRole resolveSessionRole() {
    return Caller.of(session).role().orElseThrow();
  }
}
