package dev.eksaccess.api;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The root of every exception eks-access throws. All are unchecked and carry an {@link ErrorCode}.
 *
 * <pre>{@code
 * try {
 *   prod.plan(grant).apply();
 * } catch (EksAccessException e) {
 *   log.warn("{}: {} (retryable: {})", e.code(), e.getMessage(), e.retryable());
 * }
 * }</pre>
 */
public abstract class EksAccessException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ErrorCode code;

  /**
   * Creates an exception with a code, a message that says where, what and how to fix, and an
   * optional cause.
   *
   * @param code what went wrong
   * @param message where, what, and how to fix it
   * @param cause the underlying failure, if any
   */
  protected EksAccessException(ErrorCode code, String message, @Nullable Throwable cause) {
    super(message, cause);
    this.code = Objects.requireNonNull(code, "code");
  }

  /**
   * What went wrong.
   *
   * @return the error code
   */
  public final ErrorCode code() {
    return code;
  }

  /**
   * Whether the same call may succeed if repeated unchanged (throttling, conflicts, 5xx).
   *
   * @return true if retrying may help
   */
  public boolean retryable() {
    return false;
  }
}
