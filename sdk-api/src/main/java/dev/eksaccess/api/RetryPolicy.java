package dev.eksaccess.api;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How often, and how patiently, to try again after a write lost a race (409 Conflict) or failed in
 * a way that repeating may fix (a 5xx, a dropped connection). Each retry re-reads the state and
 * re-applies the changes; it never resends a stale document. The wait before retry {@code n} is
 * random between zero and {@code min(maxBackoff, initialBackoff × 2^(n-1))} ("full jitter"), so
 * that writers who collided once do not collide again in step. The reads behind a plan, an
 * explanation and a retry are repeated on the same terms when they fail in a way repeating may fix.
 *
 * <pre>{@code
 * ClusterAccess prod = ClusterAccess.builder()
 *     .clusterName("prod")
 *     .identities(ids)
 *     .retryPolicy(RetryPolicy.of(10, Duration.ofMillis(50), Duration.ofSeconds(2)))
 *     .build();
 * }</pre>
 *
 * <p>Lost races and failures are counted apart. A lost race means another writer's change landed:
 * the cluster made progress, and trying again is always safe, so many services writing one object
 * (the aws-auth ConfigMap, a shared RoleBinding) at once all land. {@link #defaults()} allows 64
 * attempts against lost races and 8 against failures.
 *
 * @param maxAttempts attempts in all when writes fail in a way repeating may fix, the first
 *     included; 1 means never retry
 * @param initialBackoff the ceiling of the first wait
 * @param maxBackoff the ceiling of every wait
 * @param conflictAttempts attempts in all when writes lose races to other writers, the first
 *     included; 1 reports every lost race at once
 */
public record RetryPolicy(
    int maxAttempts, Duration initialBackoff, Duration maxBackoff, int conflictAttempts) {
  private static final RetryPolicy DEFAULTS =
      new RetryPolicy(8, Duration.ofMillis(50), Duration.ofSeconds(2), 64);

  /**
   * Checks the values.
   *
   * @throws InvalidInputException if {@code maxAttempts} is below 1, a backoff is negative, or
   *     {@code maxBackoff} is below {@code initialBackoff}
   */
  public RetryPolicy {
    Objects.requireNonNull(initialBackoff, "initialBackoff");
    Objects.requireNonNull(maxBackoff, "maxBackoff");
    if (maxAttempts < 1) {
      throw InvalidInputException.of(
          ErrorCode.INVALID_ARGUMENT,
          "maxAttempts",
          String.valueOf(maxAttempts),
          "counts the first attempt, so it must be 1 or more.");
    }
    if (conflictAttempts < 1) {
      throw InvalidInputException.of(
          ErrorCode.INVALID_ARGUMENT,
          "conflictAttempts",
          String.valueOf(conflictAttempts),
          "counts the first attempt, so it must be 1 or more.");
    }
    if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
      throw InvalidInputException.of(
          ErrorCode.INVALID_ARGUMENT,
          "initialBackoff, maxBackoff",
          initialBackoff + ", " + maxBackoff,
          "backoff must satisfy 0 <= initialBackoff <= maxBackoff.");
    }
  }

  /**
   * A policy that tries as often against lost races as against failures.
   *
   * @param maxAttempts attempts in all, the first included; 1 means never retry
   * @param initialBackoff the ceiling of the first wait
   * @param maxBackoff the ceiling of every wait
   */
  public RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
    this(maxAttempts, initialBackoff, maxBackoff, maxAttempts);
  }

  /**
   * The same policy, with this many attempts against lost races.
   *
   * <pre>{@code
   * RetryPolicy.of(5, Duration.ofMillis(50), Duration.ofSeconds(2)).withConflictAttempts(100);
   * }</pre>
   *
   * @param attempts attempts in all, the first included
   * @return the policy
   */
  public RetryPolicy withConflictAttempts(int attempts) {
    return new RetryPolicy(maxAttempts, initialBackoff, maxBackoff, attempts);
  }

  /**
   * Whether a write that failed on attempt {@code attempt} with {@code e} may be tried again: a
   * lost race within {@link #conflictAttempts()}, a failure that repeating may fix within {@link
   * #maxAttempts()}.
   *
   * @param e the failure
   * @param attempt the attempt that failed, from 1
   * @return true to try again
   */
  public boolean mayRetry(EksAccessException e, int attempt) {
    if (e instanceof ConflictException) {
      return attempt < conflictAttempts;
    }
    return e.retryable() && attempt < maxAttempts;
  }

  /**
   * A policy.
   *
   * @param maxAttempts attempts in all, the first included
   * @param initialBackoff the ceiling of the first wait
   * @param maxBackoff the ceiling of every wait
   * @return the policy
   */
  public static RetryPolicy of(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
    return new RetryPolicy(maxAttempts, initialBackoff, maxBackoff);
  }

  /**
   * Eight attempts, waits of up to 50 ms doubling to at most 2 s: enough for a handful of pipelines
   * that write the same cluster at once.
   *
   * @return the default policy
   */
  public static RetryPolicy defaults() {
    return DEFAULTS;
  }

  /**
   * One attempt: a lost race is reported at once.
   *
   * @return the policy that never retries
   */
  public static RetryPolicy none() {
    return new RetryPolicy(1, Duration.ZERO, Duration.ZERO);
  }

  /**
   * The ceiling of the wait before retry {@code retry} (1 for the first retry).
   *
   * @param retry the retry's number, from 1
   * @return {@code min(maxBackoff, initialBackoff × 2^(retry-1))}
   */
  public Duration ceiling(int retry) {
    if (retry < 1) {
      throw InvalidInputException.of(
          ErrorCode.INVALID_ARGUMENT, "retry", String.valueOf(retry), "retries count from 1.");
    }
    Duration d = initialBackoff;
    for (int i = 1; i < retry && d.compareTo(maxBackoff) < 0; i++) {
      d = d.multipliedBy(2);
    }
    return d.compareTo(maxBackoff) > 0 ? maxBackoff : d;
  }

  /**
   * Waits before retry {@code retry}: a random time up to {@link #ceiling(int)}.
   *
   * @param retry the retry's number, from 1
   * @throws InterruptedException if the thread is interrupted while it waits
   */
  public void pause(int retry) throws InterruptedException {
    pause(retry, Sleeper.THREAD);
  }

  /**
   * Waits before retry {@code retry} as {@link #pause(int)} does, through {@code sleeper}.
   *
   * @param retry the retry's number, from 1
   * @param sleeper what waits
   * @throws InterruptedException if the thread is interrupted before or while it waits
   */
  void pause(int retry, Sleeper sleeper) throws InterruptedException {
    if (Thread.interrupted()) {
      // honoured however short the pause, as a sleep would: a zero backoff must not hide it
      throw new InterruptedException("interrupted before retry " + retry);
    }
    long ceiling = ceiling(retry).toNanos();
    if (ceiling > 0) {
      sleeper.sleep(Duration.ofNanos(ThreadLocalRandom.current().nextLong(ceiling + 1)));
    }
  }

  /**
   * Waits before retry {@code retry} of {@code what}, as {@link #pause(int)} does, for code that
   * may throw only SDK exceptions: an interrupt is kept on the thread and ends the wait with a
   * {@link BackendException} that names what was being retried and says nothing more was written.
   *
   * <pre>{@code
   * policy.pauseBefore(attempt, "a write to ConfigMap kube-system/aws-auth");
   * }</pre>
   *
   * @param retry the retry's number, from 1
   * @param what what is retried, for the message
   * @throws BackendException if the thread is interrupted while it waits
   */
  public void pauseBefore(int retry, String what) {
    pauseBefore(retry, what, Sleeper.THREAD);
  }

  /**
   * Waits before retry {@code retry} of {@code what} with {@code sleeper}, as {@link
   * #pauseBefore(int, String)} does.
   *
   * @param retry the retry's number, from 1
   * @param what what is retried, for the message
   * @param sleeper what waits
   * @throws BackendException if the thread is interrupted while it waits
   */
  public void pauseBefore(int retry, String what, Sleeper sleeper) {
    try {
      pause(retry, sleeper);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BackendException(
          "interrupted while waiting to retry "
              + what
              + "; the interrupt is kept, nothing more was written.",
          0,
          null,
          false,
          e);
    }
  }

  /**
   * What waits between attempts: the thread sleeps, unless a test gives {@link
   * ClusterAccess.Builder#retrySleeper} one that moves a fake clock instead.
   *
   * <pre>{@code
   * ClusterAccess.builder().clusterName("prod").identities(ids)
   *     .retrySleeper(wait -> testClock.advance(wait))   // no real waiting in a test
   *     .build();
   * }</pre>
   */
  @FunctionalInterface
  public interface Sleeper {
    /** Sleeps the thread, to the nanosecond the platform allows. */
    Sleeper THREAD =
        wait -> {
          long nanos = wait.toNanos();
          Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000)); // sub-millisecond too
        };

    /**
     * Waits this long.
     *
     * @param wait how long; not negative
     * @throws InterruptedException if the thread is interrupted while it waits
     */
    void sleep(Duration wait) throws InterruptedException;
  }
}
