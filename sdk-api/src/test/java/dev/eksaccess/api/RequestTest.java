package dev.eksaccess.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A request written the way people write it elsewhere is refused with the Kubernetes spelling. */
class RequestTest {
  private static String refusal(Supplier<Request> request) {
    InvalidInputException e = catchThrowableOfType(InvalidInputException.class, request::get);
    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
    return String.valueOf(e.getMessage());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "GET | pods | verb \"GET\": Kubernetes verbs are lower case, and RBAC compares them exactly: write \"get\".",
        "get | Pods | resource \"Pods\": resources are lower-case plurals, as RBAC rules name them: write \"pods\".",
        "list | deployments.apps | resource \"deployments.apps\": names its API group too; name the group separately: resource(\"deployments\").inApiGroup(\"apps\").",
      })
  void aVerbOrResourceSpelledAsElsewhereGetsTheKubernetesSpelling(
      String verb, String resource, String message) {
    assertThat(refusal(() -> Request.verb(verb).resource(resource))).isEqualTo(message);
  }

  @Test
  void anApiGroupWithAVersionGetsTheGroupAlone() {
    assertThat(refusal(() -> Request.verb("get").resource("deployments").inApiGroup("apps/v1")))
        .isEqualTo(
            "apiGroup \"apps/v1\": has a version; RBAC names groups without one:"
                + " inApiGroup(\"apps\").");
    assertThat(refusal(() -> Request.verb("get").resource("pods").inApiGroup("v1")))
        .contains("is a version, not a group");
  }

  @Test
  void theKubernetesSpellingIsAccepted() {
    Request r = Request.verb("list").resource("deployments").inApiGroup("apps").inNamespace("a");

    assertThat(r.verb()).isEqualTo("list");
    assertThat(r.apiGroup()).isEqualTo("apps");
    assertThat(r.resource()).isEqualTo("deployments");
  }
}
