package dev.eksaccess.testkit;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A failure that {@link FakeEksApi} injects into one call of an EKS operation, to test how code
 * copes with what EKS and the network do.
 *
 * <pre>{@code
 * eks.inject("CreateAccessEntry", EksFault.throttling());        // 400 ThrottlingException
 * eks.inject("AssociateAccessPolicy", EksFault.serverError());   // 500 ServerException
 * eks.inject("UpdateAccessEntry", EksFault.droppedAfterCommit()); // done, then no answer
 * eks.inject("ListAccessEntries", EksFault.expiredCredentials());
 * }</pre>
 *
 * @param kind what happens
 * @param delay how long to wait before answering, for {@link Kind#LATENCY}
 */
public record EksFault(Kind kind, Duration delay) {
  /** What a fault does. */
  public enum Kind {
    /** {@code ThrottlingException} (400, "Rate exceeded"); nothing is done. */
    THROTTLING,
    /** {@code ServerException} (500); nothing is done. */
    SERVER_ERROR,
    /** {@code ExpiredTokenException} (403): the caller's credentials expired; nothing is done. */
    EXPIRED_CREDENTIALS,
    /** The call is done, then the connection drops without an answer. */
    DROPPED_AFTER_COMMIT,
    /** The call is served normally, after a delay. */
    LATENCY
  }

  /**
   * Checks for nulls.
   *
   * @throws NullPointerException if a value is null
   */
  public EksFault {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(delay, "delay");
  }

  /**
   * The call is throttled.
   *
   * @return the fault
   */
  public static EksFault throttling() {
    return new EksFault(Kind.THROTTLING, Duration.ZERO);
  }

  /**
   * The call fails with a 500.
   *
   * @return the fault
   */
  public static EksFault serverError() {
    return new EksFault(Kind.SERVER_ERROR, Duration.ZERO);
  }

  /**
   * The caller's session expired.
   *
   * @return the fault
   */
  public static EksFault expiredCredentials() {
    return new EksFault(Kind.EXPIRED_CREDENTIALS, Duration.ZERO);
  }

  /**
   * The call is done, then the connection drops.
   *
   * @return the fault
   */
  public static EksFault droppedAfterCommit() {
    return new EksFault(Kind.DROPPED_AFTER_COMMIT, Duration.ZERO);
  }

  /**
   * The call is served after {@code delay}.
   *
   * @param delay the delay
   * @return the fault
   */
  public static EksFault latency(Duration delay) {
    return new EksFault(Kind.LATENCY, delay);
  }

  /**
   * One fault of each kind a caller should ride out, by a readable name, in a fixed order: for a
   * test that walks them all. Expired credentials are left out, since they stop a caller.
   *
   * <pre>{@code
   * EksFault.everyKind().forEach((name, fault) -> eks.inject("CreateAccessEntry", fault));
   * }</pre>
   *
   * @return name → fault
   */
  public static Map<String, EksFault> everyKind() {
    Map<String, EksFault> all = new LinkedHashMap<>();
    all.put("throttling", throttling());
    all.put("server error", serverError());
    all.put("dropped after commit", droppedAfterCommit());
    all.put("latency", latency(Duration.ofMillis(300)));
    return Collections.unmodifiableMap(all);
  }
}
