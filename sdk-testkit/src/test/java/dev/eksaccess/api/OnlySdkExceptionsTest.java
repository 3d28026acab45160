package dev.eksaccess.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad arguments to the public API are refused with an eks-access exception that has an error code
 * and says what was wrong and where, never with a bare {@code IllegalArgumentException} or {@code
 * IllegalStateException}.
 */
class OnlySdkExceptionsTest {
  static Stream<Arguments> badArguments() {
    Duration ms = Duration.ofMillis(1);
    return Stream.of(
        Arguments.of(
            "no attempts",
            (Executable) () -> RetryPolicy.of(0, ms, ms),
            ErrorCode.INVALID_ARGUMENT,
            "maxAttempts \"0\": counts the first attempt"),
        Arguments.of(
            "backoffs the wrong way round",
            (Executable) () -> RetryPolicy.of(3, Duration.ofSeconds(2), ms),
            ErrorCode.INVALID_ARGUMENT,
            "0 <= initialBackoff <= maxBackoff"),
        Arguments.of(
            "no conflict attempts",
            (Executable) () -> RetryPolicy.defaults().withConflictAttempts(0),
            ErrorCode.INVALID_ARGUMENT,
            "conflictAttempts \"0\""),
        Arguments.of(
            "retry zero",
            (Executable) () -> RetryPolicy.defaults().ceiling(0),
            ErrorCode.INVALID_ARGUMENT,
            "retries count from 1"),
        Arguments.of(
            "an empty fleet",
            (Executable) () -> Fleet.builder().build(),
            ErrorCode.INVALID_ARGUMENT,
            "at least one cluster"),
        Arguments.of(
            "a fleet run one at a time less",
            (Executable) () -> Fleet.builder().concurrency(-1),
            ErrorCode.INVALID_ARGUMENT,
            "concurrency \"-1\""),
        Arguments.of(
            "a negative time left",
            (Executable)
                () ->
                    new BreakGlass.Active(
                        IamRole.of("arn:aws:iam::111122223333:role/BreakGlass"),
                        new dev.eksaccess.api.spi.BreakGlassMark(
                            "INC-1",
                            java.time.Instant.EPOCH,
                            java.time.Instant.EPOCH.plusSeconds(60),
                            java.util.Optional.empty()),
                        Duration.ofSeconds(-1)),
            ErrorCode.INVALID_ARGUMENT,
            "pass Duration.ZERO once expired"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badArguments")
  void aBadArgumentIsAnEksAccessExceptionWithACode(
      String what, Executable call, ErrorCode code, String message) {
    Throwable thrown = catchThrowable(call::execute);

    assertThat(thrown).isInstanceOf(EksAccessException.class).hasMessageContaining(message);
    assertThat(((EksAccessException) thrown).code()).isEqualTo(code);
  }
}
