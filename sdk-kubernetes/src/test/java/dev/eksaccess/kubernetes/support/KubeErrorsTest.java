package dev.eksaccess.kubernetes.support;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eksaccess.api.BackendException;
import dev.eksaccess.api.ConflictException;
import dev.eksaccess.api.EksAccessException;
import io.kubernetes.client.openapi.ApiException;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KubeErrorsTest {
  static final String FORBIDDEN =
      """
      {"kind":"Status","apiVersion":"v1","status":"Failure","reason":"Forbidden","code":403,\
      "message":"rolebindings.rbac.authorization.k8s.io \\"x\\" is forbidden: user \\"ci\\" \
      is attempting to grant RBAC permissions not currently held"}""";

  static EksAccessException failure(int code, Map<String, List<String>> headers, String body) {
    return KubeErrors.failure(
        "apply RoleBinding a/x",
        new ApiException(code, headers, body),
        "Grant the caller that permission.",
        "It does not exist.");
  }

  @Test
  void theServersMessageIsUnescapedAndTheAuditIdKept() {
    EksAccessException e =
        failure(
            403, Map.of("audit-id", List.of("5f1e-77"), "Authorization", List.of("x")), FORBIDDEN);

    assertThat(e).isInstanceOf(BackendException.class);
    BackendException b = (BackendException) e;
    assertThat(b.statusCode()).isEqualTo(403);
    assertThat(b.requestId()).contains("5f1e-77");
    assertThat(b.retryable()).isFalse();
    assertThat(b.getMessage())
        .isEqualTo(
            "apply RoleBinding a/x failed with HTTP 403: rolebindings.rbac.authorization.k8s.io"
                + " \"x\" is forbidden: user \"ci\" is attempting to grant RBAC permissions not"
                + " currently held. Grant the caller that permission.")
        .doesNotContain("Authorization");
  }

  @Test
  void aConflictIsALostRaceWithItsReason() {
    EksAccessException e =
        failure(
            409,
            Map.of(),
            "{\"kind\":\"Status\",\"reason\":\"AlreadyExists\",\"message\":\"already there\"}");

    assertThat(e)
        .isInstanceOf(ConflictException.class)
        .hasMessageContaining("409 AlreadyExists: already there")
        .hasMessageContaining("nothing was written");
    assertThat(e.retryable()).isTrue();
  }

  @Test
  void aBodyThatIsNoStatusStillGivesTheCodeAndWhetherToRetry() {
    BackendException html =
        (BackendException) failure(502, Map.of(), "<html><body>Bad gateway</body></html>");
    assertThat(html.getMessage())
        .isEqualTo(
            "apply RoleBinding a/x failed with HTTP 502: (no Status message). Retrying may succeed.");
    assertThat(html.retryable()).isTrue();
    assertThat(html.requestId()).isEmpty();

    assertThat(failure(404, Map.of(), "").getMessage())
        .isEqualTo("apply RoleBinding a/x failed with HTTP 404: (no body). It does not exist.");
    assertThat(failure(401, Map.of(), "").getMessage()).contains("an EKS token lives 15 minutes");
  }

  @Test
  void noResponseAtAllMayHaveLanded() {
    EksAccessException e =
        KubeErrors.failure(
            "replace ConfigMap kube-system/aws-auth",
            new ApiException(new IOException("unexpected end of stream")),
            "",
            "");

    assertThat(e.retryable()).isTrue();
    assertThat(e.getMessage())
        .contains("failed without a response (IOException: unexpected end of stream)")
        .contains("may or may not have landed");
  }
}
