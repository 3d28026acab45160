package dev.eksaccess.api.authz;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eksaccess.api.ClusterRole;
import dev.eksaccess.api.spi.RbacSnapshot;
import dev.eksaccess.api.spi.RbacSubject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AccessMatrixJsonTest {
  @Test
  void theMatrixReadsBackAsJsonWithTheAllowedVerbsPerResource() throws Exception {
    RbacSnapshot s =
        RbacSnapshot.of(
            List.of(RbacIndexTest.READER),
            List.of(
                RbacIndexTest.rb(
                    "jane-reads",
                    "payments",
                    ClusterRole.named("reader"),
                    RbacSubject.user("jane"))));
    AccessMatrix m = RbacAuthorizer.of(s).accessMatrix(KubernetesUser.of("jane"), "payments");

    JsonNode json = new ObjectMapper().readTree(m.toJson());

    assertThat(json.path("schema").asText()).isEqualTo("eks-access/access-matrix/v1");
    assertThat(json.path("user").asText()).isEqualTo("jane");
    assertThat(json.path("groups").toString()).contains("system:authenticated");
    assertThat(json.path("namespace").asText()).isEqualTo("payments");
    assertThat(json.path("verbs")).hasSize(m.verbs().size());
    List<String> podVerbs = new ArrayList<>();
    for (JsonNode row : json.path("resources")) {
      if (row.path("resource").asText().equals("pods")) {
        row.path("allowed").forEach(v -> podVerbs.add(v.asText()));
      }
      for (JsonNode v : row.path("allowed")) {
        assertThat(m.allows(row.path("resource").asText(), v.asText())).isTrue();
      }
    }
    assertThat(podVerbs).containsExactly("get");
    assertThat(json.path("resources")).hasSize(m.allowed().size());
  }
}
