package dev.eksaccess.api;

import org.jspecify.annotations.Nullable;

/**
 * The cluster changed since it was read, so nothing was written. Re-plan and apply again.
 *
 * <pre>{@code
 * Plan plan = prod.plan(grant);
 * // another pipeline changes aws-auth here
 * plan.apply();   // throws ConflictException: re-plan with prod.plan(grant)
 * }</pre>
 */
public class ConflictException extends EksAccessException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what changed, and how to recover
   * @param cause the backend's conflict response, if any
   */
  public ConflictException(String message, @Nullable Throwable cause) {
    super(ErrorCode.CONFLICT, message, cause);
  }

  /** Always true: re-reading and re-applying may succeed. */
  @Override
  public boolean retryable() {
    return true;
  }
}
