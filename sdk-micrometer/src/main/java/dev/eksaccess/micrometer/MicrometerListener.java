package dev.eksaccess.micrometer;

import dev.eksaccess.api.ClusterAccessListener;
import dev.eksaccess.api.EksAccessException;
import dev.eksaccess.api.Operation;
import dev.eksaccess.api.Principal;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Observes every operation of a {@link dev.eksaccess.api.ClusterAccess} with Micrometer: one
 * observation per operation, named and tagged by an {@link OperationObservationConvention} ({@link
 * DefaultOperationObservationConvention} unless given), with an event for each write retried
 * ({@value #RETRY}) and each break-glass grant an expiry removed ({@value #BREAK_GLASS_EXPIRED}).
 * With Micrometer's {@code DefaultMeterObservationHandler} that makes a timer {@code
 * eks.access.operation} tagged {@code operation}, {@code backend}, {@code outcome} and {@code
 * error.code}, and counters {@code eks.access.operation.retry} and {@code
 * eks.access.operation.break-glass-expired} tagged {@code operation} and {@code backend}; with a
 * tracing bridge (Micrometer Tracing over OpenTelemetry or Brave) a span per operation, nested in
 * the caller's.
 *
 * <pre>{@code
 * ObservationRegistry observations = ObservationRegistry.create();
 * observations.observationConfig().observationHandler(new DefaultMeterObservationHandler(meters));
 * ClusterAccess prod = ClusterAccess.builder().clusterName("prod").identities(ids).rbac(rbac)
 *     .listener(MicrometerListener.of(observations))
 *     .build();
 * }</pre>
 *
 * <p>The observation of an operation is in scope while it runs, on the thread that called it, so
 * observations the backends' clients make nest under it. One listener may serve many {@code
 * ClusterAccess} instances and threads.
 */
public final class MicrometerListener implements ClusterAccessListener {
  /** The event of a write that lost a race, or failed in a way a repeat may fix, and is retried. */
  public static final String RETRY = "retry";

  /** The event of a break-glass grant that an expiry sweep removed. */
  public static final String BREAK_GLASS_EXPIRED = "break-glass-expired";

  private static final OperationObservationConvention DEFAULT =
      new DefaultOperationObservationConvention();

  private final ObservationRegistry registry;
  private final @Nullable OperationObservationConvention convention;

  /** The operations running on each thread, innermost first: they end in the reverse order. */
  private final ThreadLocal<Deque<Running>> running = ThreadLocal.withInitial(ArrayDeque::new);

  private record Running(Operation operation, Observation observation, Observation.Scope scope) {}

  private MicrometerListener(
      ObservationRegistry registry, @Nullable OperationObservationConvention convention) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.convention = convention;
  }

  /**
   * A listener that reports to {@code registry}, named and tagged by the default convention.
   *
   * <pre>{@code
   * ClusterAccess.builder().clusterName("prod").identities(ids)
   *     .listener(MicrometerListener.of(observationRegistry))
   *     .build();
   * }</pre>
   *
   * @param registry where observations go; with no handler registered nothing is recorded
   * @return the listener
   */
  public static MicrometerListener of(ObservationRegistry registry) {
    return new MicrometerListener(registry, null);
  }

  /**
   * A listener that reports to {@code registry}, named and tagged by {@code convention}.
   *
   * @param registry where observations go
   * @param convention the names and tags
   * @return the listener
   */
  public static MicrometerListener of(
      ObservationRegistry registry, OperationObservationConvention convention) {
    return new MicrometerListener(registry, Objects.requireNonNull(convention, "convention"));
  }

  /**
   * A listener that records timers and counters straight into {@code meters}, for a service that
   * has metrics and no other use for observations.
   *
   * <pre>{@code
   * MeterRegistry meters = new SimpleMeterRegistry();   // or Prometheus, OTLP, ...
   * ClusterAccess.builder().clusterName("prod").identities(ids)
   *     .listener(MicrometerListener.of(meters))
   *     .build();
   * }</pre>
   *
   * @param meters where timers and counters go
   * @return the listener
   */
  public static MicrometerListener of(MeterRegistry meters) {
    ObservationRegistry registry = ObservationRegistry.create();
    registry
        .observationConfig()
        .observationHandler(
            new DefaultMeterObservationHandler(Objects.requireNonNull(meters, "meters")));
    return new MicrometerListener(registry, null);
  }

  @Override
  public void started(Operation operation) {
    OperationContext context = new OperationContext(operation);
    Observation observation =
        Observation.createNotStarted(convention, DEFAULT, () -> context, registry).start();
    running.get().push(new Running(operation, observation, observation.openScope()));
  }

  @Override
  public void finished(
      Operation operation, Operation.Outcome outcome, @Nullable EksAccessException cause) {
    Deque<Running> here = running.get();
    Running r = here.peek();
    if (r == null || r.operation() != operation) {
      return; // started on another thread or before this listener was added: nothing to stop
    }
    here.pop();
    if (here.isEmpty()) {
      running.remove();
    }
    if (r.observation().getContext() instanceof OperationContext context) {
      context.finished(outcome, cause);
    }
    if (outcome == Operation.Outcome.FAILED && cause != null) {
      r.observation().error(cause);
    }
    r.scope().close();
    r.observation().stop();
  }

  @Override
  public void retried(String cluster, String object, int attempt, EksAccessException cause) {
    event(
        Observation.Event.of(
            RETRY, "retry " + object + " after attempt " + attempt + " failed: " + cause.code()));
  }

  @Override
  public void breakGlassExpired(
      String cluster, Principal principal, String reason, Instant expiredAt) {
    // no principal and no reason: the event's name may become a counter's, its text a span's
    event(Observation.Event.of(BREAK_GLASS_EXPIRED, "break-glass grant expired at " + expiredAt));
  }

  private void event(Observation.Event event) {
    Running r = running.get().peek();
    if (r != null) {
      r.observation().event(event);
    }
  }

  @Override
  public String toString() {
    return "MicrometerListener[" + registry + "]";
  }
}
