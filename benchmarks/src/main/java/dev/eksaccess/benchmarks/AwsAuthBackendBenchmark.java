package dev.eksaccess.benchmarks;

import dev.eksaccess.api.IamRole;
import dev.eksaccess.api.spi.IdentityChange;
import dev.eksaccess.api.spi.IdentityChanges;
import dev.eksaccess.api.spi.IdentityMapping;
import dev.eksaccess.api.spi.IdentitySnapshot;
import dev.eksaccess.api.spi.WriteResult;
import dev.eksaccess.awsauth.AwsAuth;
import dev.eksaccess.awsauth.AwsAuthBackend;
import dev.eksaccess.testkit.FakeKubeApi;
import io.kubernetes.client.util.ClientBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A batch of 500 changes to aws-auth through the real Kubernetes client, against {@link
 * FakeKubeApi} on loopback: the time of read + write, and the HTTP calls it makes ({@code
 * httpCalls} over {@code batches}; the target is 2 per batch).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class AwsAuthBackendBenchmark {
  private FakeKubeApi api = FakeKubeApi.start();
  private AwsAuthBackend backend = AwsAuth.backend(new ClientBuilder().build());
  private IdentityChanges batch = IdentityChanges.none();
  private Map<String, String> seed = Map.of();

  /** Calls and batches, summed over each iteration. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class Calls {
    /** HTTP requests the fake API server served. */
    public long httpCalls;

    /** Batches written. */
    public long batches;
  }

  @Setup(Level.Trial)
  public void start() {
    api.close();
    api = FakeKubeApi.start();
    backend = AwsAuth.backend(new ClientBuilder().setBasePath(api.baseUrl()).build());
    StringBuilder roles = new StringBuilder();
    for (int i = 0; i < 1000; i++) {
      roles
          .append("- rolearn: arn:aws:iam::111122223333:role/existing-")
          .append(i)
          .append("\n  username: existing-")
          .append(i)
          .append("\n  groups: [acme:existing]\n");
    }
    seed = Map.of("mapRoles", roles.toString());
    List<IdentityChange> changes = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      changes.add(
          new IdentityChange.Put(
              IdentityMapping.of(IamRole.of("arn:aws:iam::111122223333:role/team-" + i))
                  .withUsername("team-" + i + ":{{SessionName}}")
                  .withGroups(List.of("acme:team-" + i))));
    }
    batch = IdentityChanges.of(changes);
  }

  @Setup(Level.Invocation)
  public void reset() {
    api.putConfigMap("kube-system", "aws-auth", seed);
  }

  @TearDown(Level.Trial)
  public void stop() {
    api.close();
  }

  /** Read aws-auth (1,000 mappings), then write 500 new mappings in one batch. */
  @Benchmark
  public WriteResult readAndWrite500(Calls calls) {
    long before = api.requests().size();
    IdentitySnapshot snapshot = backend.read();
    WriteResult result = backend.write(batch, snapshot.version());
    calls.httpCalls += api.requests().size() - before;
    calls.batches++;
    return result;
  }
}
