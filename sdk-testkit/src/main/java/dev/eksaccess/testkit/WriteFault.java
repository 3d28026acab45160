package dev.eksaccess.testkit;

/**
 * A failure {@link FakeCluster#failNext} injects into the next write of one layer, to test how code
 * copes with a lost race or an unreliable backend without a wire-level fake.
 *
 * <pre>{@code
 * prod.failNext(Change.Layer.IDENTITY, WriteFault.UNAVAILABLE_AFTER_COMMIT);
 * prod.clusterAccess().plan(devs).apply();   // retried; lands once
 * }</pre>
 */
public enum WriteFault {
  /** Another writer got there first: {@code ConflictException}, nothing written. */
  CONFLICT,
  /** The backend is unavailable: a retryable {@code BackendException} (503), nothing written. */
  UNAVAILABLE,
  /** The write lands, then the answer is a retryable 503: the caller cannot know it landed. */
  UNAVAILABLE_AFTER_COMMIT
}
