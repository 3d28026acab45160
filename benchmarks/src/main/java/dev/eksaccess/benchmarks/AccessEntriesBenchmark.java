package dev.eksaccess.benchmarks;

import dev.eksaccess.accessentries.AccessEntries;
import dev.eksaccess.accessentries.AccessEntriesBackend;
import dev.eksaccess.api.AccessPolicy;
import dev.eksaccess.api.IamRole;
import dev.eksaccess.api.spi.IdentityChange;
import dev.eksaccess.api.spi.IdentityChanges;
import dev.eksaccess.api.spi.IdentityMapping;
import dev.eksaccess.api.spi.PolicyAssociation;
import dev.eksaccess.testkit.FakeEksApi;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
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
 * 200 grants (an entry and an access policy each) written through the real {@code EksClient} to
 * {@link FakeEksApi}, which answers every call after 20 ms as a remote API would: wall time with
 * {@code concurrency} 1 and 8 in one run (target: 8 is at least 6× faster), and the write calls a
 * re-apply of the same state makes ({@code reapplyWrites}; target 0).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(1)
public class AccessEntriesBenchmark {
  @Param({"1", "8"})
  public int concurrency;

  private FakeEksApi api = FakeEksApi.start();
  private EksClient eks = EksClient.builder().region(Region.US_WEST_2).build();
  private AccessEntriesBackend backend = AccessEntries.backend(eks, "bench");
  private IdentityChanges grants = IdentityChanges.none();

  /** Write calls made by re-applying the same state, summed over each iteration. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class Writes {
    /** EKS write calls during the re-apply. */
    public long reapplyWrites;
  }

  @Setup(Level.Trial)
  public void grants() {
    List<IdentityChange> changes = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      changes.add(
          new IdentityChange.Put(
              IdentityMapping.of(IamRole.of("arn:aws:iam::111122223333:role/team-" + i))
                  .withGroups(List.of("acme:team-" + i))
                  .withPolicy(
                      new PolicyAssociation(
                          AccessPolicy.EDIT, dev.eksaccess.api.Scope.namespaces("team-" + i)))));
    }
    grants = IdentityChanges.of(changes);
  }

  @Setup(Level.Iteration)
  public void freshCluster() {
    api.close();
    eks.close();
    api = FakeEksApi.start().addCluster("bench", "API_AND_CONFIG_MAP");
    eks =
        EksClient.builder()
            .endpointOverride(URI.create(api.baseUrl()))
            .region(Region.US_WEST_2)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDBENCH", "x")))
            .build();
    backend = AccessEntries.builder(eks, "bench").concurrency(concurrency).build();
    api.latency(Duration.ofMillis(20));
  }

  @TearDown(Level.Trial)
  public void stop() {
    api.close();
    eks.close();
  }

  /** Read, write 200 grants, then re-apply them: the re-apply's write calls are counted. */
  @Benchmark
  public int apply200GrantsThenReapply(Writes writes) {
    int written = backend.write(grants, backend.read().version()).writes();
    long before = api.writes();
    backend.write(grants, backend.read().version());
    writes.reapplyWrites += api.writes() - before;
    return written;
  }
}
