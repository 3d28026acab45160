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
 * eks.inject("CreateAccessEntry", EksFault.accessDenied());       // 403 AccessDeniedException
 * }</pre>
 *
 * @param kind what happens
 * @param delay how long to wait before answering, for {@link Kind#LATENCY}
 * @param caller for {@link Kind#ACCESS_DENIED}, the caller's ARN that the message names; empty for
 *     the fake's own test caller
 */
public record EksFault(Kind kind, Duration delay, String caller) {
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
    LATENCY,
    /**
     * {@code AccessDeniedException} (403): IAM does not allow the caller this call, in IAM's words
     * ({@code User: ... is not authorized to perform: eks:CreateAccessEntry on resource: ...
     * because no identity-based policy allows the eks:CreateAccessEntry action}); nothing is done.
     */
    ACCESS_DENIED
  }

  /**
   * Checks for nulls.
   *
   * @throws NullPointerException if a value is null
   */
  public EksFault {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(delay, "delay");
    Objects.requireNonNull(caller, "caller");
  }

  /**
   * A fault that names no caller.
   *
   * @param kind what happens
   * @param delay how long to wait before answering, for {@link Kind#LATENCY}
   * @throws NullPointerException if a value is null
   */
  public EksFault(Kind kind, Duration delay) {
    this(kind, delay, "");
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
   * IAM denies the call to the fake's test caller, {@code
   * arn:aws:sts::111122223333:assumed-role/eks-access-tests/test}.
   *
   * @return the fault
   */
  public static EksFault accessDenied() {
    return new EksFault(Kind.ACCESS_DENIED, Duration.ZERO, "");
  }

  /**
   * IAM denies the call to this caller.
   *
   * <pre>{@code
   * eks.inject("DeleteAccessEntry",
   *     EksFault.accessDenied("arn:aws:sts::111122223333:assumed-role/ReadOnly/jane"));
   * }</pre>
   *
   * @param callerArn the caller as IAM names it, such as an assumed-role session ARN
   * @return the fault
   */
  public static EksFault accessDenied(String callerArn) {
    return new EksFault(Kind.ACCESS_DENIED, Duration.ZERO, callerArn);
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
   * test that walks them all. Expired credentials and access denied are left out, since they stop a
   * caller.
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
