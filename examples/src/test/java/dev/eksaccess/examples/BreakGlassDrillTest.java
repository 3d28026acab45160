package dev.eksaccess.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BreakGlassDrillTest {
  @Test
  void theGrantIsShownUsedAndTakenBackByTheSweepAlone() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    BreakGlassDrill.run(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String out = bytes.toString(StandardCharsets.UTF_8);

    assertThat(out)
        .contains("+ mapping arn:aws:iam::111122223333:role/BreakGlass")
        .contains("groups [system:masters]")
        .contains("(INC-123)")
        .contains("jane may delete nodes: true")
        .contains("break-glass until 2026-11-23T12:00:00Z (INC-123)")
        .contains("(2h 0m left), by arn:aws:sts::111122223333:assumed-role/OnCall/sam")
        .contains("swept now: 0 removed")
        .contains("- mapping arn:aws:iam::111122223333:role/BreakGlass")
        .contains("swept two hours later: 1 removed")
        .contains("mappings left: 1 (the node role)");
    assertThat(out.indexOf("jane may delete nodes: false"))
        .isGreaterThan(out.indexOf("swept two hours later"));
  }
}
