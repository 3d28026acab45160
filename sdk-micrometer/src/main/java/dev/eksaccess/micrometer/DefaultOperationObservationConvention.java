package dev.eksaccess.micrometer;

import dev.eksaccess.api.Operation;
import io.micrometer.common.KeyValues;

/**
 * The default names and tags: observation {@value #NAME}; low-cardinality tags {@code operation}
 * ({@code plan}, {@code apply}, {@code explain}, {@code who-can}, {@code audit}, {@code snapshot},
 * {@code break-glass-expire}) and {@code backend} ({@code aws-auth}, {@code access-entries}), and
 * once the operation has finished {@code outcome} ({@code success}, {@code refused-by-guard},
 * {@code conflict-retried}, {@code failed}) and {@code error.code} (an {@link
 * dev.eksaccess.api.ErrorCode} name, or {@code none}); the cluster's name as a high-cardinality
 * tag, which tracing records and metrics leave out. No principal, username, group or reason is ever
 * a tag.
 *
 * <pre>{@code
 * MicrometerListener.of(registry, new DefaultOperationObservationConvention());
 * }</pre>
 */
public class DefaultOperationObservationConvention implements OperationObservationConvention {
  /** The observation's name, and so the timer's: {@code eks.access.operation}. */
  public static final String NAME = "eks.access.operation";

  /** Creates the default convention. */
  public DefaultOperationObservationConvention() {}

  @Override
  public String getName() {
    return NAME;
  }

  @Override
  public String getContextualName(OperationContext context) {
    return "eks-access " + context.operation().kind().tag();
  }

  @Override
  public KeyValues getLowCardinalityKeyValues(OperationContext context) {
    Operation op = context.operation();
    KeyValues tags = KeyValues.of("operation", op.kind().tag(), "backend", op.backend());
    return context
        .outcome()
        .map(
            outcome ->
                tags.and(
                    "outcome",
                    outcome.tag(),
                    "error.code",
                    context
                        .cause()
                        .map(e -> e.code().name())
                        .orElse(outcome == Operation.Outcome.FAILED ? "other" : "none")))
        .orElse(tags);
  }

  @Override
  public KeyValues getHighCardinalityKeyValues(OperationContext context) {
    return KeyValues.of("cluster", context.operation().cluster());
  }
}
