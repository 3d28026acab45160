package dev.eksaccess.api;

import org.jspecify.annotations.Nullable;

/**
 * An operation's {@link Deadline} passed: no read or write was started after it. For an apply, what
 * was written before it was taken back, as for any failed apply (or an {@link
 * IncompleteApplyException} says what is left).
 *
 * <pre>{@code
 * try {
 *   prod.withTimeout(Duration.ofSeconds(5)).plan(devs).apply();
 * } catch (DeadlineExceededException e) {
 *   e.code();   // DEADLINE_EXCEEDED
 * }
 * }</pre>
 */
public class DeadlineExceededException extends EksAccessException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what did not finish in time, and what to do
   * @param cause the client's own timeout, or null
   */
  public DeadlineExceededException(String message, @Nullable Throwable cause) {
    super(ErrorCode.DEADLINE_EXCEEDED, message, cause);
  }
}
