package dev.eksaccess.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class QuickstartTest {
  @Test
  void printsAPlanAppliesItShowsAnEmptyReplanAndOneAllowedAndOneDeniedExplanation() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Quickstart.run(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String out = bytes.toString(StandardCharsets.UTF_8);

    assertThat(out)
        .contains("Plan for cluster prod: 2 changes")
        .contains("+ mapping arn:aws:iam::111122223333:role/DevTeamRole")
        .contains("Applied 2 changes with 2 writes.")
        .contains("Plan for cluster prod: no changes; the cluster already matches.")
        .contains("ALLOWED: get pods in namespace prod-apps")
        .contains("DENIED: delete pods in namespace prod-apps");
    assertThat(out.indexOf("ALLOWED")).isLessThan(out.indexOf("DENIED"));
  }
}
