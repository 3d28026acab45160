package dev.eksaccess.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Many more hostile names than the wire-level {@link HostileNamesPropertyTest} can afford, without
 * a cluster: each is refused by the grant chain, or written to aws-auth and read back exactly by a
 * YAML 1.1 and a YAML 1.2 reader. Seeds 0 to 4,999; a failure names the seed.
 */
class HostileNamesOfflinePropertyTest {
  static final Map<String, String> EXISTING =
      Map.of(
          "mapRoles",
          """
          - rolearn: arn:aws:iam::111122223333:role/NodeInstanceRole
            username: system:node:{{EC2PrivateDNSName}}
            groups: [system:bootstrappers, system:nodes]
          """);

  @Test
  void everyNameIsRefusedOrReadBackExactlyByBothYamlVersions() {
    int stored = 0;
    for (long seed = 0; seed < 5_000; seed++) {
      String name = HostileStrings.generate(new Random(seed), seed);
      try {
        if (HostileNamesReadBack.check(name, EXISTING)) {
          stored++;
        }
      } catch (AssertionError e) {
        throw new AssertionError(
            "seed " + seed + ": " + HostileNamesPropertyTest.escaped(name) + ": " + e.getMessage(),
            e);
      }
    }
    assertThat(stored).as("names written and read back").isGreaterThan(1_000);
  }
}
