package dev.eksaccess.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.eksaccess.api.InvalidInputException;
import dev.eksaccess.rbac.RbacSnapshot;
import java.nio.charset.StandardCharsets;

/** Fuzzes the RBAC manifest reader: a snapshot, or {@link InvalidInputException}, nothing else. */
class RbacYamlFuzzTest {
  @FuzzTest(maxDuration = "5m")
  void manifestsReadOrAreRefusedWithTheDocumentedException(byte[] input) {
    try {
      RbacSnapshot s = RbacSnapshot.fromYaml(new String(input, StandardCharsets.UTF_8));
      assertThat(s.roles()).doesNotContainNull();
      assertThat(s.bindings()).doesNotContainNull();
    } catch (InvalidInputException e) {
      assertThat(e.getMessage()).isNotBlank();
    }
  }
}
