package dev.eksaccess.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryFile;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.eksaccess.api.InvalidInputException;
import dev.eksaccess.api.Request;
import dev.eksaccess.api.authz.KubernetesUser;
import dev.eksaccess.api.authz.RbacAuthorizer;
import dev.eksaccess.api.spi.RbacSnapshot;
import dev.eksaccess.rbac.Rbac;
import java.nio.charset.StandardCharsets;

/**
 * Fuzzes the RBAC manifest reader: a snapshot, or {@link InvalidInputException}, nothing else; and
 * the authorizer decides over any snapshot that reads.
 */
class RbacYamlFuzzTest {
  @FuzzTest(maxDuration = "5m")
  @DictionaryFile(resourcePath = "rbac.dict")
  void manifestsReadOrAreRefusedWithTheDocumentedException(byte[] input) {
    RbacSnapshot s;
    try {
      s = Rbac.fromYaml(new String(input, StandardCharsets.UTF_8));
    } catch (InvalidInputException e) {
      assertThat(e.getMessage()).isNotBlank();
      return;
    }
    assertThat(s.roles()).doesNotContainNull();
    assertThat(s.bindings()).doesNotContainNull();
    assertThat(
            RbacAuthorizer.of(s)
                .decide(
                    KubernetesUser.of("jane", "acme:devs"),
                    Request.verb("get").resource("pods").inNamespace("apps"))
                .toString())
        .isNotNull();
  }
}
