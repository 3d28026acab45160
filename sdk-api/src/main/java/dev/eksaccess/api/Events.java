package dev.eksaccess.api;

import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the listeners of a {@link ClusterAccess}: a listener that throws is logged and ignored, so
 * it can never stop an apply half way.
 */
final class Events {
  private static final Logger LOG = LoggerFactory.getLogger(Events.class);

  private final List<ClusterAccessListener> listeners;

  Events(List<ClusterAccessListener> listeners) {
    this.listeners = List.copyOf(listeners);
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
}
