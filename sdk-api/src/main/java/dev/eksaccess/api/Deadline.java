package dev.eksaccess.api;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The time by which an operation must be done: set with {@link ClusterAccess.Builder#timeout} or
 * per call with {@link ClusterAccess#withTimeout}. While an operation runs, its deadline is the
 * thread's {@link #current()} one (as gRPC carries a deadline in its context), so that every layer
 * below sees it without a parameter: the retry loop never pauses past it, no read or write starts
 * after it, and the backends give each remote call only the time that is left (the Access Entries
 * backend as the AWS SDK's {@code apiCallTimeout}). Work that undoes a failed apply is not cut
 * short by it: see {@link #suspended}.
 *
 * <pre>{@code
 * ClusterAccess prod = ClusterAccess.builder()...timeout(Duration.ofSeconds(30)).build();
 * prod.withTimeout(Duration.ofSeconds(5)).explain(jane, request);   // this call: 5 s
 * Deadline.current().map(Deadline::remaining);                       // inside a backend
 * }</pre>
 */
public final class Deadline {
  private static final ThreadLocal<@Nullable Deadline> CURRENT = new ThreadLocal<>();

  private final Instant at;
  private final Clock clock;
  private final Duration timeout;

  private Deadline(Instant at, Clock clock, Duration timeout) {
    this.at = at;
    this.clock = clock;
    this.timeout = timeout;
  }

  /**
   * The deadline {@code timeout} from now.
   *
   * @param timeout how long, more than zero
   * @param clock the clock
   * @return the deadline
   * @throws InvalidInputException if {@code timeout} is zero or negative
   */
  public static Deadline after(Duration timeout, Clock clock) {
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(clock, "clock");
    requirePositive(timeout);
    return new Deadline(clock.instant().plus(timeout), clock, timeout);
  }

  static Duration requirePositive(Duration timeout) {
    if (timeout.isZero() || timeout.isNegative()) {
      throw InvalidInputException.of(
          ErrorCode.INVALID_ARGUMENT,
          "timeout",
          timeout.toString(),
          "must be more than zero; leave it unset for no deadline.");
    }
    return timeout;
  }

  /**
   * The deadline of the operation running on this thread, if it has one.
   *
   * @return the deadline
   */
  public static Optional<Deadline> current() {
    return Optional.ofNullable(CURRENT.get());
  }

  /**
   * Runs {@code work} with this deadline as the thread's current one, or with the current one if
   * that is earlier (a call inside an operation never gets more time than the operation has).
   *
   * @param work the work
   * @param <T> its result
   * @return its result
   */
  public <T> T run(Supplier<T> work) {
    @Nullable Deadline outer = CURRENT.get();
    CURRENT.set(outer != null && outer.at.isBefore(at) ? outer : this);
    try {
      return work.get();
    } finally {
      restore(outer);
    }
  }

  /**
   * Runs {@code work} with no deadline on this thread: for work that must finish once begun, such
   * as taking back what a failed apply wrote, which would otherwise leave a half-applied grant.
   *
   * @param work the work
   * @param <T> its result
   * @return its result
   */
  public static <T> T suspended(Supplier<T> work) {
    @Nullable Deadline outer = CURRENT.get();
    CURRENT.remove();
    try {
      return work.get();
    } finally {
      restore(outer);
    }
  }

  private static void restore(@Nullable Deadline outer) {
    if (outer == null) {
      CURRENT.remove();
    } else {
      CURRENT.set(outer);
    }
  }

  /**
   * When it falls.
   *
   * @return the instant
   */
  public Instant at() {
    return at;
  }

  /**
   * The time left, zero once it has passed.
   *
   * @return the time left
   */
  public Duration remaining() {
    Duration left = Duration.between(clock.instant(), at);
    return left.isNegative() ? Duration.ZERO : left;
  }

  /**
   * Whether it has passed.
   *
   * @return true once no time is left
   */
  public boolean expired() {
    return remaining().isZero();
  }

  /**
   * Whether a client timeout that fires now is this deadline's: no more than a moment (50 ms, for
   * the clock and the client's timer to disagree) is left. A client's own, shorter timeout fires
   * well before that, and stays the client's error.
   *
   * @return true if the deadline has passed or is about to
   */
  public boolean ranOut() {
    return remaining().compareTo(MOMENT) <= 0;
  }

  private static final Duration MOMENT = Duration.ofMillis(50);

  /**
   * Throws if it has passed, before {@code what} starts.
   *
   * @param what what was about to start, for the message
   * @throws DeadlineExceededException if no time is left
   */
  public void check(String what) {
    if (expired()) {
      throw exceeded(what, null);
    }
  }

  /**
   * The exception for {@code what} not done in time.
   *
   * @param what what did not finish or start
   * @param cause the client's own timeout, if it reported one
   * @return the exception
   */
  public DeadlineExceededException exceeded(String what, @Nullable Throwable cause) {
    return new DeadlineExceededException(
        "the "
            + timeout
            + " deadline (at "
            + at
            + ") passed before "
            + what
            + " could finish. Nothing more was started; raise the timeout"
            + " (ClusterAccess.Builder.timeout or withTimeout) or retry.",
        cause);
  }

  /**
   * Throws if the current deadline, if any, has passed.
   *
   * @param what what was about to start
   * @throws DeadlineExceededException if the current deadline has passed
   */
  static void checkCurrent(String what) {
    @Nullable Deadline d = CURRENT.get();
    if (d != null) {
      d.check(what);
    }
  }

  @Override
  public String toString() {
    return "Deadline[" + timeout + ", at " + at + ", " + remaining() + " left]";
  }
}
