package dev.eksaccess.micrometer;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names and tags the observation of an eks-access operation. Implement it, or extend {@link
 * DefaultOperationObservationConvention}, to change the name or add tags; keep tags low in
 * cardinality.
 *
 * <pre>{@code
 * MicrometerListener.of(registry, new DefaultOperationObservationConvention() {
 *   @Override public KeyValues getLowCardinalityKeyValues(OperationContext context) {
 *     // a handful of clusters: tag metrics by cluster too
 *     return super.getLowCardinalityKeyValues(context)
 *         .and("cluster", context.operation().cluster());
 *   }
 * });
 * }</pre>
 */
public interface OperationObservationConvention extends ObservationConvention<OperationContext> {
  @Override
  default boolean supportsContext(Observation.Context context) {
    return context instanceof OperationContext;
  }
}
