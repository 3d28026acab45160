package dev.eksaccess.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
  @AfterEach
  void clearInterrupt() {
    Thread.interrupted();
  }

  @Test
  void pauseBeforeTurnsAnInterruptIntoABackendExceptionAndKeepsIt() {
    RetryPolicy policy = RetryPolicy.defaults();
    Thread.currentThread().interrupt();

    BackendException e =
        catchThrowableOfType(
            BackendException.class, () -> policy.pauseBefore(1, "a write to ConfigMap a/b"));

    assertThat(e)
        .hasMessageContaining("retry a write to ConfigMap a/b")
        .hasMessageContaining("nothing more was written")
        .hasCauseInstanceOf(InterruptedException.class);
    assertThat(Thread.currentThread().isInterrupted()).as("the interrupt is kept").isTrue();
  }

  @Test
  void pauseBeforeWithoutBackoffReturnsAndLeavesNoInterrupt() {
    RetryPolicy none = RetryPolicy.of(3, Duration.ZERO, Duration.ZERO);

    none.pauseBefore(3, "anything");

    assertThat(Thread.currentThread().isInterrupted()).isFalse();
  }
}
