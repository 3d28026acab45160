package dev.eksaccess.kubernetes.support;

import com.google.gson.JsonParseException;
import dev.eksaccess.api.BackendException;
import dev.eksaccess.api.ConflictException;
import dev.eksaccess.api.Deadline;
import dev.eksaccess.api.EksAccessException;
import dev.eksaccess.api.support.BackendSupport;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.models.V1Status;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Turns the Kubernetes client's {@link ApiException} into the SDK's exceptions, with the API
 * server's own message, the request's {@code Audit-Id} (to find it in the cluster's audit log), and
 * what to do. Never includes a request header or the token.
 */
@BackendSupport
public final class KubeErrors {
  private KubeErrors() {}

  /**
   * The exception for a failed call.
   *
   * @param what the operation and object, such as {@code "replace ConfigMap kube-system/aws-auth"}
   * @param e the client's exception
   * @param forbidden what a 403 means for this operation: the permission the caller lacks
   * @param notFound what a 404 means for this operation
   * @return a {@link ConflictException} for 409, else a {@link BackendException}
   */
  public static EksAccessException failure(
      String what, ApiException e, String forbidden, String notFound) {
    int code = e.getCode();
    String message = statusMessage(e);
    if (code == 409) {
      return new ConflictException(
          what
              + " lost a race with another writer (409 "
              + reason(e)
              + ": "
              + message
              + "); nothing was written. Read it again and re-apply the changes.",
          e);
    }
    boolean retryable = code == 0 || code == 429 || code >= 500;
    Optional<Deadline> deadline = Deadline.current();
    if (code == 0 && deadline.isPresent() && deadline.get().ranOut()) {
      // the request ran out of the time the operation's deadline left it
      return deadline.get().exceeded(what, e);
    }
    if (code == 0) {
      return new BackendException(
          what
              + " failed without a response ("
              + rootMessage(e)
              + "); a write may or may not have landed, so read before retrying.",
          0,
          auditId(e),
          true,
          e);
    }
    String hint =
        switch (code) {
          case 401 ->
              " The credentials were refused: an EKS token lives 15 minutes; get a new one.";
          case 403 -> " " + forbidden;
          case 404 -> " " + notFound;
          case 422 -> " The API server refused the object.";
          default -> retryable ? " Retrying may succeed." : "";
        };
    return new BackendException(
        what + " failed with HTTP " + code + ": " + message + "." + hint,
        code,
        auditId(e),
        retryable,
        e);
  }

  /** The Status reason ({@code Conflict}, {@code AlreadyExists}, ...), or {@code ""}. */
  public static String reason(ApiException e) {
    V1Status status = status(e);
    return status == null ? "" : Objects.requireNonNullElse(status.getReason(), "");
  }

  /** The Status message the API server sent, unescaped; a placeholder when there is none. */
  public static String statusMessage(ApiException e) {
    V1Status status = status(e);
    if (status != null && status.getMessage() != null) {
      return status.getMessage();
    }
    String body = e.getResponseBody();
    return body == null || body.isEmpty() ? "(no body)" : "(no Status message)";
  }

  /** The {@code Audit-Id} response header, if the server sent one. */
  public static @Nullable String auditId(ApiException e) {
    Map<String, List<String>> headers = e.getResponseHeaders();
    if (headers == null) {
      return null;
    }
    for (Map.Entry<String, List<String>> h : headers.entrySet()) {
      if (h.getKey() != null
          && h.getKey().equalsIgnoreCase("Audit-Id")
          && h.getValue() != null
          && !h.getValue().isEmpty()) {
        return h.getValue().get(0);
      }
    }
    return null;
  }

  private static @Nullable V1Status status(ApiException e) {
    String body = e.getResponseBody();
    if (body == null || body.isBlank()) {
      return null;
    }
    try {
      Object parsed = JSON.deserialize(body, V1Status.class);
      return parsed instanceof V1Status s && "Status".equals(s.getKind()) ? s : null;
    } catch (JsonParseException | IllegalArgumentException notStatus) {
      return null; // a proxy's HTML page, say: the code alone has to do
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
  }
}
