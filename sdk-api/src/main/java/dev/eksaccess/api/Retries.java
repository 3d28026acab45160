package dev.eksaccess.api;

import java.util.Optional;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The one retry loop of {@link ClusterAccess}: reads and writes repeat what a repeat may fix (a
 * lost race, a 5xx, a throttle, a dropped connection) within the {@link RetryPolicy}, pausing with
 * its jittered backoff.
 */
final class Retries {
  private final RetryPolicy policy;
  private final String clusterName;
  private final RetryPolicy.Sleeper sleeper;

  Retries(RetryPolicy policy, String clusterName, RetryPolicy.Sleeper sleeper) {
    this.policy = policy;
    this.clusterName = clusterName;
    this.sleeper = sleeper;
  }

  RetryPolicy policy() {
    return policy;
  }

  /** Runs a read, repeating failures that repeating may fix. */
  <T> T reading(Supplier<T> read) {
    for (int attempt = 1; ; attempt++) {
      Deadline.checkCurrent("a read of cluster " + clusterName);
      try {
        return read.get();
      } catch (EksAccessException e) {
        if (!e.retryable() || attempt >= policy.maxAttempts()) {
          throw e;
        }
        pause(attempt, e);
      }
    }
  }

  /** Whether a failed attempt may be tried again. */
  boolean mayRetry(EksAccessException e, int attempt) {
    return policy.mayRetry(e, attempt);
  }

  /** Waits before retry number {@code retry}, keeping an interrupt. */
  void pause(int retry) {
    pause(retry, null);
  }

  /**
   * Waits before retry number {@code retry} of what failed with {@code failure}; a pause that could
   * outlast the operation's deadline is not begun, and the failure is kept as the cause.
   */
  void pause(int retry, @Nullable EksAccessException failure) {
    Optional<Deadline> deadline = Deadline.current();
    if (deadline.isPresent() && deadline.get().remaining().compareTo(policy.ceiling(retry)) < 0) {
      // the pause could outlast the deadline: give the caller its time back now, not after it
      throw deadline.get().exceeded("retry " + retry + " on cluster " + clusterName, failure);
    }
    policy.pauseBefore(retry, "on cluster " + clusterName, sleeper);
  }
}
