package dev.eksaccess.api;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the listeners of a {@link ClusterAccess}: a listener that throws is logged and ignored, so
 * it can never stop an apply half way.
 */
final class Events {
  private static final Logger LOG = LoggerFactory.getLogger(Events.class);

  private final List<ClusterAccessListener> listeners;
  private final String cluster;
  private final String backend;

  Events(List<ClusterAccessListener> listeners, String cluster, String backend) {
    this.listeners = List.copyOf(listeners);
    this.cluster = cluster;
    this.backend = backend;
  }

  void tell(Consumer<ClusterAccessListener> event) {
    for (ClusterAccessListener l : listeners) {
      try {
        event.accept(l);
      } catch (RuntimeException e) {
        LOG.warn("listener {} threw; ignored", l.getClass().getName(), e);
      }
    }
  }

  /**
   * Runs one operation between {@link ClusterAccessListener#started} and {@link
   * ClusterAccessListener#finished}, which is told however the operation ends.
   */
  <T> T observe(Operation.Kind kind, Function<Operation, T> body) {
    Operation op = new Operation(kind, cluster, backend);
    tell(l -> l.started(op));
    Operation.Outcome outcome = Operation.Outcome.FAILED;
    @Nullable EksAccessException cause = null;
    try {
      T result = body.apply(op);
      outcome = op.succeeded();
      return result;
    } catch (UnsafeChangeException e) {
      outcome = Operation.Outcome.REFUSED_BY_GUARD;
      cause = e;
      throw e;
    } catch (EksAccessException e) {
      cause = e;
      throw e;
    } finally {
      Operation.Outcome o = outcome;
      @Nullable EksAccessException c = cause;
      tell(l -> l.finished(op, o, c));
    }
  }
}
