package dev.eksaccess.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MigrateToAccessEntriesTest {
  @Test
  void theClusterEndsOnAccessEntriesAloneWithEveryPrincipalMappedAsBefore() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    MigrateToAccessEntries.run(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String out = bytes.toString(StandardCharsets.UTF_8);

    assertThat(out)
        .contains("system:masters becomes AmazonEKSClusterAdminPolicy at cluster scope")
        .contains("moved to API_AND_CONFIG_MAP: true")
        .contains("writes to EKS: ")
        .contains("authentication mode: API")
        .contains("aws-auth removed: 1")
        .contains("entry arn:aws:iam::111122223333:role/Admin")
        .contains("entry arn:aws:iam::111122223333:role/DevTeamRole")
        .contains("entry arn:aws:iam::111122223333:role/NodeInstanceRole");
  }
}
