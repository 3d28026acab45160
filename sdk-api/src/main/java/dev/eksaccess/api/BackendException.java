package dev.eksaccess.api;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The remote side failed: the EKS API or the Kubernetes API server.
 *
 * <pre>{@code
 * catch (BackendException e) {
 *   log.warn("EKS said {} (request {}), retryable: {}", e.statusCode(), e.requestId(), e.retryable());
 * }
 * }</pre>
 */
public class BackendException extends EksAccessException {
  private static final long serialVersionUID = 1L;

  private final int statusCode;
  private final @Nullable String requestId;
  private final boolean retryable;

  /**
   * Creates the exception.
   *
   * @param message what failed, where, and what to do
   * @param statusCode the HTTP status, or 0 when no response arrived
   * @param requestId the remote request id, if the response had one
   * @param retryable whether repeating the call unchanged may succeed
   * @param cause the client library's exception, kept for diagnosis
   */
  public BackendException(
      String message,
      int statusCode,
      @Nullable String requestId,
      boolean retryable,
      @Nullable Throwable cause) {
    super(ErrorCode.BACKEND_FAILURE, message, cause);
    this.statusCode = statusCode;
    this.requestId = requestId;
    this.retryable = retryable;
  }

  /**
   * The HTTP status of the failed call.
   *
   * @return the status, or 0 when no response arrived
   */
  public int statusCode() {
    return statusCode;
  }

  /**
   * The remote request id, to quote to AWS support or find in audit logs.
   *
   * @return the request id, if the response had one
   */
  public Optional<String> requestId() {
    return Optional.ofNullable(requestId);
  }

  @Override
  public boolean retryable() {
    return retryable;
  }
}
