package dev.eksaccess.testkit;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A failure that {@link FakeKubeApi} injects into one request, to test how code copes with what a
 * real API server and network do.
 *
 * <pre>{@code
 * api.inject("PUT", KubeFault.conflict());                // the next PUT loses a race
 * api.inject("PUT", KubeFault.afterCommit(500));          // stored, then a 500: did it land?
 * api.inject("PUT", KubeFault.droppedAfterCommit());      // stored, then the connection drops
 * api.inject("GET", KubeFault.latency(Duration.ofMillis(200)));
 * }</pre>
 *
 * @param kind what happens
 * @param status the HTTP status to answer with, for {@link Kind#STATUS} and {@link
 *     Kind#STATUS_AFTER_COMMIT}; 0 otherwise
 * @param delay how long to wait before answering, for {@link Kind#LATENCY}
 */
public record KubeFault(Kind kind, int status, Duration delay) {
  /** What a fault does. */
  public enum Kind {
    /** Answer 409 Conflict, as if another writer had just changed the object; nothing is stored. */
    CONFLICT,
    /** Answer with a status (a 500, a 429, a 401 for expired credentials); nothing is stored. */
    STATUS,
    /** Store the write, then answer with a status: the client cannot know the write landed. */
    STATUS_AFTER_COMMIT,
    /** Store the write, then drop the connection without an answer. */
    DROPPED_AFTER_COMMIT,
    /** Serve the request normally, after a delay. */
    LATENCY
  }

  /**
   * Checks the values.
   *
   * @throws IllegalArgumentException if a status fault has no error status
   */
  public KubeFault {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(delay, "delay");
    if ((kind == Kind.STATUS || kind == Kind.STATUS_AFTER_COMMIT) && status < 400) {
      throw new IllegalArgumentException(
          "a " + kind + " fault needs an error status (400-599), not " + status + ".");
    }
  }

  /**
   * The request loses a race: 409 Conflict, nothing stored.
   *
   * @return the fault
   */
  public static KubeFault conflict() {
    return new KubeFault(Kind.CONFLICT, 409, Duration.ZERO);
  }

  /**
   * The request fails with {@code status} and nothing is stored: 500, 503, 429 (throttled), 401
   * (expired credentials).
   *
   * @param status the HTTP status
   * @return the fault
   */
  public static KubeFault status(int status) {
    return new KubeFault(Kind.STATUS, status, Duration.ZERO);
  }

  /**
   * The write is stored, then the answer is {@code status}.
   *
   * @param status the HTTP status
   * @return the fault
   */
  public static KubeFault afterCommit(int status) {
    return new KubeFault(Kind.STATUS_AFTER_COMMIT, status, Duration.ZERO);
  }

  /**
   * The write is stored, then the connection drops.
   *
   * @return the fault
   */
  public static KubeFault droppedAfterCommit() {
    return new KubeFault(Kind.DROPPED_AFTER_COMMIT, 0, Duration.ZERO);
  }

  /**
   * The request is served after {@code delay}.
   *
   * @param delay the delay
   * @return the fault
   */
  public static KubeFault latency(Duration delay) {
    return new KubeFault(Kind.LATENCY, 0, delay);
  }

  /**
   * One fault of each kind, by a readable name, in a fixed order: for a test that walks them all.
   * Expired credentials (a 401) are left out, since they stop a caller rather than test its
   * retries; {@code conflict} and {@code 500 after commit} only make sense for a write.
   *
   * <pre>{@code
   * KubeFault.everyKind().forEach((name, fault) -> {
   *   api.inject("PUT", fault);
   *   // apply, then assert the ConfigMap is what a run without the fault leaves
   * });
   * }</pre>
   *
   * @return name → fault
   */
  public static Map<String, KubeFault> everyKind() {
    Map<String, KubeFault> all = new LinkedHashMap<>();
    all.put("conflict", conflict());
    all.put("throttled (429)", status(429));
    all.put("server error (500)", status(500));
    all.put("unavailable (503)", status(503));
    all.put("500 after commit", afterCommit(500));
    all.put("dropped after commit", droppedAfterCommit());
    all.put("latency", latency(Duration.ofMillis(300)));
    return Collections.unmodifiableMap(all);
  }

  /**
   * The faults of {@link #everyKind()} a read can meet: a read is never refused for a conflict and
   * has nothing to commit.
   *
   * @return name → fault
   */
  public static Map<String, KubeFault> everyReadKind() {
    Map<String, KubeFault> reads = new LinkedHashMap<>(everyKind());
    reads.values().removeIf(f -> f.kind() == Kind.CONFLICT || f.kind() == Kind.STATUS_AFTER_COMMIT);
    return Collections.unmodifiableMap(reads);
  }
}
