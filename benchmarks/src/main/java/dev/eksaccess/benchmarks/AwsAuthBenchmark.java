package dev.eksaccess.benchmarks;

import dev.eksaccess.api.IamRole;
import dev.eksaccess.api.spi.IdentityChange;
import dev.eksaccess.api.spi.IdentityChanges;
import dev.eksaccess.api.spi.IdentityMapping;
import dev.eksaccess.awsauth.AwsAuthDocument;
import dev.eksaccess.awsauth.Finding;
import java.util.List;
import java.util.Map;
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
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * A ~1 MiB aws-auth (4,000 role mappings): eks-access's parse + lint, and parse + lint + one edit,
 * against a bare snakeyaml-engine load of the same text, in the same run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
// a 1 MiB document takes several iterations to reach steady state; a fixed heap keeps GC even
@Warmup(iterations = 6, time = 2)
@Measurement(iterations = 6, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class AwsAuthBenchmark {
  private String mapRoles = "";
  private IdentityChanges oneChange = IdentityChanges.none();
  private AwsAuthDocument parsed = AwsAuthDocument.parse(Map.of());

  @Setup
  public void setUp() {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 4000; i++) {
      text.append("# team ")
          .append(i)
          .append(" (owner: platform), ticket PLAT-")
          .append(i)
          .append('\n')
          .append("- rolearn: arn:aws:iam::111122223333:role/team-")
          .append(i)
          .append("-deployer\n")
          .append("  username: team-")
          .append(i)
          .append(":{{SessionName}}\n")
          .append("  groups:\n")
          .append("    - acme:team-")
          .append(i)
          .append('\n')
          .append("    - acme:team-")
          .append(i)
          .append("-readers\n")
          .append("    - acme:all-engineers\n");
    }
    mapRoles = text.toString();
    oneChange =
        IdentityChanges.of(
            List.of(
                new IdentityChange.Put(
                    IdentityMapping.of(
                            IamRole.of("arn:aws:iam::111122223333:role/team-2000-deployer"))
                        .withUsername("team-2000:{{SessionName}}")
                        .withGroups(List.of("acme:team-2000", "acme:oncall")))));
    parsed = AwsAuthDocument.parse(Map.of("mapRoles", mapRoles));
  }

  /** Rendering one change into an already parsed document. */
  @Benchmark
  public Map<String, String> renderOnly() {
    return parsed.render(oneChange);
  }

  /** The baseline: snakeyaml-engine loads the section into plain Java objects. */
  @Benchmark
  public Object bareYamlLoad() {
    return new Load(LoadSettings.builder().build()).loadFromString(mapRoles);
  }

  /** Parse as EKS does and lint every entry. */
  @Benchmark
  public List<Finding> parseAndLint() {
    return AwsAuthDocument.parse(Map.of("mapRoles", mapRoles)).findings();
  }

  /** Parse, lint, and render one change: what a write to aws-auth costs on the client. */
  @Benchmark
  public Map<String, String> parseLintAndRender() {
    AwsAuthDocument doc = AwsAuthDocument.parse(Map.of("mapRoles", mapRoles));
    doc.findings();
    return doc.render(oneChange);
  }

  /** The text size, for the report. */
  public int size() {
    return mapRoles.length();
  }
}
