package dev.eksaccess.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ExplainAccessDeniedTest {
  @Test
  void eachDenialNamesTheMissingPieceWithLiveData() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ExplainAccessDenied.run(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String[] decisions = bytes.toString(StandardCharsets.UTF_8).split("\\R---\\R");

    assertThat(decisions).hasSize(6);
    assertThat(decisions[0]).startsWith("ALLOWED: get pods in namespace prod-apps");
    // the rule lacks the verb
    assertThat(decisions[1])
        .startsWith("DENIED: delete pods")
        .contains("its rules allow [get, list, watch] on pods, not delete");
    // the binding is in another namespace
    assertThat(decisions[2])
        .startsWith("DENIED")
        .contains("grants this in namespace prod-apps; the request is in namespace payments");
    // the mapping has a role path, which STS never reports
    assertThat(decisions[3]).startsWith("DENIED").contains("with its path /platform/");
    // the group is mapped, but nothing binds it
    assertThat(decisions[4])
        .startsWith("DENIED")
        .contains("no RoleBinding or ClusterRoleBinding names user \"auditor\"")
        .contains("acme:auditors");
    // no mapping at all
    assertThat(decisions[5])
        .startsWith("DENIED")
        .contains("no aws-auth mapping for arn:aws:iam::111122223333:role/AdminRole");
  }
}
