package dev.eksaccess.micrometer;

import dev.eksaccess.api.EksAccessException;
import dev.eksaccess.api.Operation;
import io.micrometer.observation.Observation;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What an {@link OperationObservationConvention} reads to name and tag the observation of one
 * {@link Operation}: the operation, and once it has finished, how.
 *
 * <pre>{@code
 * String outcome = context.outcome().map(Operation.Outcome::tag).orElse("running");
 * }</pre>
 */
public final class OperationContext extends Observation.Context {
  private final Operation operation;
  private Operation.@Nullable Outcome outcome;
  private @Nullable EksAccessException cause;

  /**
   * A context for an operation that has just started.
   *
   * @param operation the operation
   */
  public OperationContext(Operation operation) {
    this.operation = Objects.requireNonNull(operation, "operation");
  }

  /**
   * The operation observed.
   *
   * @return the operation
   */
  public Operation operation() {
    return operation;
  }

  /**
   * How the operation ended; empty while it runs.
   *
   * @return the outcome
   */
  public Optional<Operation.Outcome> outcome() {
    return Optional.ofNullable(outcome);
  }

  /**
   * What the operation threw, if it threw an SDK exception.
   *
   * @return the exception
   */
  public Optional<EksAccessException> cause() {
    return Optional.ofNullable(cause);
  }

  void finished(Operation.Outcome outcome, @Nullable EksAccessException cause) {
    this.outcome = outcome;
    this.cause = cause;
  }
}
