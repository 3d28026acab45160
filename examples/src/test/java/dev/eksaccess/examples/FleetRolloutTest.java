package dev.eksaccess.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FleetRolloutTest {
  @Test
  void everyReachableClusterGetsTheGrantOnceAndTheSweepFindsTheExpiredGrant() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    FleetRollout.run(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String out = bytes.toString(StandardCharsets.UTF_8);
    String apply = out.substring(out.indexOf("== apply\n"), out.indexOf("== apply again"));
    String again = out.substring(out.indexOf("== apply again"), out.indexOf("== expire"));
    String expire = out.substring(out.indexOf("== expire"));

    assertThat(apply)
        .contains("[4/4]")
        .contains("prod-eu-west-1: applied")
        .contains("prod-us-east-1: applied")
        .contains("prod-ap-south-1: applied")
        .contains("prod-sa-east-1: failed")
        .contains("AssumeRole into 777788889999 was denied");
    assertThat(again).doesNotContain(": applied");
    assertThat(expire).contains("prod-us-east-1: applied 1 change");
    assertThat(out).endsWith("1 of 4 clusters failed\n");
  }
}
