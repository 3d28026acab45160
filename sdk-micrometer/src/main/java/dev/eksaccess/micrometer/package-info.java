/**
 * Micrometer for eks-access: {@link dev.eksaccess.micrometer.MicrometerListener} observes every
 * {@link dev.eksaccess.api.ClusterAccess} operation through Micrometer's Observation API, so a
 * service gets timers and counters (with a {@code MeterRegistry}) and spans (with a tracing bridge,
 * such as OpenTelemetry's) from one listener.
 *
 * <pre>{@code
 * ClusterAccess prod = ClusterAccess.builder().clusterName("prod").identities(ids).rbac(rbac)
 *     .listener(MicrometerListener.of(observationRegistry))
 *     .build();
 * }</pre>
 */
@NullMarked
package dev.eksaccess.micrometer;

import org.jspecify.annotations.NullMarked;
